// Parity of the native layer-norm, RMS-norm and GELU kernels (forward and backward) with the
// reference kernels: float32 and float64, odd sizes (widths not a multiple of any vector width, one
// row, one column), gamma / beta / scale and their gradients present or null, calls large enough
// to split over threads, on every ISA path this CPU supports; then the argument checks the entry
// points run before touching memory.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { restoreNativeSettingsAfter } from "../../../test/helpers/native-settings.js";
import { allocate, type FloatArray } from "../../core/dtype.js";
import { Generator } from "../../core/random.js";
import type { Kernels, NormParams } from "../kernels.js";
import { referenceKernels } from "../reference/index.js";
import { mergeWithReference } from "../registry.js";
import { nativeAddon } from "./loader.js";
import { nativeKernels } from "./table.js";

const addon = nativeAddon();
const rng = new Generator(29);
type DTypeName = "float32" | "float64";

function values(dtype: DTypeName, length: number, low = -3, high = 3): FloatArray {
  const out = allocate(dtype, length) as FloatArray;
  for (let i = 0; i < length; i++) out[i] = rng.uniform(low, high);
  return out;
}

/** An array filled with garbage, so a kernel that skips an element (or accumulates) is caught. */
function garbage(dtype: DTypeName, length: number): FloatArray {
  return (allocate(dtype, length) as FloatArray).fill(12345);
}

/** |got - want| <= atol + rtol |want| everywhere; NaN matches NaN. */
function assertClose(got: FloatArray | null, want: FloatArray | null, dtype: DTypeName, what: string): void {
  if (want === null || got === null) {
    assert.equal(got, want, what);
    return;
  }
  const [atol, rtol] = dtype === "float32" ? [2e-6, 2e-5] : [1e-13, 1e-12];
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const w: number = want[i]!;
    const g: number = got[i]!;
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w)))
      assert.fail(`${what}[${i}]: native ${g}, reference ${w} (${dtype})`);
  }
}

/** Runs both kernels' forward and backward on the same inputs and compares every output. */
function checkLayerNorm(
  k: Kernels,
  dtype: DTypeName,
  rows: number,
  cols: number,
  withGamma: boolean,
  withBeta: boolean,
) {
  const p: NormParams = { rows, cols, epsilon: 1e-5 };
  const x = values(dtype, rows * cols, -2, 4);
  const gamma = withGamma ? values(dtype, cols, 0.5, 1.5) : null;
  const beta = withBeta ? values(dtype, cols) : null;
  const dy = values(dtype, rows * cols);
  const run = (kernels: Kernels) => {
    const out = garbage(dtype, rows * cols);
    const mean = garbage(dtype, rows);
    const rstd = garbage(dtype, rows);
    kernels.layerNorm(x, gamma, beta, out, mean, rstd, p);
    const dx = garbage(dtype, rows * cols);
    const dgamma = withGamma ? garbage(dtype, cols) : null;
    const dbeta = withBeta ? garbage(dtype, cols) : null;
    kernels.layerNormBackward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, p);
    return { out, mean, rstd, dx, dgamma, dbeta };
  };
  const got = run(k);
  const want = run(referenceKernels);
  const what = `layerNorm ${rows}x${cols} gamma=${withGamma} beta=${withBeta}`;
  for (const key of ["out", "mean", "rstd", "dx", "dgamma", "dbeta"] as const)
    assertClose(got[key], want[key], dtype, `${what} ${key}`);
}

function checkRmsNorm(k: Kernels, dtype: DTypeName, rows: number, cols: number, withScale: boolean) {
  const p: NormParams = { rows, cols, epsilon: 1e-6 };
  const x = values(dtype, rows * cols);
  const scale = withScale ? values(dtype, cols, 0.5, 1.5) : null;
  const dy = values(dtype, rows * cols);
  const run = (kernels: Kernels) => {
    const out = garbage(dtype, rows * cols);
    const rstd = garbage(dtype, rows);
    kernels.rmsNorm(x, scale, out, rstd, p);
    const dx = garbage(dtype, rows * cols);
    const dscale = withScale ? garbage(dtype, cols) : null;
    kernels.rmsNormBackward(dy, x, scale, rstd, dx, dscale, p);
    return { out, rstd, dx, dscale };
  };
  const got = run(k);
  const want = run(referenceKernels);
  for (const key of ["out", "rstd", "dx", "dscale"] as const)
    assertClose(got[key], want[key], dtype, `rmsNorm ${rows}x${cols} scale=${withScale} ${key}`);
}

