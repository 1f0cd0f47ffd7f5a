// Parity of the native gaussianNoise kernel with the reference (backend/fused/gaussian-noise):
// bit for bit, float32 and float64, sizes that are not multiples of 4 or of any vector width,
// offsets above 2^32 blocks, on every ISA path this CPU supports with 1 and 2 threads; then the
// argument checks the entry point runs before touching memory.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { restoreNativeSettingsAfter } from "../../../test/helpers/native-settings.js";
import type { FloatArray } from "../../core/dtype.js";
import { type GaussianNoiseParams, gaussianNoise } from "../fused/gaussian-noise.js";
import { referenceKernels } from "../reference/index.js";
import { mergeWithReference } from "../registry.js";
import { nativeAddon } from "./loader.js";
import { nativeKernels } from "./table.js";

const addon = nativeAddon();

function start(ctor: Float32ArrayConstructor | Float64ArrayConstructor, n: number): FloatArray {
  const out = new ctor(n + 3);
  for (let i = 0; i < out.length; i++) out[i] = (i % 7) - 3.25;
  return out;
}

/** Both kernels on copies of the same array; every element (and the untouched tail) bit for bit. */
function check(native: (out: FloatArray, p: GaussianNoiseParams) => void, p: GaussianNoiseParams): void {
  for (const ctor of [Float32Array, Float64Array]) {
    const want = start(ctor, p.n);
    const got = start(ctor, p.n);
    gaussianNoise.reference(want, p);
    native(got, p);
    for (let i = 0; i < want.length; i++) {
      if (!Object.is(got[i], want[i]))
        assert.fail(
          `${ctor.name} n=${p.n} offset=${p.offset} [${i}]: native ${got[i]}, reference ${want[i]}`,
        );
    }
  }
}

describe("native gaussianNoise matches the reference bit for bit", () => {
  if (!addon) return;
  restoreNativeSettingsAfter(addon);
  const k = mergeWithReference(nativeKernels(addon));
  test("the kernel is native", () => {
    assert.notEqual(k.gaussianNoise, referenceKernels.gaussianNoise);
  });
  const base = { std: 0.75, scale: 1 / 3, key0: 0xdeadbeef, key1: 7, stream: 3, offset: 0 };
  for (const isa of addon.supportedIsas()) {
    for (const threads of [1, 2]) {
      test(`${isa}, ${threads} thread(s)`, () => {
        addon.setIsa(isa);
        addon.setNumThreads(threads);
        for (const n of [0, 1, 3, 4, 5, 15, 17, 33, 63, 130])
          check(k.gaussianNoise, { ...base, n, offset: n * 1000 });
        check(k.gaussianNoise, { ...base, n: 9, offset: 2 ** 32 - 1 });
        check(k.gaussianNoise, { ...base, n: 21, offset: 2 ** 52, key0: 0xffffffff, key1: 0xffffffff });
        // large enough to split over threads (4096 blocks a thread)
        check(k.gaussianNoise, { ...base, n: 40001, stream: 0xffffffff });
      });
    }
  }
});

describe("native gaussianNoise checks its arguments", () => {
  if (!addon) return;
  const call = (...args: unknown[]) => addon.gaussianNoise(...args);
  const out = new Float32Array(8);
  test("bad arrays, lengths and words throw before writing", () => {
    assert.throws(() => call(new Int32Array(8), 8, 1, 1, 0, 0, 0, 0), TypeError);
    assert.throws(() => call(out, 9, 1, 1, 0, 0, 0, 0), /out has 8 elements, needs 9/);
    assert.throws(() => call(out, 8, Number.NaN, 1, 0, 0, 0, 0), /std must be finite/);
    assert.throws(() => call(out, 8, 1, Number.POSITIVE_INFINITY, 0, 0, 0, 0), /scale must be finite/);
    assert.throws(() => call(out, 8, 1, 1, 2 ** 32, 0, 0, 0), /key0/);
    assert.throws(() => call(out, 8, 1, 1, 0, -1, 0, 0), /key1/);
    assert.throws(() => call(out, 8, 1, 1, 0, 0, 0.5, 0), /stream/);
    assert.throws(() => call(out, 8, 1, 1, 0, 0, 0, 2 ** 53), /offset/);
    assert.throws(() => call(out, 8, 1, 1, 0, 0, 0), /expected 8 arguments/);
    assert.deepEqual([...out], [0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
