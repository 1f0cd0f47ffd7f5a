// train/array-data: in-memory training data as rows of tensors. Batching (optionally shuffled by
// the seeded global generator), the Keras validationSplit (the last fraction, before shuffling) and
// copying rows out of a tensor. All tensors of one data set share their first dimension (N).
import { allocate, type FloatArray } from "../core/dtype.js";
import { ShapeError, ValueError } from "../core/errors.js";
import type { Generator } from "../core/random.js";
import { formatShape } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";

/** Inputs, targets and per-sample weights of one data set, inputs and targets in model order. */
export interface ArrayData {
  readonly x: readonly Tensor[];
  readonly y: readonly Tensor[];
  /** Shape [N], or null when every sample weighs 1. */
  readonly sampleWeight: Tensor | null;
}

/** The shared first dimension N of every tensor, checked. */
export function countRows(op: string, data: ArrayData): number {
  const all: [string, Tensor][] = [
    ...data.x.map((t, i): [string, Tensor] => [`x[${i}]`, t]),
    ...data.y.map((t, i): [string, Tensor] => [`y[${i}]`, t]),
  ];
  if (data.sampleWeight !== null) all.push(["sampleWeight", data.sampleWeight]);
  let rows: number | null = null;
  for (const [name, t] of all) {
    if (t.rank === 0) throw new ShapeError(`${op}: ${name} must have a batch dimension (got a scalar)`);
    const n = t.shape[0]!;
    if (rows === null) rows = n;
    else if (n !== rows) {
      const shapes = all.map(([nm, tt]) => `${nm} ${formatShape(tt.shape)}`).join(", ");
      throw new ShapeError(`${op}: every array must have the same number of samples (got ${shapes})`);
    }
  }
  if (rows === null) throw new ValueError(`${op}: no data was given`);
  return rows;
}

/**
 * True when every value is finite: v - v is 0 for a finite v and NaN for NaN and +-Infinity, and
 * sums of zeros stay 0 while one NaN spoils its sum. Four independent sums, no branch per element
 * (about 4x faster than testing each element; the caller then finds the first bad one).
 */
function allFinite(values: FloatArray): boolean {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  const end = values.length - (values.length % 4);
  for (let i = 0; i < end; i += 4) {
    const v0 = values[i]!;
    const v1 = values[i + 1]!;
    const v2 = values[i + 2]!;
    const v3 = values[i + 3]!;
    a += v0 - v0;
    b += v1 - v1;
    c += v2 - v2;
    d += v3 - v3;
  }
  for (let i = end; i < values.length; i++) a += values[i]! - values[i]!;
  return a + b + c + d === 0;
}

/**
 * Checks that every float in the data is finite (NaN or Infinity would train to NaN weights without
 * a word): a ValueError names the array, the row (counted from `firstRow`) and the column (the
 * element within the row, flattened).
 */
export function checkFiniteData(op: string, data: ArrayData, firstRow = 0): void {
  const all: [string, Tensor][] = [
    ...data.x.map((t, i): [string, Tensor] => [data.x.length === 1 ? "x" : `x[${i}]`, t]),
    ...data.y.map((t, i): [string, Tensor] => [data.y.length === 1 ? "y" : `y[${i}]`, t]),
  ];
  if (data.sampleWeight !== null) all.push(["sampleWeight", data.sampleWeight]);
  for (const [name, t] of all) {
    if (t.dtype !== "float32" && t.dtype !== "float64") continue;
    const values = t.data as FloatArray;
    if (allFinite(values)) continue;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v - v === 0) continue; // finite; NaN and +-Infinity give NaN
      const rowSize = t.rank === 0 ? 1 : t.size / t.shape[0]!;
      const row = firstRow + Math.floor(i / rowSize);
      const where = rowSize === 1 ? `row ${row}` : `row ${row}, column ${i % rowSize}`;
      throw new ValueError(
        `${op}: ${name} holds ${v} at ${where}; clean or impute the data first (or pass checkFinite: false to use it as it is)`,
      );
    }
  }
}

/** Rows `start` (inclusive) to `end` (exclusive, clamped to the row count) of `t`, copied. */
export function sliceRows(t: Tensor, start: number, end: number): Tensor {
  const n = t.shape[0]!;
  end = Math.min(end, n);
  start = Math.min(start, end);
  const rowSize = n === 0 ? 0 : t.size / n;
  const data = t.data.slice(start * rowSize, end * rowSize);
  return new Tensor(data, [end - start, ...t.shape.slice(1)]);
}

/** The rows of `t` at `indices`, in that order, copied into a new tensor. */
export function takeRows(t: Tensor, indices: ArrayLike<number>): Tensor {
  const n = t.shape[0]!;
  const rowSize = n === 0 ? 0 : t.size / n;
  const out = allocate(t.dtype, indices.length * rowSize);
  const src = t.data;
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r]!;
    if (rowSize === 1) out[r] = src[i]!;
    else out.set(src.subarray(i * rowSize, (i + 1) * rowSize), r * rowSize);
  }
  return new Tensor(out, [indices.length, ...t.shape.slice(1)]);
}

/** Every tensor of `data` restricted to rows [start, end). */
export function sliceData(data: ArrayData, start: number, end: number): ArrayData {
  return {
    x: data.x.map((t) => sliceRows(t, start, end)),
    y: data.y.map((t) => sliceRows(t, start, end)),
    sampleWeight: data.sampleWeight === null ? null : sliceRows(data.sampleWeight, start, end),
  };
}

/** Every tensor of `data` restricted to the rows at `indices`. */
export function takeData(data: ArrayData, indices: ArrayLike<number>): ArrayData {
  return {
    x: data.x.map((t) => takeRows(t, indices)),
    y: data.y.map((t) => takeRows(t, indices)),
    sampleWeight: data.sampleWeight === null ? null : takeRows(data.sampleWeight, indices),
  };
}

/**
 * Keras's validationSplit: the LAST `fraction` of the samples (taken before any shuffling) become
 * the validation set; the first floor(N * (1 - fraction)) stay for training.
 */
export function splitValidation(
  data: ArrayData,
  fraction: number,
): { train: ArrayData; validation: ArrayData } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new ValueError(`fit: validationSplit must be in (0, 1) (got ${fraction})`);
  }
  const n = countRows("fit", data);
  const splitAt = Math.floor(n * (1 - fraction));
  if (splitAt === 0 || splitAt === n) {
    throw new ValueError(
      `fit: validationSplit ${fraction} of ${n} samples leaves ${splitAt === 0 ? "no training" : "no validation"} samples`,
    );
  }
  return { train: sliceData(data, 0, splitAt), validation: sliceData(data, splitAt, n) };
}

/**
 * Row indices of each batch of one epoch: ceil(N / batchSize) batches, the last one possibly
 * smaller, over a fresh permutation of 0..N-1 when `generator` is given, in order otherwise.
 */
export function batchIndices(n: number, batchSize: number, generator: Generator | null): Int32Array[] {
  const order = generator === null ? null : generator.permutation(n);
  const batches: Int32Array[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const batch = new Int32Array(end - start);
    for (let i = start; i < end; i++) batch[i - start] = order === null ? i : order[i]!;
    batches.push(batch);
  }
  return batches;
}

/** Checks a batch size option (Keras default 32). */
export function checkBatchSize(op: string, batchSize: number | undefined): number {
  const size = batchSize ?? 32;
  if (!Number.isInteger(size) || size < 1) {
    throw new ValueError(`${op}: batchSize must be a positive integer (got ${batchSize})`);
  }
  return size;
}
