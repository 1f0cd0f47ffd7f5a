// The AVX-512 path for a C of 1-4 rows (native/src/gemm-small-avx512.cc) against the tiled path:
// each row of a small product must equal, bit for bit, the same row computed inside a 6-row
// product (which the register-tiled micro-kernel runs), for every epilogue, a transposed A, k
// longer than one cache block, a partial last vector of columns, and both thread splits
// (columns of one matrix, by flops or by the bytes of a large B; whole matrices of a batch).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { restoreNativeSettingsAfter } from "../../../test/helpers/native-settings.js";
import { Generator } from "../../core/random.js";
import type { EpilogueActivation, MatmulParams } from "../kernels.js";
import { nativeAddon } from "./loader.js";
import { nativeKernels } from "./table.js";

const addon = nativeAddon();
const rng = new Generator(5);
const TILED_ROWS = 6; // above the small path's 4 rows

function random(length: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.uniform(-1, 1);
  return out;
}

/** A's rows r0..r0+m of each batch entry, stored (k, m) when transposed. */
function rowsOf(a: Float32Array, batch: number, k: number, m: number, transA: boolean): Float32Array {
  const out = new Float32Array(batch * m * k);
  for (let e = 0; e < batch; e++)
    for (let r = 0; r < m; r++)
      for (let p = 0; p < k; p++) {
        const v = a[(e * TILED_ROWS + r) * k + p]!;
        out[e * m * k + (transA ? p * m + r : r * k + p)] = v;
      }
  return out;
}

function compare(
  batch: number,
  m: number,
  k: number,
  n: number,
  activation: EpilogueActivation,
  transA: boolean,
  bOffset = 0,
): void {
  const matmul = nativeKernels(addon!).matmul!;
  const a = random(batch * TILED_ROWS * k);
  // B a view `bOffset` floats into its buffer: rows that start anywhere in a cache line
  const b = random(batch * k * n + bOffset).subarray(bOffset);
  const bias = random(n);
  const base: MatmulParams = {
    batch,
    m: TILED_ROWS,
    n,
    k,
    transA: false,
    transB: false,
    aBatchStride: TILED_ROWS * k,
    bBatchStride: k * n,
    bias,
    activation,
  };
  const tiled = new Float32Array(batch * TILED_ROWS * n);
  matmul(a, b, tiled, base);
  const small = new Float32Array(batch * m * n).fill(Number.NaN);
  matmul(rowsOf(a, batch, k, m, transA), b, small, { ...base, m, transA, aBatchStride: m * k });
  for (let e = 0; e < batch; e++)
    for (let i = 0; i < m * n; i++) {
      const got = small[e * m * n + i]!;
      const want = tiled[e * TILED_ROWS * n + i]!;
      if (!Object.is(got, want))
        assert.fail(
          `batch ${batch} m ${m} k ${k} n ${n} ${activation} transA ${transA}: entry ${e} element ${i} is ${got}, tiled ${want}`,
        );
    }
}

describe("native GEMM with 1-4 rows equals the tiled path bit for bit", () => {
  if (addon === undefined || !addon.supportedIsas().includes("avx512")) {
    test("needs the native addon on an AVX-512 CPU", (t) => t.skip("no AVX-512 path here"));
    return;
  }
  restoreNativeSettingsAfter(addon);
  for (const threads of [1, 2]) {
    test(`${threads} thread${threads > 1 ? "s" : ""}`, () => {
      addon.setIsa("avx512");
      addon.setNumThreads(threads);
      for (const activation of ["none", "relu", "sigmoid", "tanh"] as const)
        for (const m of [1, 2, 3, 4]) {
          compare(1, m, 600, 37, activation, m === 3); // k over two blocks, a partial vector
          compare(1, m, 100, 300, activation, false);
        }
      compare(1, 1, 1000, 1100, "relu", false); // above the threading threshold: columns split
      // below the flop threshold but a large B: columns split by bytes of B (gemm-small-split.h), in
      // passes as wide as each part (19 vectors: parts of 10 and 9, a partial last vector)
      for (const m of [1, 2, 3, 4]) compare(1, m, 784, 300, m % 2 === 0 ? "relu" : "none", m === 3);
      // n a multiple of 16 with B at every offset in a cache line: vectors start on line
      // boundaries, the first one's leading lanes masked off (gemm-small-avx512.cc rowsRange)
      for (let bOffset = 0; bOffset < 16; bOffset += 3)
        for (const m of [1, 2, 4]) compare(1, m, 300, 64 * m + 16, "tanh", false, bOffset);
      compare(1, 1, 784, 256, "relu", false, 4); // the MLP's first layer, split by bytes of B
      compare(3, 2, 700, 600, "tanh", true); // a batch: whole matrices per thread
    });
  }
});
