// ops/indexing: slicing with steps, gather/take and its adjoint scatterAdd, oneHot, pad, tile,
// repeat and flip. All are strided copies or gathers, so their gradients are the adjoint copies.

import { record } from "../autograd/backward.js";
import type { StridedView } from "../backend/kernels.js";
import { kernels } from "../backend/registry.js";
import { allocate, allocateUninit, type DType, isDType } from "../core/dtype.js";
import { DTypeError, IndexError, ShapeError, ValueError } from "../core/errors.js";
import { formatShape, normalizeAxes, normalizeAxis, sizeOf, splitAtAxis, stridesOf } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { type TensorLike, toTensor } from "./operand.js";
import { broadcastTo, reshape } from "./shape.js";

/** One axis of a slice: an index (drops the axis), null (whole axis) or [start, stop, step] like Python. */
export type SliceSpec = number | null | readonly [(number | null)?, (number | null)?, (number | null)?];

interface ResolvedAxis {
  start: number;
  step: number;
  count: number;
  drop: boolean;
}

function resolveAxis(spec: SliceSpec | undefined, size: number, axis: number): ResolvedAxis {
  if (spec === null || spec === undefined) return { start: 0, step: 1, count: size, drop: false };
  if (typeof spec === "number") {
    const i = spec < 0 ? spec + size : spec;
    if (!Number.isInteger(spec) || i < 0 || i >= size) {
      throw new IndexError(`slice: index ${spec} is out of range for axis ${axis} of size ${size}`);
    }
    return { start: i, step: 1, count: 1, drop: true };
  }
  const step = spec[2] ?? 1;
  if (!Number.isInteger(step) || step === 0)
    throw new ValueError(`slice: step must be a non-zero integer (got ${step})`);
  for (const bound of [spec[0], spec[1]]) {
    if (bound != null && !Number.isInteger(bound))
      throw new ValueError(`slice: start and stop must be integers or null (got ${bound} for axis ${axis})`);
  }
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const norm = (v: number) => (v < 0 ? v + size : v);
  let start: number;
  let stop: number;
  if (step > 0) {
    start = spec[0] == null ? 0 : clamp(norm(spec[0]), 0, size);
    stop = spec[1] == null ? size : clamp(norm(spec[1]), 0, size);
  } else {
    start = spec[0] == null ? size - 1 : clamp(norm(spec[0]), -1, size - 1);
    stop = spec[1] == null ? -1 : clamp(norm(spec[1]), -1, size - 1);
  }
  const count =
    step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
  return { start: count === 0 ? 0 : start, step, count, drop: false };
}

/**
 * Python-style slicing, one spec per leading axis.
 * @example
 * slice(x, [null, [1, null, 2]]); // x[:, 1::2]
 * slice(x, [0]);                  // x[0]
 */
export function slice(input: TensorLike, specs: readonly SliceSpec[]): Tensor {
  const x = toTensor(input);
  if (specs.length > x.rank)
    throw new IndexError(`slice: ${specs.length} specs for a tensor of rank ${x.rank}`);
  const axes = x.shape.map((size, i) => resolveAxis(specs[i], size, i));
  const strides = stridesOf(x.shape);
  const view: StridedView = {
    offset: axes.reduce((p, ax, i) => p + ax.start * strides[i]!, 0),
    strides: axes.map((ax, i) => ax.step * strides[i]!),
  };
  const fullShape = axes.map((ax) => ax.count);
  return gatherView(
    x,
    view,
    fullShape,
    fullShape.filter((_, i) => !axes[i]!.drop),
  );
}

/** x's elements at `view` (walked over `copyShape`) as a new tensor of `outShape`. Gradient: scatterView. */
function gatherView(
  x: Tensor,
  view: StridedView,
  copyShape: readonly number[],
  outShape: readonly number[],
): Tensor {
  const out = allocate(x.dtype, sizeOf(copyShape));
  kernels().stridedCopy(x.data, view, out, { offset: 0, strides: stridesOf(copyShape) }, copyShape);
  const y = new Tensor(out, outShape);
  return record("slice", y, [x], (dy) => [scatterView(dy, view, copyShape, x.shape, 0)]);
}

/**
 * A tensor of `outShape` filled with `fill`, with u's elements (walked over `copyShape`) written at
 * `view`, whose positions never repeat. The adjoint of gatherView, and its gradient.
 */
