// train/privacy/per-example-rule: what a layer kind provides so DP-SGD gets per-example gradients
// from one ordinary backward pass: from each call's input and dLoss/dOutput (layer-capture), the
// gradient of every example separately. Shape letters: B batch, T positions per example, P the
// elements of one parameter. Everything here runs under noGrad on plain typed arrays or ops.
import { gradientsOf } from "../../autograd/backward.js";
import { enableGrad, noGrad } from "../../autograd/mode.js";
import type { FloatArray } from "../../core/dtype.js";
import type { Activation } from "../../nn/activations.js";
import type { Layer } from "../../nn/layer.js";
import { Tensor } from "../../tensor/tensor.js";
import type { LayerCall } from "./layer-capture.js";

/**
 * Per-example gradients of one layer's parameters, for the captured calls of one batch. Values are
 * gradients of the BATCH loss restricted to each example (the engine rescales them).
 */
export interface LayerPerExample {
  /** The layer's parameters, in the order of every list below. */
  readonly params: readonly (Tensor | null)[];
  /** ||gradient of example b||^2 summed over this layer's parameters, added into out[b]. */
  addSquaredNorms(out: Float64Array): void;
  /** sum_b weights[b] * (gradient of example b), one tensor per parameter (null when absent). */
  weightedSum(weights: Float64Array): (Tensor | null)[];
  /** The gradients themselves: [B, ...param.shape] per parameter (for tests and checks). */
  perExample(): (Tensor | null)[];
}

/** A layer kind's rule for per-example gradients. */
export interface PerExampleRule {
  /** Why this layer instance cannot use the rule (an unsupported option), or null. */
  refuses(layer: Layer): string | null;
  /**
   * Optional: records what the rule needs from inside the layer (instead of its call's input and
   * output) while one forward runs; returns the function that undoes it.
   */
  instrument?(layer: Layer): () => void;
  /** The per-example gradients from the layer's captured calls in one batch of B examples. */
  compute(layer: Layer, calls: readonly LayerCall[], batch: number): LayerPerExample;
}

/**
 * dLoss/d(pre-activation) from dLoss/d(output) y = act(z). The activations fused into a GEMM
 * epilogue have derivatives in terms of y; any other one is differentiated at z = recompute().
 */
export function preActivationGrad(
  activation: Activation,
  y: Tensor,
  dy: Tensor,
  recompute: () => Tensor,
): Tensor {
  const yd = y.data as FloatArray;
  const g = dy.data as FloatArray;
  const name = activation.epilogue;
  if (activation.name === "linear" || name === "none") return dy;
  if (name === "relu" || name === "sigmoid" || name === "tanh") {
    const out = g.slice() as FloatArray;
    // relu: 1[y > 0]; sigmoid: y (1 - y); tanh: 1 - y^2
    if (name === "relu") for (let i = 0; i < out.length; i++) out[i] = yd[i]! > 0 ? out[i]! : 0;
    else if (name === "sigmoid")
      for (let i = 0; i < out.length; i++) out[i] = out[i]! * yd[i]! * (1 - yd[i]!);
    else for (let i = 0; i < out.length; i++) out[i] = out[i]! * (1 - yd[i]! * yd[i]!);
    return new Tensor(out, dy.shape);
  }
  const z = noGrad(recompute);
  const leaf = new Tensor(z.data, z.shape);
  leaf.requiresGrad = true;
  const out = enableGrad(() => activation.fn(leaf));
  return gradientsOf(out, [leaf], dy)[0] ?? new Tensor((g.slice() as FloatArray).fill(0), z.shape);
}

/** ||row b||^2 of a [B, ...] tensor, added into out[b]. */
export function addRowSquaredNorms(t: Tensor | null, out: Float64Array): void {
  if (t === null) return;
  const d = t.data as FloatArray;
  const per = d.length / out.length;
  for (let b = 0; b < out.length; b++) {
    let s = 0;
    for (let i = b * per; i < (b + 1) * per; i++) s += d[i]! * d[i]!;
    out[b] = out[b]! + s;
  }
}

/** sum_b weights[b] * row b of a [B, ...shape] tensor, as a tensor of `shape`. */
export function weightedRowSum(
  t: Tensor | null,
  weights: Float64Array,
  shape: readonly number[],
): Tensor | null {
  if (t === null) return null;
  const d = t.data as FloatArray;
  const per = d.length / weights.length;
  const out = new (d.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(per);
  for (let b = 0; b < weights.length; b++) {
    const w = weights[b]!;
    if (w === 0) continue;
    const base = b * per;
    for (let i = 0; i < per; i++) out[i] = out[i]! + w * d[base + i]!;
  }
  return new Tensor(out, shape);
}

/** Element-wise sum of two optional same-shaped tensors (per-example grads of two calls). */
export function addOptional(a: Tensor | null, b: Tensor | null): Tensor | null {
  if (a === null) return b;
  if (b === null) return a;
  const out = (a.data as FloatArray).slice() as FloatArray;
  const bd = b.data as FloatArray;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! + bd[i]!;
  return new Tensor(out, a.shape);
}

/** A LayerPerExample from materialised per-example gradients ([B, ...shape] per parameter). */
export function materialised(
  params: readonly (Tensor | null)[],
  grads: readonly (Tensor | null)[],
): LayerPerExample {
  return {
    params,
    addSquaredNorms: (out) => {
      for (const g of grads) addRowSquaredNorms(g, out);
    },
    weightedSum: (weights) => grads.map((g, i) => weightedRowSum(g, weights, params[i]?.shape ?? [])),
    perExample: () => [...grads],
  };
}
