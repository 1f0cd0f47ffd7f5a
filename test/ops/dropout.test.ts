// dropout: the fused op (mask drawn from Philox by the backend's kernel and applied in one pass) on
// every backend: the same seed gives the same mask bit for bit on each of them, the kept share and
// scale, the gradient by finite differences (and a second derivative through the composed form),
// noise shapes, argument checks; then the native kernels against the reference kernel bit for bit
// on every ISA path with 1 and 2 threads, and the entry point's argument checks.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dropout as dropoutOp, keepThreshold } from "../../src/backend/fused/dropout.js";
import { nativeAddon } from "../../src/backend/native/loader.js";
import { nativeKernels } from "../../src/backend/native/table.js";
import { mergeWithReference } from "../../src/backend/registry.js";
import type { FloatArray } from "../../src/core/dtype.js";
import * as ts from "../../src/index.js";
import { forEachBackend, withBackend } from "../helpers/backends.js";
import { seeded } from "../helpers/data.js";
import { gradcheck, secondOrderSuite, uniform64 } from "../helpers/gradcheck.js";
import { restoreNativeSettingsAfter } from "../helpers/native-settings.js";

const drop = (x: ts.Tensor, rate: number, seed: number) =>
  ts.dropout(x, rate, { generator: new ts.Generator(seed) });

test("the same seed draws the same mask on every backend, bit for bit", () => {
  const x = seeded([7, 301], -3, 3, 1);
  const results = ts.listBackends().map((name) => ({
    name,
    f32: withBackend(name, () => [...drop(x, 0.3, 9).data]),
    f64: withBackend(name, () => [...drop(x.cast("float64"), 0.3, 9).data]),
  }));
  const [first, ...rest] = results;
  for (const r of rest) {
    assert.deepEqual(r.f32, first!.f32, `${r.name} float32 differs from ${first!.name}`);
    assert.deepEqual(r.f64, first!.f64, `${r.name} float64 differs from ${first!.name}`);
  }
  // and the layer with a seed draws it from its own generator the same way
  const layer = (name: ts.BackendName) =>
    withBackend(name, () => [...ts.layers.dropout({ rate: 0.5, seed: 4 }).apply(x, { training: true }).data]);
  for (const name of ts.listBackends()) assert.deepEqual(layer(name), layer("reference"), name);
});

forEachBackend("dropout", () => {
  test("drops about rate of the elements and scales the rest by 1 / (1 - rate)", () => {
    for (const rate of [0.1, 0.5, 0.9]) {
      const n = 40_000;
      const y = drop(ts.ones([n]), rate, 3);
      let zeros = 0;
      for (const v of y.data) {
        if (v === 0) zeros++;
        else assert.equal(v, Math.fround(1 / (1 - rate)));
      }
      // binomial(n, rate): within 5 standard deviations
      const sd = Math.sqrt(n * rate * (1 - rate));
      assert.ok(Math.abs(zeros - rate * n) < 5 * sd, `rate ${rate}: dropped ${zeros} of ${n}`);
    }
  });

  test("rate 0 keeps everything, rate 1 drops everything; successive draws differ", () => {
    const x = seeded([50], -2, 2, 2);
    assert.deepEqual([...drop(x, 0, 1).data], [...x.data]);
    assert.ok(drop(x, 1, 1).data.every((v) => v === 0));
    const g = new ts.Generator(5);
    assert.notDeepEqual(
      [...ts.dropout(x, 0.5, { generator: g }).data],
      [...ts.dropout(x, 0.5, { generator: g }).data],
    );
  });

  test("the gradient is dy times the same mask (finite differences)", () => {
    gradcheck((x) => drop(x!, 0.4, 7), [uniform64([3, 11], -2, 2, 3)]);
    const x = uniform64([64], -1, 1, 4);
    x.requiresGrad = true;
    const y = drop(x, 0.5, 8);
    ts.backward(ts.sum(y));
    for (let i = 0; i < 64; i++) assert.equal(x.grad!.data[i], y.data[i] === 0 ? 0 : 2);
  });

  test("a noise shape shares one draw along its axes of size 1", () => {
    const y = ts.dropout(ts.ones([40, 6]), 0.5, { generator: new ts.Generator(2), noiseShape: [40, 1] });
    let kept = 0;
    for (let r = 0; r < 40; r++) {
      const row = [...y.data.slice(r * 6, r * 6 + 6)];
      assert.ok(
        row.every((v) => v === row[0]),
        `row ${r}: ${row}`,
      );
      if (row[0] === 2) kept++;
    }
    assert.ok(kept > 5 && kept < 35, `kept ${kept} of 40 rows`);
  });
});

