// nn/layers/rms-normalization: RMSNormalization (Keras 3; Zhang & Sennrich 2019): each sample is
// divided by the root mean square of its values over `axis` and multiplied by a learned scale, with
// no centring: y = x / sqrt(mean(x^2) + epsilon) * scale. Trailing axes run the fused rmsNorm op;
// other axis sets are composed from ops and get their gradient from them.
import { ConfigError } from "../../core/errors.js";
import { add, mean, mul, reshape, rmsNorm, rsqrt, square } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, finiteNumber, optional } from "../config.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { axisOption, normalisedAxes, normalisedSizes } from "./layer-normalization.js";

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
    this.axis = axisOption(op, args.axis);
    this.epsilon = optional(args.epsilon, 1e-6, (v) => finiteNumber(op, "epsilon", v));
    if (this.epsilon < 0) throw new ConfigError(`${op}: epsilon must be >= 0 (got ${this.epsilon})`);
    this.scaleInitializer = getInitializer(args.scaleInitializer ?? "ones", `${op} scaleInitializer`);
  }

  override build(inputShape: LayerShape): void {
    const dims = normalisedSizes(this.name, this.axis, this.singleShape(inputShape));
    this.scale = this.addWeight("scale", dims, { initializer: this.scaleInitializer });
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.single(inputs);
    const axes = normalisedAxes(this.name, this.axis, x.rank);
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
