// test/helpers/close: approximate comparison of tensors with named tolerances per dtype.
// NaN matches NaN and an infinity matches the same infinity; everything else must satisfy
// |actual - expected| <= atol + rtol * |expected|.
import assert from "node:assert/strict";
import { type DType, type NestedArray, Tensor } from "../../src/index.js";

export interface Tolerance {
  atol: number;
  rtol: number;
}

/** float32 results against float64-computed expectations (a few ulps plus reordered sums). */
export const FLOAT32_TOL: Tolerance = { atol: 1e-6, rtol: 1e-5 };
/** float64 results against float64-computed expectations. */
export const FLOAT64_TOL: Tolerance = { atol: 1e-12, rtol: 1e-10 };
/** int32 and bool results, and float results that must be exact (copies, exact arithmetic). */
export const EXACT: Tolerance = { atol: 0, rtol: 0 };

/** The default tolerance for a result of this dtype. */
export function tolFor(dtype: DType): Tolerance {
  if (dtype === "float32") return FLOAT32_TOL;
  if (dtype === "float64") return FLOAT64_TOL;
  return EXACT;
}

export type Expected = Tensor | NestedArray | readonly NestedArray[] | ArrayLike<number>;

function flattenExpected(value: Expected): { values: number[]; shape: number[] } {
  if (value instanceof Tensor) return { values: Array.from(value.data), shape: [...value.shape] };
  if (ArrayBuffer.isView(value)) {
    const arr = value as unknown as ArrayLike<number>;
    return { values: Array.from(arr), shape: [arr.length] };
  }
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const values: number[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v === "boolean") values.push(v ? 1 : 0);
      else if (typeof v === "number") values.push(v);
      else throw new Error(`assertClose: expected value is not rectangular (got ${String(v)})`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth])
      throw new Error("assertClose: expected value is not rectangular");
    for (const item of v) walk(item, depth + 1);
  };
  walk(value, 0);
  return { values, shape };
}

function matches(a: number, e: number, tol: Tolerance): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  if (!Number.isFinite(a)) return false;
  return Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
}

export interface CloseOptions {
  /** Defaults to the tolerance of the actual tensor's dtype. */
  tol?: Tolerance;
  /** When given, the actual tensor must have this dtype. */
  dtype?: DType;
  message?: string;
}

/**
 * Asserts that `actual` has the expected shape (from nested arrays, a Tensor, or a flat typed
 * array for 1-D) and that every element is close within the tolerance.
 */
export function assertClose(actual: Tensor, expected: Expected, options: CloseOptions = {}): void {
  assert.ok(actual instanceof Tensor, "assertClose: actual must be a Tensor");
  const where = options.message ? `${options.message}: ` : "";
  if (options.dtype !== undefined) assert.equal(actual.dtype, options.dtype, `${where}dtype`);
  const { values, shape } = flattenExpected(expected);
  assert.deepEqual([...actual.shape], shape, `${where}shape [${actual.shape}] vs expected [${shape}]`);
  const tol = options.tol ?? tolFor(actual.dtype);
  for (let i = 0; i < values.length; i++) {
    const a = actual.data[i]!;
    const e = values[i]!;
    if (!matches(a, e, tol)) {
      assert.fail(
        `${where}element ${i}: got ${a}, expected ${e} (atol ${tol.atol}, rtol ${tol.rtol}, dtype ${actual.dtype})`,
      );
    }
  }
}

/** Scalar version of assertClose. */
export function assertNumberClose(actual: number, expected: number, tol: Tolerance, message = ""): void {
  if (!matches(actual, expected, tol)) {
    assert.fail(
      `${message ? `${message}: ` : ""}got ${actual}, expected ${expected} (atol ${tol.atol}, rtol ${tol.rtol})`,
    );
  }
}

/** Rounds a float64 value to the nearest float32, for expectations of float32 arithmetic. */
export function f32(v: number): number {
  return Math.fround(v);
}
