// nn/layers/rms-normalization: RMSNormalization (Keras 3; Zhang & Sennrich 2019): each sample is
// divided by the root mean square of its values over `axis` and multiplied by a learned scale, with
// no centring: y = x / sqrt(mean(x^2) + epsilon) * scale. Trailing axes run the fused rmsNorm op;
// other axis sets are composed from ops and get their gradient from them.
import { ConfigError, ShapeError } from "../../core/errors.js";
import { add, mean, mul, reshape, rmsNorm, rsqrt, square } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, finiteNumber, intList, optional } from "../config.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { formatSymbolicShape } from "../symbolic-tensor.js";

export interface RMSNormalizationArgs extends LayerArgs {
  /** Axis or axes to normalise over (default -1). */
  axis?: number | readonly number[];
  /** Added to the mean square (default 1e-6, Keras 3). */
  epsilon?: number;
  /** Default "ones". */
  scaleInitializer?: InitializerIdentifier;
}

/**
 * Root-mean-square normalization with a learned scale.
 * @example
 * new RMSNormalization().apply(randn([2, 8])).shape; // [2, 8]
 */
export class RMSNormalization extends Layer {
  static override readonly className = "RMSNormalization";
  readonly axis: number[];
  readonly epsilon: number;
  readonly scaleInitializer: Initializer;
  scale: Tensor | null = null;

  constructor(args: RMSNormalizationArgs = {}) {
    super(args);
    const op = "RMSNormalization";
    this.supportsMasking = true;
    const axis = args.axis ?? -1;
    this.axis = [...intList(op, "axis", typeof axis === "number" ? [axis] : axis)];
    if (this.axis.length === 0) throw new ConfigError(`${op}: axis must name at least one axis`);
    this.epsilon = optional(args.epsilon, 1e-6, (v) => finiteNumber(op, "epsilon", v));
    if (this.epsilon < 0) throw new ConfigError(`${op}: epsilon must be >= 0 (got ${this.epsilon})`);
    this.scaleInitializer = getInitializer(args.scaleInitializer ?? "ones", `${op} scaleInitializer`);
  }

  private axes(rank: number): number[] {
    const out = this.axis.map((a) => (a < 0 ? a + rank : a));
    if (out.some((a) => a < 1 || a >= rank) || new Set(out).size !== out.length) {
      throw new ShapeError(
        `${this.name}: axis [${this.axis.join(", ")}] does not fit inputs of rank ${rank}`,
      );
    }
    return out.sort((x, y) => x - y);
  }

  override build(inputShape: LayerShape): void {
    const shape = this.singleShape(inputShape);
    const dims = this.axes(shape.length).map((a) => shape[a]);
    if (dims.some((d) => d === null || d === undefined)) {
      throw new ShapeError(
        `${this.name}: the normalised axes must have known sizes (got ${formatSymbolicShape(shape)})`,
      );
    }
    this.scale = this.addWeight("scale", dims as number[], { initializer: this.scaleInitializer });
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.single(inputs);
    const axes = this.axes(x.rank);
    // the common case, trailing axes (one contiguous block per sample): the fused op
    if (axes.every((a, i) => a === x.rank - axes.length + i)) {
      return rmsNorm(x, this.scale, { axis: axes, epsilon: this.epsilon });
    }
    const paramShape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    const normalised = mul(x, rsqrt(add(mean(square(x), axes, { keepDims: true }), this.epsilon)));
    return mul(normalised, reshape(this.scale!, paramShape));
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return this.singleShape(inputShape);
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      axis: this.axis,
      epsilon: this.epsilon,
      scaleInitializer: this.scaleInitializer.serialize(),
    };
  }
}
registerLayer("RMSNormalization", RMSNormalization);
