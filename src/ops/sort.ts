// ops/sort: sort, argsort and topk along an axis, and unique over all entries. Ordering puts NaN
// after every number (last ascending, first descending); ties keep their original order (stable).
// Values carry a gradient: dy is scattered back to the positions the values came from.
import { record } from "../autograd/backward.js";
import { allocate, type TypedArray } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { normalizeAxis, splitAtAxis } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { type TensorLike, toTensor } from "./operand.js";

export interface SortOptions {
  /** Axis to sort along (default -1). */
  axis?: number;
  /** Largest first (default false). */
  descending?: boolean;
}

/** a before b? NaN counts as larger than every number. */
function ascendingOrder(a: number, b: number): number {
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * For each lane along `axis` (outer x inner lanes of `size` entries), the first `k` positions
 * in sorted order, as an int32 array shaped like x with `size` replaced by `k`.
 */
function sortedPositions(x: Tensor, axis: number, k: number, descending: boolean): Int32Array {
  const { outer, size, inner } = splitAtAxis(x.shape, axis);
  const out = new Int32Array(outer * k * inner);
  const order = Array.from({ length: size }, (_, i) => i);
  const lane = new Float64Array(size);
  const sign = descending ? -1 : 1;
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      for (let j = 0; j < size; j++) {
        lane[j] = x.data[(o * size + j) * inner + i]!;
        order[j] = j;
      }
      // Array.prototype.sort is stable, so equal values keep their original order
      order.sort((p, q) => sign * ascendingOrder(lane[p]!, lane[q]!));
      for (let j = 0; j < k; j++) out[(o * k + j) * inner + i] = order[j]!;
    }
  return out;
}

/** x's entries at `positions` (shaped like x with the axis of length k), scattering dy back. */
function takeAlong(op: string, x: Tensor, positions: Int32Array, axis: number, k: number): Tensor {
  const { outer, size, inner } = splitAtAxis(x.shape, axis);
  const shape = [...x.shape];
  shape[axis] = k;
  const out = allocate(x.dtype, positions.length);
  const source = sourceIndex(positions, size, k, inner);
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < k; j++)
      for (let i = 0; i < inner; i++) out[(o * k + j) * inner + i] = x.data[source(o, j, i)]!;
  const y = new Tensor(out, shape);
  return record(op, y, [x], (dy) => [scatterAlong(op, dy, positions, axis, x.shape)]);
}

/** Flat index in x of element (o, j, i) of the taken values. */
function sourceIndex(positions: Int32Array, size: number, k: number, inner: number) {
  return (o: number, j: number, i: number) => (o * size + positions[(o * k + j) * inner + i]!) * inner + i;
}

/** The adjoint of takeAlong: dy summed back into zeros of xShape at the positions; recorded, its gradient is takeAlong. */
function scatterAlong(
  op: string,
  dy: Tensor,
  positions: Int32Array,
  axis: number,
  xShape: readonly number[],
): Tensor {
  const { outer, size, inner } = splitAtAxis(xShape, axis);
  const k = dy.shape[axis]!;
  const source = sourceIndex(positions, size, k, inner);
  const dx: TypedArray = allocate(dy.dtype, outer * size * inner);
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < k; j++)
      for (let i = 0; i < inner; i++) dx[source(o, j, i)]! += dy.data[(o * k + j) * inner + i]!;
  const out = new Tensor(dx, xShape);
  return record(`${op} gradient`, out, [dy], (g) => [takeAlong(op, g, positions, axis, k)]);
}

/**
 * Sorted copy along an axis (stable; NaN last ascending). Differentiable.
 * @example
 * sort(tensor([3, 1, 2]));                        // [1, 2, 3]
 * sort(tensor([3, 1, 2]), { descending: true });  // [3, 2, 1]
 */
export function sort(input: TensorLike, options: SortOptions = {}): Tensor {
  const x = toTensor(input);
  if (x.rank === 0) return x;
  const axis = normalizeAxis("sort", options.axis ?? -1, x.rank);
  const size = x.shape[axis]!;
  return takeAlong("sort", x, sortedPositions(x, axis, size, options.descending ?? false), axis, size);
}

