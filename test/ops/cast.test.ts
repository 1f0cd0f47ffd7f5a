// Value tests for cast between every pair of dtypes, on every backend.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../src/index.js";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose, EXACT } from "../helpers/close.js";
import { seeded } from "../helpers/data.js";

forEachBackend("cast values", () => {
  test("float to int32 truncates toward zero; anything to bool is != 0 (NaN is true)", () => {
    const x = ts.tensor([1.7, -1.7, 0.5, -0.5, 2, 0, Number.NaN]);
    assertClose(ts.cast(x, "int32"), [1, -1, 0, 0, 2, 0, 0], { dtype: "int32" });
    assertClose(ts.cast(x, "bool"), [true, true, true, true, true, false, true], { dtype: "bool" });
    assertClose(ts.cast(ts.tensor([0, -3, 5], { dtype: "int32" }), "bool"), [false, true, true]);
  });

  test("int32 and bool to float, float32 <-> float64 rounding", () => {
    assertClose(ts.cast(ts.tensor([-3, 16777217], { dtype: "int32" }), "float64"), [-3, 16777217], {
      dtype: "float64",
    });
    assertClose(ts.cast(ts.tensor([16777217], { dtype: "int32" }), "float32"), [16777216], {
      dtype: "float32",
      tol: EXACT,
    });
    assertClose(ts.cast(ts.tensor([true, false]), "float32"), [1, 0], { dtype: "float32" });
    assertClose(ts.cast(ts.tensor([true, false]), "int32"), [1, 0], { dtype: "int32" });
    const d = ts.tensor([0.1, 1e-50, 1e300, -1e300], { dtype: "float64" });
    assertClose(ts.cast(d, "float32"), [Math.fround(0.1), 0, Infinity, -Infinity], { tol: EXACT });
    assert.equal(ts.cast(ts.cast(d, "float32"), "float64").data[0], Math.fround(0.1));
  });

  test("every pair of dtypes round-trips small integers, at odd sizes", () => {
    const dtypes: DType[] = ["float32", "float64", "int32"];
    for (const n of [1, 7, 33, 1023]) {
      const base = seeded([n], -50, 50, n, "int32");
      for (const from of dtypes) {
        for (const to of dtypes) {
          const y = ts.cast(ts.cast(base, from), to);
          assert.equal(y.dtype, to);
          assertClose(y, base, { tol: EXACT, message: `${from} -> ${to}` });
        }
      }
    }
  });

  test("cast to the same dtype returns the tensor; shape is kept; unknown dtype is an error", () => {
    const x = ts.zeros([2, 0, 3]);
    assert.equal(ts.cast(x, "float32"), x);
    assert.deepEqual(ts.cast(x, "int32").shape, [2, 0, 3]);
    assert.deepEqual(ts.cast(ts.scalar(2.5), "int32").toArray(), 2);
    assert.throws(() => ts.cast(x, "float16" as DType), {
      name: "DTypeError",
      message: /^cast: unknown dtype "float16"/,
    });
    assert.equal(x.cast("bool").dtype, "bool");
  });
});