test("dropout checks its arguments", () => {
  assert.throws(() => ts.dropout(ts.ones([2]), 1.5), /dropout: rate must be in \[0, 1\] \(got 1.5\)/);
  assert.throws(() => ts.dropout(ts.ones([2], { dtype: "int32" }), 0.5), ts.DTypeError);
  assert.throws(
    () => ts.dropout(ts.ones([2, 3]), 0.5, { noiseShape: [2, 2] }),
    /dropout: noiseShape \[2,2\] does not broadcast to x \[2,3\]/,
  );
});

// dropout is linear in x: square it so the second derivative is not zero
secondOrderSuite("dropout", [
  ["dropout squared", (x) => ts.square(drop(x!, 0.5, 6)), [uniform64([2, 5], -2, 2, 5)]],
]);

test("keepThreshold: round(keep 2^32), clamped to [0, 2^32]", () => {
  assert.equal(keepThreshold(0), 0);
  assert.equal(keepThreshold(1), 2 ** 32);
  assert.equal(keepThreshold(0.5), 2 ** 31);
  assert.equal(keepThreshold(0.25), 2 ** 30);
});

const addon = nativeAddon();
describe("native dropout kernels match the reference bit for bit", () => {
  if (!addon) return;
  restoreNativeSettingsAfter(addon);
  const native = mergeWithReference(nativeKernels(addon));
  test("the kernels are native", () => {
    assert.notEqual(native.dropout, dropoutOp.reference);
    assert.notEqual(native.dropoutBackward, dropoutOp.vjp);
  });
  const base = { keep: 0.7, scale: 1 / 0.7, key0: 0xdeadbeef, key1: 7, stream: 3, offset: 0 };
  const check = (dtype: "float32" | "float64", p: typeof base & { n: number }, label: string) => {
    const x = seeded([p.n + 3], -5, 5, 11).cast(dtype).data as FloatArray;
    const got = x.slice().fill(12345);
    const want = x.slice().fill(12345);
    native.dropout(x, got, p);
    dropoutOp.reference(x, want, p);
    for (let i = 0; i < got.length; i++)
      if (!Object.is(got[i], want[i]))
        assert.fail(`[${i}]: native ${got[i]}, reference ${want[i]} (${label})`);
    // in place, and the adjoint entry point: the same mask
    const inPlace = x.slice();
    native.dropoutBackward(inPlace, inPlace, p);
    for (let i = 0; i < p.n; i++)
      if (!Object.is(inPlace[i], want[i]))
        assert.fail(`in place [${i}]: ${inPlace[i]} vs ${want[i]} (${label})`);
  };
  for (const isa of addon.supportedIsas()) {
    test(`${isa}: odd lengths, offsets, keys, float32 and float64, 1 and 2 threads`, () => {
      addon.setIsa(isa);
      for (const threads of [1, 2]) {
        addon.setNumThreads(threads);
        for (const dtype of ["float32", "float64"] as const) {
          const label = `${isa} ${threads} threads ${dtype}`;
          for (const n of [0, 1, 3, 5, 17, 33, 63, 130])
            check(dtype, { ...base, n, offset: n * 1000 }, label);
          check(dtype, { ...base, n: 21, offset: 2 ** 52, key0: 0xffffffff, key1: 0xffffffff }, label);
          check(dtype, { ...base, n: 40, keep: 1, scale: 1 }, label);
          check(dtype, { ...base, n: 40, keep: 0, scale: 0 }, label);
          // large enough to split over threads (4096 blocks a thread)
          check(dtype, { ...base, n: 40_001, stream: 0xffffffff, keep: 0.5, scale: 2 }, label);
        }
      }
    });
  }
  test("the entry point checks its arguments before writing", () => {
    const call = (...args: unknown[]) => addon.dropout(...args);
    const x = new Float32Array(8).fill(1);
    const out = new Float32Array(8);
    assert.throws(() => call(x, new Float64Array(8), 8, 2, 0, 0, 0, 0, 0), /same type/);
    assert.throws(() => call(x, out, 9, 2, 0, 0, 0, 0, 0), /out has 8 elements, needs 9|x has 8/);
    assert.throws(() => call(x, out, 8, Number.NaN, 0, 0, 0, 0, 0), /scale must be finite/);
    assert.throws(() => call(x, out, 8, 2, 2 ** 32 + 1, 0, 0, 0, 0), /threshold/);
    assert.throws(() => call(x, out, 8, 2, 0, 2 ** 32, 0, 0, 0), /key0/);
    assert.throws(() => call(x, out, 8, 2, 0, 0, 0, 0, 2 ** 53), /offset/);
    assert.throws(() => call(x, out, 8, 2, 0, 0, 0, 0), /expected 9 arguments/);
    assert.deepEqual([...out], [0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
