// data/dataset/collate: the row and batch plumbing of Dataset: one row of an array-like source,
// and stacking B elements of the same structure into one batch element. Layer: data.
//
// Stacking rules (element -> batch of B):
//   Tensor of shape S (all the same shape and dtype) -> Tensor [B, ...S]
//   number                                          -> float32 Tensor [B]  (as tensor() does)
//   boolean                                         -> bool Tensor [B]
//   string                                          -> string[] of length B
//   array (tuple) of n parts                        -> array of n batched parts
//   plain object                                    -> object with each key batched
import { describe } from "../../core/config.js";
import { dtypeOfArray, type TypedArray } from "../../core/dtype.js";
import { ShapeError, ValueError } from "../../core/errors.js";
import { formatShape, shapesEqual } from "../../core/shape.js";
import { Tensor } from "../../tensor/tensor.js";

/** What a batch of elements of type T looks like. */
export type Batched<T> = T extends Tensor
  ? Tensor
  : T extends number | boolean
    ? Tensor
    : T extends string
      ? string[]
      : T extends readonly unknown[]
        ? { [K in keyof T]: Batched<T[K]> }
        : T extends object
          ? { [K in keyof T]: Batched<T[K]> }
          : never;

/** Sources Dataset.fromArrays reads row by row. */
export type ArraySource = Tensor | TypedArray | readonly unknown[];

/** The element one row of a source gives: a Tensor row, a number, or the array's item. */
export type RowOf<X> = X extends Tensor
  ? Tensor
  : X extends TypedArray
    ? number
    : X extends readonly (infer E)[]
      ? E
      : never;

export function sourceLength(op: string, source: ArraySource): number {
  if (source instanceof Tensor) {
    if (source.rank === 0) throw new ShapeError(`${op}: a scalar tensor has no rows`);
    return source.shape[0]!;
  }
  if (Array.isArray(source) || dtypeOfArray(source) !== undefined) return source.length;
  throw new ValueError(`${op}: expected a Tensor, an array or a typed array (got ${describe(source)})`);
}

/** Row i of a source (a Tensor row is copied into a tensor of its own). */
export function rowAt(source: ArraySource, i: number): unknown {
  if (source instanceof Tensor) {
    const rowShape = source.shape.slice(1);
    const size = rowShape.reduce((p, d) => p * d, 1);
    return new Tensor(source.data.slice(i * size, (i + 1) * size), rowShape);
  }
  return (source as ArrayLike<unknown>)[i];
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Stacks elements of one structure into a batch (see the table in the file header). */
export function collate(items: readonly unknown[], path = "element"): unknown {
  const first = items[0];
  if (first instanceof Tensor) {
    const data = newArray(first.data, items.length * first.size);
    items.forEach((item, b) => {
      if (!(item instanceof Tensor)) throw mismatch(path, b, "a Tensor", item);
      if (item.dtype !== first.dtype || !shapesEqual(item.shape, first.shape)) {
        throw new ShapeError(
          `batch: ${path} ${b} is ${item.dtype} ${formatShape(item.shape)} but element 0 is ${first.dtype} ${formatShape(first.shape)}`,
        );
      }
      data.set(item.data, b * first.size);
    });
    return new Tensor(data, [items.length, ...first.shape]);
  }
  if (typeof first === "number") {
    const data = new Float32Array(items.length);
    items.forEach((item, b) => {
      if (typeof item !== "number") throw mismatch(path, b, "a number", item);
      data[b] = item;
    });
    return new Tensor(data, [items.length]);
  }
  if (typeof first === "boolean") {
    const data = new Uint8Array(items.length);
    items.forEach((item, b) => {
      if (typeof item !== "boolean") throw mismatch(path, b, "a boolean", item);
      data[b] = item ? 1 : 0;
    });
    return new Tensor(data, [items.length], "bool");
  }
  if (typeof first === "string") {
    return items.map((item, b) => {
      if (typeof item !== "string") throw mismatch(path, b, "a string", item);
      return item;
    });
  }
  if (Array.isArray(first)) {
    const n = first.length;
    items.forEach((item, b) => {
      if (!Array.isArray(item) || item.length !== n) throw mismatch(path, b, `an array of ${n}`, item);
    });
    return Array.from({ length: n }, (_, j) =>
      collate(
        items.map((item) => (item as unknown[])[j]),
        `${path}[${j}]`,
      ),
    );
  }
  if (isPlainObject(first)) {
    const keys = Object.keys(first);
    items.forEach((item, b) => {
      if (!isPlainObject(item) || Object.keys(item).length !== keys.length || !keys.every((k) => k in item)) {
        throw mismatch(path, b, `an object with keys ${keys.join(", ")}`, item);
      }
    });
    const out: Record<string, unknown> = {};
    for (const k of keys)
      out[k] = collate(
        items.map((item) => (item as Record<string, unknown>)[k]),
        `${path}.${k}`,
      );
    return out;
  }
  throw new ValueError(
    `batch: cannot batch ${path} of type ${describe(first)} (expected Tensor, number, boolean, string, array or object)`,
  );
}

function mismatch(path: string, b: number, expected: string, got: unknown): ValueError {
  return new ValueError(`batch: ${path} ${b} should be ${expected} like element 0 (got ${describe(got)})`);
}

function newArray(like: TypedArray, length: number): TypedArray {
  if (like instanceof Float32Array) return new Float32Array(length);
  if (like instanceof Float64Array) return new Float64Array(length);
  if (like instanceof Int32Array) return new Int32Array(length);
  return new Uint8Array(length);
}
