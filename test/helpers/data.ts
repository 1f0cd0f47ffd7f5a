// test/helpers/data: small deterministic inputs for value tests (seeded, any dtype).
import { type DType, Generator, Tensor } from "../../src/index.js";

/** A tensor of uniform values in [low, high) from its own seeded stream (ints are floored). */
export function seeded(
  shape: readonly number[],
  low: number,
  high: number,
  seed: number,
  dtype: DType = "float32",
): Tensor {
  const g = new Generator(seed);
  const size = shape.reduce((p, d) => p * d, 1);
  const t = new Tensor(
    dtype === "float32"
      ? new Float32Array(size)
      : dtype === "float64"
        ? new Float64Array(size)
        : dtype === "int32"
          ? new Int32Array(size)
          : new Uint8Array(size),
    shape,
  );
  for (let i = 0; i < size; i++) {
    const v = g.uniform(low, high);
    t.data[i] = dtype === "bool" ? (v > (low + high) / 2 ? 1 : 0) : dtype === "int32" ? Math.floor(v) : v;
  }
  return t;
}

/** Applies a float64 scalar function to every element of t (the independent expectation). */
export function mapValues(t: Tensor, f: (v: number) => number): number[] {
  return Array.from(t.data, (v) => f(v));
}

/** Element sizes used for elementwise parity: odd lengths that defeat vector widths, and a larger one. */
export const ODD_SIZES = [1, 7, 33, 1023] as const;
