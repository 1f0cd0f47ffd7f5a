// data/split/indexable: the small "take rows by index" abstraction that lets the splitters and the
// Dataset work on Tensors (rows along axis 0), JS arrays, typed arrays and Tables alike.
import { describe } from "../../core/config.js";
import { dtypeOfArray, type TypedArray } from "../../core/dtype.js";
import { IndexError, ValueError } from "../../core/errors.js";
import { Generator, getGenerator } from "../../core/random.js";
import { Tensor } from "../../tensor/tensor.js";

/**
 * Anything with a row count and a way to pick rows by index (a Table is one). `take` must return a
 * new object of the same kind holding those rows in that order.
 */
export interface RowTakeable {
  readonly numRows: number;
  take(indices: readonly number[]): RowTakeable;
}

/** What the splitters accept: a Tensor (rows along axis 0), an array, a typed array or a RowTakeable. */
export type Indexable = Tensor | TypedArray | readonly unknown[] | RowTakeable;

function isRowTakeable(x: unknown): x is RowTakeable {
  if (typeof x !== "object" || x === null) return false;
  const candidate = x as { numRows?: unknown; take?: unknown };
  return typeof candidate.numRows === "number" && typeof candidate.take === "function";
}

/** Number of rows (samples) of an Indexable. */
export function numRows(op: string, x: Indexable): number {
  if (x instanceof Tensor) {
    if (x.rank === 0) throw new ValueError(`${op}: expected a tensor with at least one axis (got a scalar)`);
    return x.shape[0]!;
  }
  if (Array.isArray(x) || dtypeOfArray(x) !== undefined) return (x as { length: number }).length;
  if (isRowTakeable(x)) return x.numRows;
  throw new ValueError(
    `${op}: expected a Tensor, an array, a typed array or a table with numRows and take() (got ${describe(x)})`,
  );
}

/** The rows of `x` at `indices`, in that order, as the same kind of object. */
export function takeRows<T extends Indexable>(op: string, x: T, indices: readonly number[]): T {
  const n = numRows(op, x);
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new IndexError(`${op}: row index ${i} is out of range for ${n} rows`);
    }
  }
  if (x instanceof Tensor) {
    const rowSize = x.shape.slice(1).reduce((p, d) => p * d, 1);
    const data = newLike(x.data, indices.length * rowSize);
    for (let r = 0; r < indices.length; r++) {
      const start = indices[r]! * rowSize;
      data.set(x.data.subarray(start, start + rowSize), r * rowSize);
    }
    return new Tensor(data, [indices.length, ...x.shape.slice(1)]) as T;
  }
  if (Array.isArray(x)) return indices.map((i) => x[i]) as unknown as T;
  if (dtypeOfArray(x) !== undefined) {
    const source = x as TypedArray;
    const out = newLike(source, indices.length);
    for (let r = 0; r < indices.length; r++) out[r] = source[indices[r]!]!;
    return out as T;
  }
  return (x as RowTakeable).take(indices) as T;
}

function newLike(array: TypedArray, length: number): TypedArray {
  if (array instanceof Float32Array) return new Float32Array(length);
  if (array instanceof Float64Array) return new Float64Array(length);
  if (array instanceof Int32Array) return new Int32Array(length);
  return new Uint8Array(length);
}

/** Options shared by every function that draws random numbers here. */
export interface RandomSource {
  /** A seed for a private generator; same seed, same result. */
  seed?: number;
  /** A generator of your own (ignored when `seed` is given). */
  generator?: Generator;
}

/** The generator a function should draw from: a fresh one for `seed`, else the given or global one. */
export function resolveGenerator(options: RandomSource): Generator {
  if (options.seed !== undefined) return new Generator(options.seed);
  return options.generator ?? getGenerator();
}
