// The GEMM epilogue adjoint (epilogueBackward): the reference kernel against hand-computed values,
// then native against reference on every ISA path this CPU supports, float32 and float64, odd
// sizes (widths not a multiple of any vector width, one row, one column), dz in place over dy or
// null, dBias present or null, special values (NaN / infinite dy, y exactly 0), on 1 thread (bit
// for bit) and on 2 threads (bias sums added in another order: within rounding); then the argument
// checks the entry point runs before touching memory.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { restoreNativeSettingsAfter } from "../../../test/helpers/native-settings.js";
import { allocate, type FloatArray } from "../../core/dtype.js";
import { Generator } from "../../core/random.js";
import type { EpilogueActivation, Kernels } from "../kernels.js";
import { referenceKernels } from "../reference/index.js";
import { mergeWithReference } from "../registry.js";
import { nativeAddon } from "./loader.js";
import { nativeKernels } from "./table.js";

const addon = nativeAddon();
const rng = new Generator(41);
type DTypeName = "float32" | "float64";
const ACTIVATIONS: readonly EpilogueActivation[] = ["none", "relu", "sigmoid", "tanh"];

function values(dtype: DTypeName, length: number, low: number, high: number): FloatArray {
  const out = allocate(dtype, length) as FloatArray;
  for (let i = 0; i < length; i++) out[i] = rng.uniform(low, high);
  return out;
}

/** y in the activation's range (relu's too: the kernel must zero y < 0), with exact zeros (its boundary). */
function outputs(dtype: DTypeName, act: EpilogueActivation, length: number): FloatArray {
  const y = act === "sigmoid" ? values(dtype, length, 0, 1) : values(dtype, length, -1, 1);
  for (let i = 0; i < length; i += 5) y[i] = 0;
  return y;
}

function garbage(dtype: DTypeName, length: number): FloatArray {
  return (allocate(dtype, length) as FloatArray).fill(12345);
}

describe("reference epilogueBackward", () => {
  const y = Float64Array.of(0.5, -1, 2, 0);
  const dy = Float64Array.of(2, 3, 4, 5);
  const want: Record<EpilogueActivation, [number[], number[]]> = {
    none: [
      [2, 3, 4, 5],
      [6, 8],
    ],
    relu: [
      [2, 0, 4, 0],
      [6, 0],
    ],
    sigmoid: [
      [0.5, -6, -8, 0],
      [-7.5, -6],
    ], // y (1 - y) = 0.25, -2, -2, 0
    tanh: [
      [1.5, 0, -12, 5],
      [-10.5, 5],
    ], // (1 - y)(1 + y) = 0.75, 0, -3, 1
  };
  for (const act of ACTIVATIONS) {
    test(`${act}: dz = dy act'(y) and dBias = column sums of dz`, () => {
      const dz = new Float64Array(4).fill(9);
      const dBias = new Float64Array(2).fill(9);
      referenceKernels.epilogueBackward(y, dy, dz, dBias, { rows: 2, cols: 2, activation: act });
      assert.deepEqual([...dz], want[act][0]);
      assert.deepEqual([...dBias], want[act][1]);
    });
  }
  test("none with dz null sums dy; dz may be dy itself", () => {
    const dBias = new Float64Array(2);
    referenceKernels.epilogueBackward(y, dy, null, dBias, { rows: 2, cols: 2, activation: "none" });
    assert.deepEqual([...dBias], [6, 8]);
    const inPlace = dy.slice();
    referenceKernels.epilogueBackward(y, inPlace, inPlace, null, { rows: 2, cols: 2, activation: "relu" });
    assert.deepEqual([...inPlace], [2, 0, 4, 0]);
  });
});