function scatterView(
  u: Tensor,
  view: StridedView,
  copyShape: readonly number[],
  outShape: readonly number[],
  fill: number,
): Tensor {
  const out = allocate(u.dtype, sizeOf(outShape));
  if (fill !== 0) out.fill(fill);
  kernels().stridedCopy(u.data, { offset: 0, strides: stridesOf(copyShape) }, out, view, copyShape);
  const y = new Tensor(out, outShape);
  return record("pad", y, [u], (dy) => [gatherView(dy, view, copyShape, u.shape)]);
}

function checkIndices(op: string, indices: Tensor, size: number, axis: number): Int32Array {
  if (indices.dtype !== "int32") throw new DTypeError(`${op}: indices must be int32 (got ${indices.dtype})`);
  const src = indices.data as Int32Array;
  let result = src;
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (v < -size || v >= size) {
      throw new IndexError(`${op}: index ${v} is out of range for axis ${axis} of size ${size}`);
    }
    if (v < 0) {
      if (result === src) result = src.slice();
      result[i] = v + size;
    }
  }
  return result;
}

/**
 * Picks entries along an axis by int32 indices (any shape): the output shape is
 * x.shape[:axis] + indices.shape + x.shape[axis+1:]. Negative indices count from the end.
 * @example
 * gather(embeddingTable, tokenIds, 0);
 */
export function gather(input: TensorLike, indicesInput: TensorLike, axis = 0): Tensor {
  const x = toTensor(input);
  const indices = indicesInput instanceof Tensor ? indicesInput : toTensorInt(indicesInput);
  const a = normalizeAxis("gather", axis, x.rank);
  const { outer, size, inner } = splitAtAxis(x.shape, a);
  const idx = checkIndices("gather", indices, size, a);
  const shape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
  const out = allocateUninit(x.dtype, outer * idx.length * inner);
  kernels().gather(x.data, outer, size, inner, idx, out);
  const y = new Tensor(out, shape);
  return record("gather", y, [x], (dy) => [scatterIntoZeros(dy, indices, idx, x.shape, a)]);
}

/** zeros(shape) with u added at the checked indices `idx` along `axis`: gather's gradient, recorded. */
function scatterIntoZeros(
  u: Tensor,
  indices: Tensor,
  idx: Int32Array,
  shape: readonly number[],
  axis: number,
): Tensor {
  const { outer, size, inner } = splitAtAxis(shape, axis);
  const out = allocate(u.dtype, sizeOf(shape));
  kernels().scatterAdd(u.data, outer, size, inner, idx, out);
  const y = new Tensor(out, shape);
  return record("scatterAdd", y, [u], (dy) => [gather(dy, indices, axis)]);
}

/** Alias of gather (NumPy's name). */
export const take = gather;

function toTensorInt(value: TensorLike): Tensor {
  const t = toTensor(value);
  if (t.dtype === "int32") return t;
  const data = new Int32Array(t.size);
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i]!;
    if (!Number.isInteger(v)) throw new DTypeError(`gather: indices must be integers (got ${v})`);
    data[i] = v;
  }
  return new Tensor(data, t.shape);
}

/**
 * x with `updates` added at `indices` along `axis` (repeated indices accumulate). updates has
 * the shape x.shape[:axis] + indices.shape + x.shape[axis+1:].
 */
export function scatterAdd(
  input: TensorLike,
  indicesInput: TensorLike,
  updatesInput: TensorLike,
  axis = 0,
): Tensor {
  const x = toTensor(input);
  const updates = toTensor(updatesInput);
  const indices = indicesInput instanceof Tensor ? indicesInput : toTensorInt(indicesInput);
  if (updates.dtype !== x.dtype)
    throw new DTypeError(`scatterAdd: dtypes differ (got ${x.dtype} and ${updates.dtype})`);
  const a = normalizeAxis("scatterAdd", axis, x.rank);
  const { outer, size, inner } = splitAtAxis(x.shape, a);
  const idx = checkIndices("scatterAdd", indices, size, a);
  const expected = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
  if (expected.length !== updates.rank || expected.some((d, i) => d !== updates.shape[i])) {
    throw new ShapeError(
      `scatterAdd: updates must have shape ${formatShape(expected)} (got ${formatShape(updates.shape)})`,
    );
  }
  const out = x.data.slice();
  kernels().scatterAdd(updates.data, outer, size, inner, idx, out);
  const y = new Tensor(out, x.shape);
  return record("scatterAdd", y, [x, updates], (dy) => [dy, gather(dy, indices, a)]);
}

