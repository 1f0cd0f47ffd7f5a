// ops/normalization: fused layer norm and RMS norm over the trailing axes of a tensor, each one
// forward kernel (which also saves the per-row statistics) and one gradient rule built on the
// backward kernel. The normalised axes form the contiguous block [first, rank), so the data is a
// [rows, cols] view: rows = product of the leading dims, cols = product of the normalised ones.
import { record } from "../autograd/backward.js";
import { kernels } from "../backend/registry.js";
import { allocate, allocateUninit, type FloatArray } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { formatShape, normalizeAxes, shapesEqual, sizeOf } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { add, mul, sub } from "./binary.js";
import { requireFloat, type TensorLike, toTensor } from "./operand.js";
import { mean } from "./reduce.js";
import { reshape } from "./shape.js";
import { rsqrt, square } from "./unary.js";

export interface LayerNormOptions {
  /** Axes to normalise over; they must be the trailing axes of x (default -1, the last). */
  axis?: number | readonly number[];
  /** Added to the variance (default 1e-5). */
  epsilon?: number;
}

export interface RMSNormOptions {
  /** Axes to normalise over; they must be the trailing axes of x (default -1, the last). */
  axis?: number | readonly number[];
  /** Added to the mean square (default 1e-6). */
  epsilon?: number;
}

interface Prepared {
  x: Tensor;
  /** One entry per parameter argument, null where it was left out. */
  parts: (Tensor | null)[];
  rows: number;
  cols: number;
}

/**
 * Checks x, the axes, epsilon and the per-element parameters (null or undefined to leave one out;
 * each must have the normalised dims as its shape, or be 1-D of their product).
 */
function prepare(
  op: string,
  input: TensorLike,
  paramInputs: readonly (TensorLike | null | undefined)[],
  axis: number | readonly number[] | undefined,
  epsilon: number,
): Prepared {
  const x = toTensor(input);
  requireFloat(op, x);
  if (x.rank === 0) throw new ShapeError(`${op}: expected a tensor of rank >= 1 (got a scalar)`);
  if (!Number.isFinite(epsilon))
    throw new ValueError(`${op}: epsilon must be a finite number (got ${epsilon})`);
  const axes = normalizeAxes(op, axis ?? -1, x.rank);
  const first = axes[0]!;
  if (axes.some((a, i) => a !== first + i) || axes[axes.length - 1] !== x.rank - 1) {
    throw new ValueError(
      `${op}: the normalised axes must be the trailing axes of x (got [${axes.join(", ")}] for rank ${x.rank})`,
    );
  }
  const dims = x.shape.slice(first);
  const cols = sizeOf(dims);
  const rows = cols === 0 ? 0 : x.size / cols;
  const parts: (Tensor | null)[] = [];
  for (const p of paramInputs) {
    if (p === null || p === undefined) {
      parts.push(null);
      continue;
    }
    const t = toTensor(p);
    if (t.dtype !== x.dtype) throw new DTypeError(`${op}: dtypes differ (got x ${x.dtype} and ${t.dtype})`);
    const fits = t.size === cols && (t.rank === 1 || shapesEqual(t.shape, dims));
    if (!fits) {
      throw new ShapeError(
        `${op}: parameters must have shape ${formatShape(dims)} (got ${formatShape(t.shape)})`,
      );
    }
    parts.push(t);
  }
  return { x, parts, rows, cols };
}

/**
 * Layer normalization over the trailing axes: (x - mean) / sqrt(var + epsilon) * gamma + beta,
 * with the population variance of each sample. gamma and beta may be null (1 and 0).
 * @example
 * layerNorm(randn([4, 8]), ones([8]), zeros([8])).shape; // [4, 8]
 */
