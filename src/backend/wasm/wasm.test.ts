// backend/wasm tests: the WebAssembly backend loads and registers (a missing module fails here,
// saying how to build it: the parity suites would otherwise run without it), its GEMM matches the
// reference for every operand layout, edge tiles and the fused epilogue, arrays passed twice or
// aliased work, a bad call raises the entry point's own error and leaves the module usable, and
// the backend is chosen, forced and described as the registry promises.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { referenceKernels } from "../reference/index.js";
import { describeBackend, getBackend, listBackends, missingKernels, setBackend } from "../registry.js";
import { loadWasmBackend, wasmLoadError } from "./loader.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The loaded backend, or a failure that says how to get it. */
function backend() {
  const loaded = loadWasmBackend();
  assert.ok(
    loaded,
    `the wasm backend did not load (${wasmLoadError()}); build it with \`npm run build:wasm\``,
  );
  return loaded;
}

/** Deterministic values in [-1, 1) with a few exact zeros. */
function values(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => ((((i + 1) * 7919 * seed) % 2001) - 1000) / 1000);
}

describe("wasm backend", () => {
  test("loads and registers, with every kernel of the table its own", () => {
    const loaded = backend();
    assert.ok(listBackends().includes("wasm"));
    assert.deepEqual(missingKernels("wasm"), []);
    assert.equal(loaded.module.manifest.isa, "simd128");
    assert.ok(loaded.module.manifest.functions.includes("matmul"));
  });

  test("matmul matches the reference for plain and transposed operands, edge tiles, bias and activations", () => {
    const { kernels } = backend();
    const cases = [
      [1, 1, 1],
      [5, 17, 3],
      [33, 40, 300], // k spans two cache blocks; rows and columns leave edge tiles
      [64, 64, 64],
    ] as const;
    for (const [m, n, k] of cases) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const activation of ["none", "relu", "sigmoid"] as const) {
            const a = values(m * k, 3);
            const b = values(k * n, 5);
            const bias = values(n, 7);
            const params = {
              batch: 1,
              m,
              n,
              k,
              transA,
              transB,
              aBatchStride: 0,
              bBatchStride: 0,
              bias,
              activation,
            };
            const expected = new Float32Array(m * n);
            referenceKernels.matmul(a, b, expected, params);
            const actual = new Float32Array(m * n).fill(Number.NaN);
            kernels.matmul?.(a, b, actual, params);
            for (let i = 0; i < m * n; i++) {
              const tolerance = 1e-5 * (1 + Math.abs(expected[i]!)) * Math.sqrt(k);
              assert.ok(
                Math.abs(actual[i]! - expected[i]!) <= tolerance,
                `${m}x${n}x${k} transA=${transA} transB=${transB} ${activation}: [${i}] ${actual[i]} vs ${expected[i]}`,
              );
            }
          }
        }
      }
    }
  });

  test("an array passed as input and output (softmax in place) is placed once", () => {
    const { kernels } = backend();
    const x = values(24, 11);
    const expected = new Float32Array(24);
    referenceKernels.softmax(x, 4, 6, 1, expected);
    kernels.softmax?.(x, 4, 6, 1, x);
    for (let i = 0; i < 24; i++)
      assert.ok(Math.abs(x[i]! - expected[i]!) < 1e-6, `[${i}] ${x[i]} vs ${expected[i]}`);
  });

  test("a bad call raises the entry point's own error, and the module keeps working", () => {
    const { addon, kernels } = backend();
    const a = values(6, 3);
    const out = new Float32Array(4);
    for (let round = 0; round < 3; round++) {
      assert.throws(
        () => addon.matmul(a, a, out, null, 1, 2, 2, 9, false, false, 0, 0, 0),
        (error: unknown) =>
          error instanceof RangeError && /matmul: a has 6 elements, needs 18/.test(error.message),
      );
      assert.throws(
        () => addon.matmul(a, new Float64Array(6), out, null, 1, 2, 2, 3, false, false, 0, 0, 0),
        (error: unknown) => error instanceof TypeError && /share one dtype/.test(error.message),
      );
    }
    const params = {
      batch: 1,
      m: 2,
      n: 2,
      k: 3,
      transA: false,
      transB: false,
      aBatchStride: 0,
      bBatchStride: 0,
    };
    kernels.matmul?.(Float32Array.of(1, 2, 3, 4, 5, 6), Float32Array.of(1, 0, 0, 1, 1, 1), out, params);
    assert.deepEqual([...out], [4, 5, 10, 11]);
  });

  test("setBackend('wasm') selects it and describeBackend names it", () => {
    backend();
    const previous = getBackend();
    try {
      setBackend("wasm");
      assert.equal(getBackend(), "wasm");
      const threads = backend().threads?.threads ?? 1;
      assert.equal(describeBackend(), `wasm (simd128, ${threads} thread${threads === 1 ? "" : "s"})`);
    } finally {
      setBackend(previous);
    }
  });

  test("TESSERA_BACKEND=wasm forces it in a fresh process", () => {
    backend();
    const script =
      'import("./src/backend/registry.ts").then((r) => console.log(r.getBackend() + "|" + r.describeBackend()))';
    const result = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
      cwd: ROOT,
      env: { ...process.env, TESSERA_BACKEND: "wasm", TESSERA_NUM_THREADS: "3" },
      encoding: "utf8",
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), "wasm|wasm (simd128, 3 threads)");
  });
});