/**
 * Int32 positions that sort x along an axis (stable, like NumPy's kind="stable").
 * @example
 * argsort(tensor([3, 1, 2])); // [1, 2, 0]
 */
export function argsort(input: TensorLike, options: SortOptions = {}): Tensor {
  const x = toTensor(input);
  if (x.rank === 0) return new Tensor(new Int32Array(1), []);
  const axis = normalizeAxis("argsort", options.axis ?? -1, x.rank);
  return new Tensor(sortedPositions(x, axis, x.shape[axis]!, options.descending ?? false), x.shape);
}

export interface TopkOptions {
  /** Axis to select along (default -1). */
  axis?: number;
  /** The k largest (default true) or the k smallest. */
  largest?: boolean;
}

/** The k selected values, in order (largest first by default), and their int32 positions. */
export interface Topk {
  readonly values: Tensor;
  readonly indices: Tensor;
}

/**
 * The k largest (or smallest) entries along an axis, sorted, with their positions. Ties go to
 * the earlier position. Values are differentiable.
 * @example
 * topk(tensor([1, 5, 3, 4]), 2); // values [5, 4], indices [1, 3]
 */
export function topk(input: TensorLike, k: number, options: TopkOptions = {}): Topk {
  const x = toTensor(input);
  if (x.rank === 0) throw new ValueError("topk: expected at least one dimension (got a scalar)");
  const axis = normalizeAxis("topk", options.axis ?? -1, x.rank);
  const size = x.shape[axis]!;
  if (!Number.isInteger(k) || k < 0 || k > size)
    throw new ValueError(
      `topk: k must be an integer in [0, ${size}] for axis ${axis} of size ${size} (got ${k})`,
    );
  const positions = sortedPositions(x, axis, k, options.largest ?? true);
  const shape = [...x.shape];
  shape[axis] = k;
  return { values: takeAlong("topk", x, positions, axis, k), indices: new Tensor(positions, shape) };
}

/** numpy.unique(x, return_index, return_inverse, return_counts) over the flattened input. */
export interface Unique {
  /** Sorted distinct values (1-D, x's dtype; one NaN at the end if any). */
  readonly values: Tensor;
  /** int32: flat position of each value's first occurrence. */
  readonly indices: Tensor;
  /** int32, shaped like x: for each entry, the position of its value in `values`. */
  readonly inverse: Tensor;
  /** int32: how many times each value occurs. */
  readonly counts: Tensor;
}

/**
 * Sorted unique values of all entries, with first positions, inverse map and counts. NaNs count
 * as one value (as NumPy's equal_nan=True).
 * @example
 * unique(tensor([3, 1, 3, 2])); // values [1, 2, 3], counts [1, 1, 2], inverse [2, 0, 2, 1]
 */
export function unique(input: TensorLike): Unique {
  const x = toTensor(input);
  const n = x.size;
  const flat = new Tensor(x.data, [n]);
  const order = sortedPositions(flat, 0, n, false);
  const values: number[] = [];
  const first: number[] = [];
  const counts: number[] = [];
  const inverse = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const p = order[j]!;
    const v = x.data[p]!;
    const last = values.length - 1;
    if (last >= 0 && ascendingOrder(values[last]!, v) === 0) {
      counts[last]! += 1;
    } else {
      values.push(v);
      first.push(p); // stable order: the first of equal values is the earliest position
      counts.push(1);
    }
    inverse[p] = values.length - 1;
  }
  const out = allocate(x.dtype, values.length);
  values.forEach((v, i) => {
    out[i] = v;
  });
  return {
    values: new Tensor(out, [values.length]),
    indices: new Tensor(Int32Array.from(first), [first.length]),
    inverse: new Tensor(inverse, x.shape),
    counts: new Tensor(Int32Array.from(counts), [counts.length]),
  };
}
