// optim/clip: gradient clipping as Keras 3 does it (clipNorm per tensor, globalClipNorm over all
// tensors together, clipValue per element). Pure functions over typed arrays; the caller owns
// the output buffers, so a step allocates nothing once its scratch buffers exist.

import type { FloatArray, TypedArray } from "../core/dtype.js";

/** Sum of squares of a typed array (accumulated in float64). */
export function sumOfSquares(values: TypedArray): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    total += v * v;
  }
  return total;
}

/** The factor that scales a gradient of L2 norm `norm` down to at most `maxNorm`: max/max(norm, max). */
export function clipScale(norm: number, maxNorm: number): number {
  return norm > maxNorm ? maxNorm / norm : 1;
}

/** out = grad * scale */
export function scaleInto(grad: TypedArray, scale: number, out: FloatArray): void {
  for (let i = 0; i < grad.length; i++) out[i] = grad[i]! * scale;
}

/** out = clip(grad, -limit, limit); NaN stays NaN. */
export function clipValueInto(grad: TypedArray, limit: number, out: FloatArray): void {
  for (let i = 0; i < grad.length; i++) {
    const g = grad[i]!;
    out[i] = g > limit ? limit : Math.max(g, -limit);
  }
}

/** The gradient as a float array (the update kernels take float arrays; other types are converted). */
export function asFloat(grad: TypedArray): FloatArray {
  return grad instanceof Float32Array || grad instanceof Float64Array ? grad : Float64Array.from(grad);
}

/** The clipping options of an optimizer (at most one is set and positive). */
export interface ClipOptions {
  readonly clipNorm: number | null;
  readonly clipValue: number | null;
  readonly globalClipNorm: number | null;
}

/**
 * Replaces grads[k] (the gradient of parameter active[k]) by its clipped copy in scratch(active[k])
 * when clipping changes it; the original arrays are never written.
 */
export function clipGradients(
  options: ClipOptions,
  active: readonly number[],
  grads: TypedArray[],
  scratch: (index: number) => FloatArray,
): void {
  const { clipNorm, clipValue, globalClipNorm } = options;
  const scaled = (k: number, scale: number): void => {
    const out = scratch(active[k]!);
    scaleInto(grads[k]!, scale, out);
    grads[k] = out;
  };
  if (clipNorm !== null && clipNorm > 0) {
    for (let k = 0; k < grads.length; k++) {
      const scale = clipScale(Math.sqrt(sumOfSquares(grads[k]!)), clipNorm);
      if (scale !== 1) scaled(k, scale);
    }
  } else if (globalClipNorm !== null && globalClipNorm > 0) {
    let total = 0;
    for (const g of grads) total += sumOfSquares(g);
    const scale = clipScale(Math.sqrt(total), globalClipNorm);
    if (scale !== 1) for (let k = 0; k < grads.length; k++) scaled(k, scale);
  } else if (clipValue !== null && clipValue > 0) {
    for (let k = 0; k < grads.length; k++) {
      const out = scratch(active[k]!);
      clipValueInto(grads[k]!, clipValue, out);
      grads[k] = out;
    }
  }
}