function checkGelu(k: Kernels, dtype: DTypeName, x: FloatArray, approximate: boolean) {
  const dy = values(dtype, x.length);
  const run = (kernels: Kernels) => {
    const out = garbage(dtype, x.length);
    const dx = garbage(dtype, x.length);
    kernels.gelu(x, out, approximate);
    kernels.geluBackward(x, dy, dx, approximate);
    return { out, dx };
  };
  const got = run(k);
  const want = run(referenceKernels);
  assertClose(got.out, want.out, dtype, `gelu n=${x.length} approximate=${approximate}`);
  assertClose(got.dx, want.dx, dtype, `geluBackward n=${x.length} approximate=${approximate}`);
}

/** Values across GELU's range: the far tails, around 0, signed zeros, huge magnitudes and NaN. */
function geluInputs(dtype: DTypeName): FloatArray {
  const special = [
    0,
    -0,
    1e-8,
    -1e-8,
    0.5,
    -0.5,
    3,
    -3,
    5.5,
    -5.5,
    9,
    -9,
    12,
    -12,
    40,
    -40,
    1e30,
    -1e30,
    Number.NaN,
  ];
  const wide = values(dtype, 1000, -10, 10);
  const out = allocate(dtype, special.length + wide.length) as FloatArray;
  out.set(special);
  out.set(wide, special.length);
  return out;
}

describe("native norm and GELU kernels match the reference", () => {
  if (!addon) return;
  restoreNativeSettingsAfter(addon);
  const k = mergeWithReference(nativeKernels(addon));
  test("every norm and GELU kernel is native", () => {
    for (const name of [
      "layerNorm",
      "layerNormBackward",
      "rmsNorm",
      "rmsNormBackward",
      "gelu",
      "geluBackward",
    ] as const)
      assert.notEqual(k[name], referenceKernels[name], `${name} should be native`);
  });
  for (const isa of addon.supportedIsas()) {
    for (const dtype of ["float32", "float64"] as const) {
      test(`${isa}, ${dtype}: odd sizes, parameters present or null`, () => {
        addon.setIsa(isa);
        addon.setNumThreads(1);
        for (const [rows, cols] of [
          [1, 1],
          [3, 7],
          [2, 8],
          [5, 17],
          [2, 33],
          [4, 129],
        ] as const) {
          for (const withGamma of [false, true])
            for (const withBeta of [false, true]) checkLayerNorm(k, dtype, rows, cols, withGamma, withBeta);
          checkRmsNorm(k, dtype, rows, cols, true);
          checkRmsNorm(k, dtype, rows, cols, false);
        }
        for (const n of [1, 7, 15, 17, 33]) {
          checkGelu(k, dtype, values(dtype, n, -5, 5), false);
          checkGelu(k, dtype, values(dtype, n, -5, 5), true);
        }
        checkGelu(k, dtype, geluInputs(dtype), false);
        checkGelu(k, dtype, geluInputs(dtype), true);
      });
      test(`${isa}, ${dtype}: calls large enough to split over 2 threads`, () => {
        addon.setIsa(isa);
        addon.setNumThreads(2);
        checkLayerNorm(k, dtype, 301, 190, true, true);
        checkLayerNorm(k, dtype, 300, 128, false, true);
        checkRmsNorm(k, dtype, 257, 190, true);
        checkGelu(k, dtype, values(dtype, 70001, -6, 6), false);
        checkGelu(k, dtype, values(dtype, 70001, -6, 6), true);
      });
    }
  }
});