/** Runs both kernels on the same inputs; dz bit for bit, dBias bit for bit or within rounding. */
function check(
  k: Kernels,
  dtype: DTypeName,
  act: EpilogueActivation,
  rows: number,
  cols: number,
  exactBias: boolean,
): void {
  const n = rows * cols;
  const y = outputs(dtype, act, n);
  const dy = values(dtype, n, -3, 3);
  if (n > 3) {
    dy[1] = Number.NaN;
    dy[2] = Number.POSITIVE_INFINITY;
    dy[3] = Number.NEGATIVE_INFINITY;
  }
  const what = `${act} ${dtype} ${rows}x${cols}`;
  const cases: { dz: "fresh" | "inPlace" | "null"; bias: boolean }[] = [
    { dz: "fresh", bias: true },
    { dz: "fresh", bias: false },
    { dz: "inPlace", bias: true },
  ];
  if (act === "none") cases.push({ dz: "null", bias: true });
  for (const c of cases) {
    const run = (kernels: Kernels) => {
      const g = dy.slice();
      const dz = c.dz === "null" ? null : c.dz === "inPlace" ? g : garbage(dtype, n);
      const dBias = c.bias ? garbage(dtype, cols) : null;
      kernels.epilogueBackward(y, g, dz, dBias, { rows, cols, activation: act });
      return { dz: dz ?? g, dBias };
    };
    const got = run(k);
    const want = run(referenceKernels);
    for (let i = 0; i < n; i++) {
      if (!Object.is(got.dz[i], want.dz[i]))
        assert.fail(`${what} dz=${c.dz}: dz[${i}] native ${got.dz[i]}, reference ${want.dz[i]}`);
    }
    if (want.dBias === null || got.dBias === null) {
      assert.equal(got.dBias, want.dBias);
      continue;
    }
    const tol = dtype === "float32" ? 1e-6 : 1e-13;
    for (let j = 0; j < cols; j++) {
      const w: number = want.dBias[j]!;
      const g: number = got.dBias[j]!;
      if (Number.isNaN(w) && Number.isNaN(g)) continue;
      const ok = exactBias ? Object.is(g, w) : g === w || Math.abs(g - w) <= tol * (1 + Math.abs(w));
      if (!ok) assert.fail(`${what} dz=${c.dz}: dBias[${j}] native ${g}, reference ${w}`);
    }
  }
}

describe("native epilogueBackward matches the reference", () => {
  if (!addon) return;
  restoreNativeSettingsAfter(addon);
  const k = mergeWithReference(nativeKernels(addon));
  test("the kernel is native", () => {
    assert.notEqual(k.epilogueBackward, referenceKernels.epilogueBackward);
  });
  for (const isa of addon.supportedIsas()) {
    for (const dtype of ["float32", "float64"] as const) {
      test(`${isa}, ${dtype}: odd sizes, every activation, 1 thread (bit for bit)`, () => {
        addon.setIsa(isa);
        addon.setNumThreads(1);
        for (const act of ACTIVATIONS) {
          for (const [rows, cols] of [
            [1, 1],
            [3, 7],
            [2, 8],
            [5, 17],
            [1, 33],
            [4, 129],
            [0, 5],
            [3, 0],
          ] as const)
            check(k, dtype, act, rows, cols, true);
        }
      });
      test(`${isa}, ${dtype}: calls large enough to split over 2 threads`, () => {
        addon.setIsa(isa);
        addon.setNumThreads(2);
        for (const act of ACTIVATIONS) check(k, dtype, act, 601, 257, false);
      });
    }
  }
});

describe("native epilogueBackward checks its arguments", () => {
  if (!addon) return;
  const fn = addon.epilogueBackward.bind(addon);
  const f = (n: number) => new Float32Array(n);
  test("short arrays throw a RangeError naming the array", () => {
    assert.throws(() => fn(f(9), f(10), f(10), f(5), 2, 5, 1), {
      name: "RangeError",
      message: /epilogueBackward: y has 9 elements, needs 10/,
    });
    assert.throws(() => fn(f(10), f(9), f(10), null, 2, 5, 1), /epilogueBackward: dy has 9/);
    assert.throws(() => fn(f(10), f(10), f(9), null, 2, 5, 2), /epilogueBackward: dz has 9/);
    assert.throws(() => fn(f(10), f(10), f(10), f(4), 2, 5, 3), /epilogueBackward: dBias has 4/);
  });
  test("bad sizes, activation codes and a null dz with an activation throw a RangeError", () => {
    assert.throws(() => fn(f(10), f(10), f(10), null, -1, 5, 1), RangeError);
    assert.throws(() => fn(f(10), f(10), f(10), null, 2, 2.5, 1), RangeError);
    assert.throws(() => fn(f(10), f(10), f(10), null, 2, 5, 4), /activation must be an integer in \[0, 3\]/);
    assert.throws(() => fn(f(10), f(10), null, f(5), 2, 5, 1), /dz may be null only for activation none/);
    assert.throws(() => fn(f(1), f(1), f(1), null, 2 ** 40, 2 ** 40, 1), /too large/);
  });
  test("wrong types, mixed dtypes and missing arguments throw a TypeError", () => {
    assert.throws(() => fn(f(10), new Float64Array(10), f(10), null, 2, 5, 1), {
      name: "TypeError",
      message: /share one dtype/,
    });
    const ints = new Int32Array(10) as unknown as Float32Array;
    assert.throws(() => fn(ints, ints, ints, null, 2, 5, 1), /Float32Array or Float64Array/);
    const call = fn as (...args: unknown[]) => void;
    assert.throws(() => call(null, f(10), f(10), null, 2, 5, 1), /epilogueBackward: y must be a typed array/);
    assert.throws(() => call(f(10), f(10), f(10), null, 2, 5), /expected 7 arguments/);
  });
});
