// test/wasm/gemm-tiles: the wasm GEMM (native/wasm/gemm-simd128.cc, a 4 x 8 register tile in
// the driver's 256-deep, 384-wide cache blocks) against the reference backend at every edge the
// tiling has: m, n, k one below, at and one above the tile (4 rows, 8 columns) and the blocks
// (k 256, n 384), both ways of reading B (in place for short C, packed for tall C or a row stride of
// 4 KiB), all four operand layouts, batches with a broadcast operand, and the fused bias + activation
// epilogue, which runs only after the last k block. Values are compared with a tolerance growing
// with sqrt(k): the kernels sum in another order than the reference.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { MatmulParams } from "../../src/backend/kernel-params.js";
import { referenceKernels } from "../../src/backend/reference/index.js";
import { loadWasmBackend, wasmLoadError } from "../../src/backend/wasm/loader.js";

/** Deterministic values in [-1, 1), a different sequence per seed. */
function values(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => ((((i + 3) * 7919 * seed) % 2003) - 1001) / 1001);
}

/** The wasm backend's matmul, or a failure saying how to build it. */
function wasmMatmul() {
  const loaded = loadWasmBackend();
  assert.ok(
    loaded,
    `the wasm backend did not load (${wasmLoadError()}); build it with \`npm run build:wasm\``,
  );
  const matmul = loaded.kernels.matmul;
  assert.ok(matmul, "the wasm backend has a matmul kernel");
  return matmul;
}

interface Case {
  m: number;
  n: number;
  k: number;
  batch?: number;
  /** true: A is one matrix broadcast over the batch (aBatchStride 0). */
  broadcastA?: boolean;
}

function check(
  matmul: ReturnType<typeof wasmMatmul>,
  c: Case,
  transA: boolean,
  transB: boolean,
  epilogue: boolean,
) {
  const { m, n, k } = c;
  const batch = c.batch ?? 1;
  const aCount = c.broadcastA ? m * k : batch * m * k;
  const a = values(aCount, 3 + m);
  const b = values(batch * k * n, 5 + n);
  const params: MatmulParams = {
    batch,
    m,
    n,
    k,
    transA,
    transB,
    aBatchStride: c.broadcastA ? 0 : m * k,
    bBatchStride: k * n,
    ...(epilogue ? { bias: values(n, 11), activation: "relu" as const } : {}),
  };
  const expected = new Float32Array(batch * m * n);
  referenceKernels.matmul(a, b, expected, params);
  const actual = new Float32Array(batch * m * n).fill(Number.NaN);
  matmul(a, b, actual, params);
  const tolerance = 2e-6 * Math.sqrt(k);
  for (let i = 0; i < expected.length; i++) {
    const want = expected[i]!;
    const got = actual[i]!;
    if (!(Math.abs(got - want) <= tolerance * (1 + Math.abs(want)))) {
      const at = `batch ${Math.floor(i / (m * n))}, row ${Math.floor(i / n) % m}, column ${i % n}`;
      assert.fail(
        `${batch}x${m}x${n}x${k} transA=${transA} transB=${transB}${epilogue ? " bias+relu" : ""}: ${at}: ${got} vs ${want}`,
      );
    }
  }
}

function checkLayouts(c: Case, epilogues: readonly boolean[] = [false, true]): void {
  const matmul = wasmMatmul();
  for (const transA of [false, true])
    for (const transB of [false, true])
      for (const epilogue of epilogues) check(matmul, c, transA, transB, epilogue);
}

describe("wasm GEMM at the edges of its tiles and blocks", () => {
  test("m and n one below, at and one above the 4 x 8 tile, short and long k", () => {
    for (const m of [1, 3, 4, 5, 7, 8, 9])
      for (const n of [1, 7, 8, 9, 15, 16, 17])
        for (const k of [1, 2, 5, 31]) checkLayouts({ m, n, k }, [k === 5]);
  });

  test("k one below, at and one above the 256-deep block and its multiples", () => {
    for (const k of [255, 256, 257, 511, 512, 513]) checkLayouts({ m: 9, n: 17, k });
  });

  test("n across the 384-wide block of packed B, with B read in place and packed", () => {
    // 13 rows: B is read in place (short C); 200 rows: B is packed (tall C, B of 1.5 MiB and more)
    for (const n of [383, 384, 385, 777]) checkLayouts({ m: 13, n, k: 40 }, [true]);
    checkLayouts({ m: 200, n: 393, k: 1000 }, [true]);
  });

  test("a row stride of 4 KiB (always packed), and a C large enough to be split over threads", () => {
    checkLayouts({ m: 203, n: 1024, k: 70 }, [true]);
    checkLayouts({ m: 130, n: 300, k: 260 }, [false]);
  });

  test("batches, with A broadcast over the batch and per-batch A", () => {
    checkLayouts({ m: 6, n: 10, k: 300, batch: 3 });
    checkLayouts({ m: 6, n: 10, k: 300, batch: 3, broadcastA: true });
  });
});