describe("native norm and GELU entry points check their arguments", () => {
  if (!addon) return;
  const { layerNorm, layerNormBackward, rmsNorm, rmsNormBackward, gelu, geluBackward } = addon;
  if (!layerNorm || !layerNormBackward || !rmsNorm || !rmsNormBackward || !gelu || !geluBackward) return;
  const R = 2;
  const C = 5;
  const f = (n: number) => new Float32Array(n);
  test("short arrays throw a RangeError naming the array", () => {
    assert.throws(() => layerNorm(f(9), null, null, f(10), f(2), f(2), R, C, 1e-5), {
      name: "RangeError",
      message: /layerNorm: x has 9 elements, needs 10/,
    });
    assert.throws(
      () => layerNorm(f(10), f(4), null, f(10), f(2), f(2), R, C, 1e-5),
      /layerNorm: gamma has 4/,
    );
    assert.throws(() => layerNorm(f(10), null, null, f(10), f(2), f(1), R, C, 1e-5), /layerNorm: rstd has 1/);
    assert.throws(
      () => layerNormBackward(f(10), f(10), null, f(2), f(2), f(10), null, f(4), R, C),
      /layerNormBackward: dbeta has 4/,
    );
    assert.throws(() => rmsNorm(f(10), null, f(9), f(2), R, C, 1e-6), /rmsNorm: out has 9/);
    assert.throws(
      () => rmsNormBackward(f(10), f(10), f(5), f(2), f(10), f(3), R, C),
      /rmsNormBackward: dscale has 3/,
    );
    assert.throws(() => gelu(f(10), f(9), false), /gelu: out has 9/);
    assert.throws(() => geluBackward(f(10), f(10), f(2), true), /geluBackward: dx has 2/);
  });
  test("bad sizes and epsilon throw a RangeError", () => {
    const ok = [f(10), null, null, f(10), f(2), f(2)] as const;
    assert.throws(() => layerNorm(...ok, -1, C, 1e-5), RangeError);
    assert.throws(() => layerNorm(...ok, R, 2.5, 1e-5), RangeError);
    assert.throws(() => layerNorm(...ok, R, C, Number.POSITIVE_INFINITY), /epsilon must be finite/);
    assert.throws(() => rmsNorm(f(10), null, f(10), f(2), 2 ** 40, 2 ** 40, 1e-6), RangeError);
  });
  test("wrong types, mixed dtypes and missing arguments throw a TypeError", () => {
    const d = (n: number) => new Float64Array(n);
    assert.throws(() => layerNorm(f(10), d(5), null, f(10), f(2), f(2), R, C, 1e-5), {
      name: "TypeError",
      message: /share one dtype/,
    });
    const ints = new Int32Array(10) as unknown as Float32Array;
    assert.throws(() => rmsNorm(ints, null, ints, ints, R, C, 1e-6), /Float32Array or Float64Array/);
    const notArray = [1, 2, 3] as unknown as Float32Array;
    assert.throws(() => gelu(notArray, f(3), false), {
      name: "TypeError",
      message: /gelu: x must be a typed array/,
    });
    // out is not optional: null there is a type error, not a crash
    const call = layerNorm as (...args: unknown[]) => void;
    assert.throws(
      () => call(f(10), null, null, null, f(2), f(2), R, C, 1e-5),
      /layerNorm: out must be a typed array/,
    );
    assert.throws(() => call(f(10), null, null, f(10), f(2), f(2), R, C), TypeError);
    assert.throws(() => call(f(10), null, null, f(10), f(2), f(2), R, C, "x"), /epsilon must be a number/);
    const back = geluBackward as (...args: unknown[]) => void;
    assert.throws(() => back(f(3), d(3), f(3), false), /share one dtype/);
  });
  test("zero rows or columns write nothing and do not throw", () => {
    const out = f(3).fill(7);
    layerNorm(f(0), null, null, out, f(0), f(0), 0, C, 1e-5);
    rmsNormBackward(f(0), f(0), f(5), f(0), out, null, 0, C);
    gelu(f(0), out, false);
    assert.deepEqual([...out], [7, 7, 7]);
    // zero columns: the statistics of an empty row are NaN (0 / 0), as in the reference
    const mean = f(2);
    layerNorm(f(0), null, null, f(0), mean, f(2), 2, 0, 1e-5);
    assert.ok(Number.isNaN(mean[0]!) && Number.isNaN(mean[1]!));
  });
});