/** One-hot encoding of int32 class indices in [0, depth): shape indices.shape + [depth]. */
export function oneHot(indicesInput: TensorLike, depth: number, options: { dtype?: DType } = {}): Tensor {
  const indices = indicesInput instanceof Tensor ? indicesInput : toTensorInt(indicesInput);
  if (indices.dtype !== "int32") throw new DTypeError(`oneHot: indices must be int32 (got ${indices.dtype})`);
  if (!Number.isInteger(depth) || depth < 0)
    throw new ValueError(`oneHot: depth must be a non-negative integer (got ${depth})`);
  const dtype = options.dtype ?? "float32";
  if (!isDType(dtype))
    throw new DTypeError(
      `oneHot: unknown dtype ${JSON.stringify(dtype)} (expected float32, float64, int32 or bool)`,
    );
  const out = allocate(dtype, indices.size * depth);
  for (let i = 0; i < indices.size; i++) {
    const v = indices.data[i]!;
    if (v < 0 || v >= depth) throw new IndexError(`oneHot: index ${v} is out of range for depth ${depth}`);
    out[i * depth + v] = 1;
  }
  return new Tensor(out, [...indices.shape, depth]);
}

/** Pads with a constant: paddings holds [before, after] per axis. */
export function pad(input: TensorLike, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  const x = toTensor(input);
  if (paddings.length !== x.rank) {
    throw new ShapeError(`pad: expected ${x.rank} [before, after] pairs (got ${paddings.length})`);
  }
  for (const [b, e] of paddings) {
    if (!Number.isInteger(b) || !Number.isInteger(e) || b < 0 || e < 0) {
      throw new ValueError(`pad: paddings must be non-negative integers (got [${b}, ${e}])`);
    }
  }
  const shape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  const outStrides = stridesOf(shape);
  const view: StridedView = {
    offset: paddings.reduce((p, [b], i) => p + b * outStrides[i]!, 0),
    strides: outStrides,
  };
  return scatterView(x, view, x.shape, shape, value);
}

/** Repeats the whole tensor `reps[i]` times along axis i (NumPy tile). */
export function tile(input: TensorLike, reps: readonly number[]): Tensor {
  let x = toTensor(input);
  if (reps.some((r) => !Number.isInteger(r) || r < 0))
    throw new ValueError(`tile: reps must be non-negative integers (got [${reps.join(",")}])`);
  if (reps.length > x.rank) x = reshape(x, [...new Array<number>(reps.length - x.rank).fill(1), ...x.shape]);
  const fullReps = [...new Array<number>(x.rank - reps.length).fill(1), ...reps];
  // view x as [1, a0, 1, a1, ...], broadcast to [r0, a0, r1, a1, ...], merge pairs
  const interleaved = x.shape.flatMap((d) => [1, d]);
  const target = x.shape.flatMap((d, i) => [fullReps[i]!, d]);
  const expanded = broadcastTo(reshape(x, interleaved), target);
  return reshape(
    expanded,
    x.shape.map((d, i) => d * fullReps[i]!),
  );
}

/** Repeats each element `repeats` times along an axis (NumPy repeat; flattens when axis is omitted). */
export function repeat(input: TensorLike, repeats: number, axis?: number): Tensor {
  let x = toTensor(input);
  if (!Number.isInteger(repeats) || repeats < 0)
    throw new ValueError(`repeat: repeats must be a non-negative integer (got ${repeats})`);
  if (axis === undefined) x = reshape(x, [x.size]);
  const a = normalizeAxis("repeat", axis ?? 0, x.rank);
  const withAxis = [...x.shape.slice(0, a + 1), 1, ...x.shape.slice(a + 1)];
  const target = [...x.shape.slice(0, a + 1), repeats, ...x.shape.slice(a + 1)];
  const shape = x.shape.map((d, i) => (i === a ? d * repeats : d));
  return reshape(broadcastTo(reshape(x, withAxis), target), shape);
}

/** Reverses the order of elements along the given axes (all by default). */
export function flip(input: TensorLike, axes?: number | readonly number[]): Tensor {
  const x = toTensor(input);
  const flipAxes = normalizeAxes("flip", axes, x.rank);
  const strides = stridesOf(x.shape);
  const view: StridedView = {
    offset: flipAxes.reduce((p, a) => p + Math.max(x.shape[a]! - 1, 0) * strides[a]!, 0),
    strides: strides.map((s, i) => (flipAxes.includes(i) ? -s : s)),
  };
  const out = allocate(x.dtype, x.size);
  kernels().stridedCopy(x.data, view, out, { offset: 0, strides }, x.shape);
  const y = new Tensor(out, x.shape);
  return record("flip", y, [x], (dy) => [flip(dy, flipAxes)]);
}
