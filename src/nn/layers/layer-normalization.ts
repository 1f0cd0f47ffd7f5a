// nn/layers/layer-normalization: LayerNormalization (Keras 3 defaults: axis -1, epsilon 1e-3).
// Each sample is normalised with its own mean and variance over `axis`, then scaled by gamma and
// shifted by beta (one per element of the normalised axes). Trailing axes run the fused layerNorm
// op; other axis sets are composed from mean/variance ops and get their gradient from them.
import { ConfigError, ShapeError } from "../../core/errors.js";
import { add, layerNorm, mean, mul, reshape, rsqrt, sub, variance } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, finiteNumber, intList, optional } from "../config.js";
import type { CallContext, LayerInputs, LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { formatSymbolicShape, type SymbolicShape } from "../symbolic-tensor.js";
import { AffineNormalization, type AffineNormalizationArgs } from "./affine-normalization.js";

export interface LayerNormalizationArgs extends AffineNormalizationArgs {
  /** Axis or axes to normalise over (default -1). */
  axis?: number | readonly number[];
  /** Added to the variance (default 1e-3). */
  epsilon?: number;
}

/** The `axis` option (one axis or a list, default -1) as a non-empty list; shared with RMSNormalization. */
export function axisOption(op: string, axis: number | readonly number[] | undefined): number[] {
  const value = axis ?? -1;
  const out = [...intList(op, "axis", typeof value === "number" ? [value] : value)];
  if (out.length === 0) throw new ConfigError(`${op}: axis must name at least one axis`);
  return out;
}

/** The normalised axes, non-negative and sorted, for inputs of `rank` (never the batch axis). */
export function normalisedAxes(layer: string, axis: readonly number[], rank: number): number[] {
  const out = axis.map((a) => (a < 0 ? a + rank : a));
  if (out.some((a) => a < 1 || a >= rank) || new Set(out).size !== out.length) {
    throw new ShapeError(`${layer}: axis [${axis.join(", ")}] does not fit inputs of rank ${rank}`);
  }
  return out.sort((x, y) => x - y);
}

/** The sizes of the normalised axes of `shape` (the shape of the learned weights); they must be known. */
export function normalisedSizes(layer: string, axis: readonly number[], shape: SymbolicShape): number[] {
  const dims = normalisedAxes(layer, axis, shape.length).map((a) => shape[a]);
  if (dims.some((d) => d === null || d === undefined)) {
    throw new ShapeError(
      `${layer}: the normalised axes must have known sizes (got ${formatSymbolicShape(shape)})`,
    );
  }
  return dims as number[];
}

/** Normalises each sample over its last axis (or `axis`). */
export class LayerNormalization extends AffineNormalization {
  static override readonly className = "LayerNormalization";
  readonly axis: number[];
  readonly epsilon: number;

  constructor(args: LayerNormalizationArgs = {}) {
    super("LayerNormalization", args);
    this.supportsMasking = true;
    const op = "LayerNormalization";
    this.axis = axisOption(op, args.axis);
    this.epsilon = optional(args.epsilon, 1e-3, (v) => finiteNumber(op, "epsilon", v));
  }

  override build(inputShape: LayerShape): void {
    this.addAffineWeights(normalisedSizes(this.name, this.axis, this.singleShape(inputShape)));
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.single(inputs);
    const axes = normalisedAxes(this.name, this.axis, x.rank);
    // the common case, trailing axes (one contiguous block per sample): the fused op
    if (axes.every((a, i) => a === x.rank - axes.length + i)) {
      return layerNorm(x, this.gamma, this.beta, { axis: axes, epsilon: this.epsilon });
    }
    // gamma/beta are laid out over the normalised axes; other axes get size 1 to broadcast
    const paramShape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    const m = mean(x, axes, { keepDims: true });
    const v = variance(x, axes, { keepDims: true });
    let y = mul(sub(x, m), rsqrt(add(v, this.epsilon)));
    if (this.gamma !== null) y = mul(y, reshape(this.gamma, paramShape));
    if (this.beta !== null) y = add(y, reshape(this.beta, paramShape));
    return y;
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return this.singleShape(inputShape);
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      axis: this.axis,
      epsilon: this.epsilon,
      ...this.affineConfig(),
    };
  }
}
registerLayer("LayerNormalization", LayerNormalization);