export function layerNorm(
  input: TensorLike,
  gammaInput: TensorLike | null = null,
  betaInput: TensorLike | null = null,
  options: LayerNormOptions = {},
): Tensor {
  const op = "layerNorm";
  const epsilon = options.epsilon ?? 1e-5;
  const { x, parts, rows, cols } = prepare(op, input, [gammaInput, betaInput], options.axis, epsilon);
  const gamma = parts[0] ?? null;
  const beta = parts[1] ?? null;
  const dtype = x.dtype;
  const out = allocateUninit(dtype, x.size) as FloatArray;
  const mean = allocate(dtype, rows) as FloatArray;
  const rstd = allocate(dtype, rows) as FloatArray;
  const params = { rows, cols, epsilon };
  const xd = x.data as FloatArray;
  const gd = gamma === null ? null : (gamma.data as FloatArray);
  kernels().layerNorm(xd, gd, beta === null ? null : (beta.data as FloatArray), out, mean, rstd, params);
  const y = new Tensor(out, x.shape);
  const inputs = [x, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  return record(
    op,
    y,
    inputs,
    (dy) => {
      const dx = allocateUninit(dtype, x.size) as FloatArray;
      const dgamma = gamma?.requiresGrad ? (allocate(dtype, cols) as FloatArray) : null;
      const dbeta = beta?.requiresGrad ? (allocate(dtype, cols) as FloatArray) : null;
      kernels().layerNormBackward(dy.data as FloatArray, xd, gd, mean, rstd, dx, dgamma, dbeta, params);
      const grads: (Tensor | null)[] = [x.requiresGrad ? new Tensor(dx, x.shape) : null];
      if (gamma) grads.push(dgamma === null ? null : new Tensor(dgamma, gamma.shape));
      if (beta) grads.push(dbeta === null ? null : new Tensor(dbeta, beta.shape));
      return grads;
    },
    ([xIn, ...params]) => {
      const g = gamma === null ? null : params[0]!;
      const b = beta === null ? null : params[gamma === null ? 0 : 1]!;
      return composedNorm(xIn!, rows, cols, epsilon, true, g, b);
    },
  );
}

/**
 * Layer norm (centred) or RMS norm over [rows, cols] in recorded ops, with optional per-column
 * scale and shift: the form a second derivative goes through.
 */
function composedNorm(
  x: Tensor,
  rows: number,
  cols: number,
  epsilon: number,
  centred: boolean,
  scale: Tensor | null,
  shift: Tensor | null,
): Tensor {
  let z = reshape(x, [rows, cols]);
  if (centred) z = sub(z, mean(z, 1, { keepDims: true }));
  z = mul(z, rsqrt(add(mean(square(z), 1, { keepDims: true }), epsilon)));
  if (scale !== null) z = mul(z, reshape(scale, [cols]));
  if (shift !== null) z = add(z, reshape(shift, [cols]));
  return reshape(z, x.shape);
}

/**
 * RMS normalization over the trailing axes: x / sqrt(mean(x^2) + epsilon) * scale (Keras 3
 * RMSNormalization; no centring). scale may be null (1).
 * @example
 * rmsNorm(randn([4, 8]), ones([8])).shape; // [4, 8]
 */
export function rmsNorm(
  input: TensorLike,
  scaleInput: TensorLike | null = null,
  options: RMSNormOptions = {},
): Tensor {
  const op = "rmsNorm";
  const epsilon = options.epsilon ?? 1e-6;
  const { x, parts, rows, cols } = prepare(op, input, [scaleInput], options.axis, epsilon);
  const scale = parts[0] ?? null;
  const dtype = x.dtype;
  const out = allocateUninit(dtype, x.size) as FloatArray;
  const rstd = allocate(dtype, rows) as FloatArray;
  const params = { rows, cols, epsilon };
  const xd = x.data as FloatArray;
  const sd = scale === null ? null : (scale.data as FloatArray);
  kernels().rmsNorm(xd, sd, out, rstd, params);
  const y = new Tensor(out, x.shape);
  return record(
    op,
    y,
    scale ? [x, scale] : [x],
    (dy) => {
      const dx = allocateUninit(dtype, x.size) as FloatArray;
      const dscale = scale?.requiresGrad ? (allocate(dtype, cols) as FloatArray) : null;
      kernels().rmsNormBackward(dy.data as FloatArray, xd, sd, rstd, dx, dscale, params);
      const grads: (Tensor | null)[] = [x.requiresGrad ? new Tensor(dx, x.shape) : null];
      if (scale) grads.push(dscale === null ? null : new Tensor(dscale, scale.shape));
      return grads;
    },
    ([xIn, sIn]) => composedNorm(xIn!, rows, cols, epsilon, false, sIn ?? null, null),
  );
}
