// swiglu: the fused op against its composition gate * sigmoid(gate) * up on every backend, its
// gradients by finite differences (and a second derivative through the composed form), the
// argument checks, and the native kernels against the reference kernel on every ISA path with
// odd lengths, float32 and float64, and lengths split over threads.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { swiglu as swigluOp } from "../../src/backend/fused/swiglu.js";
import { nativeAddon } from "../../src/backend/native/loader.js";
import { nativeKernels } from "../../src/backend/native/table.js";
import { mergeWithReference } from "../../src/backend/registry.js";
import type { FloatArray } from "../../src/core/dtype.js";
import { DTypeError, ShapeError } from "../../src/core/errors.js";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose } from "../helpers/close.js";
import { seeded } from "../helpers/data.js";
import { gradcheck, secondOrderSuite, uniform64 } from "../helpers/gradcheck.js";
import { restoreNativeSettingsAfter } from "../helpers/native-settings.js";

forEachBackend("swiglu", () => {
  test("equals gate * sigmoid(gate) * up (float32 and float64)", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const gate = seeded([3, 37], -6, 6, 1).cast(dtype);
      const up = seeded([3, 37], -2, 2, 2).cast(dtype);
      const tol = dtype === "float32" ? { atol: 1e-6, rtol: 1e-5 } : { atol: 1e-13, rtol: 1e-12 };
      assertClose(ts.swiglu(gate, up), ts.mul(ts.mul(gate, ts.sigmoid(gate)), up), { tol });
    }
  });

  test("gradients of gate and up match finite differences", () => {
    gradcheck((g, u) => ts.swiglu(g!, u!), [uniform64([2, 5], -3, 3, 3), uniform64([2, 5], -2, 2, 4)]);
  });
});

test("swiglu checks shapes and dtypes", () => {
  assert.throws(() => ts.swiglu(ts.zeros([2, 3]), ts.zeros([3, 2])), ShapeError);
  assert.throws(
    () => ts.swiglu(ts.zeros([2, 3]), ts.zeros([2, 3], { dtype: "float64" })),
    /swiglu: gate and up must share a dtype \(got float32 and float64\)/,
  );
  assert.throws(() => ts.swiglu(ts.zeros([2, 3]), ts.zeros([2, 3], { dtype: "float64" })), DTypeError);
  assert.throws(
    () => ts.swiglu(ts.zeros([2], { dtype: "int32" }), ts.zeros([2], { dtype: "int32" })),
    DTypeError,
  );
});

// the second derivative goes through the composed form gate * sigmoid(gate) * up
secondOrderSuite("swiglu", [
  ["swiglu", (g, u) => ts.swiglu(g!, u!), [uniform64([2, 3], -3, 3, 8), uniform64([2, 3], -2, 2, 9)]],
  // one tensor in both places: the composed form's gradient must be counted once, not per position
  ["swiglu (one input in both places)", (x) => ts.swiglu(x!, x!), [uniform64([4], -2, 2, 10)]],
]);

const addon = nativeAddon();
describe("native swiglu kernels match the reference", () => {
  if (!addon) return;
  restoreNativeSettingsAfter(addon);
  const native = mergeWithReference(nativeKernels(addon));
  const check = (dtype: "float32" | "float64", n: number, label: string) => {
    const make = (seed: number, lo: number, hi: number) =>
      seeded([n], lo, hi, seed).cast(dtype).data.slice() as FloatArray;
    const gate = make(5, -20, 20);
    const up = make(6, -3, 3);
    const dy = make(7, -1, 1);
    const like = () => gate.slice().fill(12345);
    const outs = [like(), like(), like(), like(), like(), like()];
    const p = { n };
    native.swiglu(gate, up, outs[0]!, p);
    swigluOp.reference(gate, up, outs[1]!, p);
    native.swigluBackward(gate, up, dy, outs[2]!, outs[3]!, p);
    swigluOp.vjp(gate, up, dy, outs[4]!, outs[5]!, p);
    const [atol, rtol] = dtype === "float32" ? [2e-6, 2e-5] : [1e-13, 1e-12];
    for (const [got, want, what] of [
      [outs[0]!, outs[1]!, "out"],
      [outs[2]!, outs[4]!, "dGate"],
      [outs[3]!, outs[5]!, "dUp"],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const w = want[i]!;
        const g = got[i]!;
        if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w)))
          assert.fail(`${what}[${i}]: native ${g}, reference ${w} (${dtype}, ${label})`);
      }
    }
  };
  for (const isa of addon.supportedIsas()) {
    test(`${isa}: odd lengths, float32 and float64, 1 and 2 threads`, () => {
      addon.setIsa(isa);
      for (const threads of [1, 2]) {
        addon.setNumThreads(threads);
        for (const dtype of ["float32", "float64"] as const)
          for (const n of [0, 1, 7, 17, 33, 100_003]) check(dtype, n, `${isa} ${threads} threads n=${n}`);
      }
    });
  }
  test("the entry points check their arguments", () => {
    const f = (n: number) => new Float32Array(n);
    assert.throws(() => addon.swiglu(f(4), f(3), f(4), 4), RangeError);
    assert.throws(() => addon.swiglu(f(4), new Float64Array(4), f(4), 4), TypeError);
    assert.throws(() => addon.swigluBackward(f(4), f(4), f(4), f(4), f(4), -1), RangeError);
  });
});
