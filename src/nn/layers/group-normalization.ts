// nn/layers/group-normalization: GroupNormalization (Keras 3; Wu & He 2018). The channels (axis,
// last by default) are split into `groups`; each sample is normalised with the mean and variance of
// each group over every non-batch axis, then scaled by gamma and shifted by beta per channel.
// groups = channels is instance normalization, groups = 1 is layer normalization over all axes.
// Composite: the gradient comes from its ops. Shapes: B batch, C channels, G groups.
import { ConfigError, ShapeError } from "../../core/errors.js";
import { add, mean, mul, permute, reshape, rsqrt, sub, variance } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import {
  boolean,
  type ConfigObject,
  type ConfigValue,
  finiteNumber,
  integer,
  optional,
  positiveInt,
} from "../config.js";
import { type Constraint, type ConstraintIdentifier, getConstraint } from "../constraints.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import { formatSymbolicShape } from "../symbolic-tensor.js";

export interface GroupNormalizationArgs extends LayerArgs {
  /** Number of channel groups (default 32); must divide the channels. */
  groups?: number;
  /** The channel axis (default -1). */
  axis?: number;
  /** Added to the variance (default 1e-3). */
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

const serialize = (x: { serialize(): ConfigValue } | null): ConfigValue =>
  x === null ? null : x.serialize();

/**
 * Normalises groups of channels per sample.
 * @example
 * new GroupNormalization({ groups: 4 }).apply(randn([2, 5, 5, 8])).shape; // [2, 5, 5, 8]
 */
export class GroupNormalization extends Layer {
  static override readonly className = "GroupNormalization";
  readonly groups: number;
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  gamma: Tensor | null = null;
  beta: Tensor | null = null;

  constructor(args: GroupNormalizationArgs = {}) {
    super(args);
    const op = "GroupNormalization";
    this.groups = optional(args.groups, 32, (v) => positiveInt(op, "groups", v));
    this.axis = optional(args.axis, -1, (v) => integer(op, "axis", v));
    this.epsilon = optional(args.epsilon, 1e-3, (v) => finiteNumber(op, "epsilon", v));
    this.center = optional(args.center, true, (v) => boolean(op, "center", v));
    this.scale = optional(args.scale, true, (v) => boolean(op, "scale", v));
    this.betaInitializer = getInitializer(args.betaInitializer ?? "zeros", `${op} betaInitializer`);
    this.gammaInitializer = getInitializer(args.gammaInitializer ?? "ones", `${op} gammaInitializer`);
    this.betaRegularizer = getRegularizer(args.betaRegularizer, `${op} betaRegularizer`);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer, `${op} gammaRegularizer`);
    this.betaConstraint = getConstraint(args.betaConstraint, `${op} betaConstraint`);
    this.gammaConstraint = getConstraint(args.gammaConstraint, `${op} gammaConstraint`);
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
    if (this.scale) {
      this.gamma = this.addWeight("gamma", [channels], {
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center) {
      this.beta = this.addWeight("beta", [channels], {
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
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
      center: this.center,
      scale: this.scale,
      betaInitializer: this.betaInitializer.serialize(),
      gammaInitializer: this.gammaInitializer.serialize(),
      betaRegularizer: serialize(this.betaRegularizer),
      gammaRegularizer: serialize(this.gammaRegularizer),
      betaConstraint: serialize(this.betaConstraint),
      gammaConstraint: serialize(this.gammaConstraint),
    };
  }
}
registerLayer("GroupNormalization", GroupNormalization);
