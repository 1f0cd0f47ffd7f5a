// nn/layers/group-normalization: GroupNormalization (Keras 3; Wu & He 2018). The channels (axis,
// last by default) are split into `groups`; each sample is normalised with the mean and variance of
// each group over every non-batch axis, then scaled by gamma and shifted by beta per channel.
// groups = channels is instance normalization, groups = 1 is layer normalization over all axes.
// Composite: the gradient comes from its ops. Shapes: B batch, C channels, G groups.
import { ConfigError, ShapeError } from "../../core/errors.js";
import { add, mean, mul, permute, reshape, rsqrt, sub, variance } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, finiteNumber, integer, optional, positiveInt } from "../config.js";
import type { CallContext, LayerInputs, LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { formatSymbolicShape } from "../symbolic-tensor.js";
import { AffineNormalization, type AffineNormalizationArgs } from "./affine-normalization.js";

export interface GroupNormalizationArgs extends AffineNormalizationArgs {
  /** Number of channel groups (default 32); must divide the channels. */
  groups?: number;
  /** The channel axis (default -1). */
  axis?: number;
  /** Added to the variance (default 1e-3). */
  epsilon?: number;
}

/**
 * Normalises groups of channels per sample.
 * @example
 * new GroupNormalization({ groups: 4 }).apply(randn([2, 5, 5, 8])).shape; // [2, 5, 5, 8]
 */
export class GroupNormalization extends AffineNormalization {
  static override readonly className = "GroupNormalization";
  readonly groups: number;
  readonly axis: number;
  readonly epsilon: number;

  constructor(args: GroupNormalizationArgs = {}) {
    super("GroupNormalization", args);
    const op = "GroupNormalization";
    this.groups = optional(args.groups, 32, (v) => positiveInt(op, "groups", v));
    this.axis = optional(args.axis, -1, (v) => integer(op, "axis", v));
    this.epsilon = optional(args.epsilon, 1e-3, (v) => finiteNumber(op, "epsilon", v));
  }

  private channelAxis(rank: number): number {
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 1 || a >= rank)
      throw new ShapeError(`${this.name}: axis ${this.axis} does not fit inputs of rank ${rank}`);
    return a;
  }

  override build(inputShape: LayerShape): void {
    const shape = this.singleShape(inputShape);
    const channels = shape[this.channelAxis(shape.length)];
    if (channels === null || channels === undefined) {
      throw new ShapeError(
        `${this.name}: the channel axis must have a known size (got ${formatSymbolicShape(shape)})`,
      );
    }
    if (channels % this.groups !== 0) {
      throw new ConfigError(`${this.name}: groups (${this.groups}) must divide the channels (${channels})`);
    }
    this.addAffineWeights([channels]);
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.single(inputs);
    const a = this.channelAxis(x.rank);
    const C = x.shape[a]!;
    const G = this.groups;
    // move channels last, view them as (G, C / G), and reduce every axis but batch and group
    const order = [...Array(x.rank).keys()].filter((i) => i !== a);
    order.push(a);
    const last = a === x.rank - 1 ? x : permute(x, order);
    const grouped = reshape(last, [...last.shape.slice(0, -1), G, C / G]);
    const axes = [...Array(grouped.rank).keys()].filter((i) => i !== 0 && i !== grouped.rank - 2);
    const m = mean(grouped, axes, { keepDims: true });
    const v = variance(grouped, axes, { keepDims: true });
    let y = reshape(mul(sub(grouped, m), rsqrt(add(v, this.epsilon))), last.shape);
    if (this.gamma !== null) y = mul(y, this.gamma);
    if (this.beta !== null) y = add(y, this.beta);
    if (a === x.rank - 1) return y;
    const inverse = order.map((_, i) => order.indexOf(i));
    return permute(y, inverse);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return this.singleShape(inputShape);
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      groups: this.groups,
      axis: this.axis,
      epsilon: this.epsilon,
      ...this.affineConfig(),
    };
  }
}
registerLayer("GroupNormalization", GroupNormalization);
