// test/wasm/noise: the wasm backend's gaussianNoise and dropout kernels (native/wasm/noise-simd128.cc,
// two counter blocks per v128) against the reference (backend/fused/gaussian-noise, dropout) bit
// for bit: float32 and float64, sizes that leave a partial block or a partial vector, offsets
// across 2^32 blocks and near 2^52, all-ones keys and stream, and a call long enough to be split
// over the threaded module's helpers. The native tests (src/backend/native/noise.test.ts) compare
// the native paths with the same reference, so all backends draw the same bits.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type DropoutParams, dropout } from "../../src/backend/fused/dropout.js";
import { type GaussianNoiseParams, gaussianNoise } from "../../src/backend/fused/gaussian-noise.js";
import { loadWasmBackend, wasmLoadError } from "../../src/backend/wasm/loader.js";
import type { FloatArray } from "../../src/core/dtype.js";

function wasmKernels() {
  const loaded = loadWasmBackend();
  assert.ok(
    loaded,
    `the wasm backend did not load (${wasmLoadError()}); build it with \`npm run build:wasm\``,
  );
  return loaded.kernels;
}

/** An array of n + 3 known values: the 3 past n must come back untouched. */
function start(ctor: Float32ArrayConstructor | Float64ArrayConstructor, n: number): FloatArray {
  const out = new ctor(n + 3);
  for (let i = 0; i < out.length; i++) out[i] = (i % 7) - 3.25;
  return out;
}

function assertSameBits(got: FloatArray, want: FloatArray, what: string): void {
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) assert.fail(`${what} [${i}]: wasm ${got[i]}, reference ${want[i]}`);
  }
}

const base = { std: 0.75, scale: 1 / 3, key0: 0xdeadbeef, key1: 7, stream: 3, offset: 0 };

/** The calls every kernel is checked on. */
const calls: GaussianNoiseParams[] = [
  ...[0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 17, 33, 63, 130].map((n) => ({ ...base, n, offset: n * 1000 })),
  { ...base, n: 9, offset: 2 ** 32 - 1 },
  { ...base, n: 21, offset: 2 ** 52, key0: 0xffffffff, key1: 0xffffffff },
  // 10,000 blocks: split over threads where the module has them
  { ...base, n: 40001, stream: 0xffffffff },
];

describe("wasm noise kernels match the reference bit for bit", () => {
  test("gaussianNoise, float32 and float64", () => {
    const kernel = wasmKernels().gaussianNoise;
    assert.ok(kernel, "the wasm backend has a gaussianNoise kernel");
    assert.notEqual(kernel, gaussianNoise.reference);
    for (const p of calls) {
      for (const ctor of [Float32Array, Float64Array]) {
        const want = start(ctor, p.n);
        const got = start(ctor, p.n);
        gaussianNoise.reference(want, p);
        kernel(got, p);
        assertSameBits(got, want, `gaussianNoise ${ctor.name} n=${p.n} offset=${p.offset}`);
      }
    }
  });

  test("dropout, float32 and float64, several keep probabilities", () => {
    const kernel = wasmKernels().dropout;
    assert.ok(kernel, "the wasm backend has a dropout kernel");
    for (const p of calls) {
      for (const keep of [0, 0.1, 0.5, 0.9, 1]) {
        const params: DropoutParams = { ...p, keep, scale: keep === 0 ? 0 : 1 / keep };
        for (const ctor of [Float32Array, Float64Array]) {
          const x = start(ctor, p.n);
          const want = start(ctor, p.n).fill(Number.NaN);
          const got = start(ctor, p.n).fill(Number.NaN);
          dropout.reference(x, want, params);
          kernel(x, got, params);
          assertSameBits(got, want, `dropout ${ctor.name} keep=${keep} n=${p.n} offset=${p.offset}`);
        }
      }
    }
  });
});
