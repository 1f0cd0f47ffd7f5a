// Value tests for the unary math ops on every backend: each op against Math (or an independent
// formula) at odd sizes, NaN / Inf propagation, 0-d and zero-size tensors, int32 and bool rules.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Tensor } from "../../src/index.js";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose, EXACT, FLOAT64_TOL } from "../helpers/close.js";
import { mapValues, ODD_SIZES, seeded } from "../helpers/data.js";
import { erfReference } from "../helpers/reference-math.js";

type Case = [
  name: string,
  op: (x: Tensor) => Tensor,
  expected: (v: number) => number,
  low: number,
  high: number,
];

const cases: Case[] = [
  ["neg", ts.neg, (v) => -v, -5, 5],
  ["abs", ts.abs, Math.abs, -5, 5],
  ["exp", ts.exp, Math.exp, -10, 10],
  ["log", ts.log, Math.log, 0.001, 100],
  ["log1p", ts.log1p, Math.log1p, -0.9, 10],
  ["expm1", ts.expm1, Math.expm1, -3, 3],
  ["sqrt", ts.sqrt, Math.sqrt, 0, 100],
  ["rsqrt", ts.rsqrt, (v) => 1 / Math.sqrt(v), 0.01, 100],
  ["square", ts.square, (v) => v * v, -30, 30],
  ["reciprocal", ts.reciprocal, (v) => 1 / v, 0.1, 10],
  ["sin", ts.sin, Math.sin, -10, 10],
  ["cos", ts.cos, Math.cos, -10, 10],
  ["tan", ts.tan, Math.tan, -1.4, 1.4],
  ["tanh", ts.tanh, Math.tanh, -10, 10],
  ["sigmoid", ts.sigmoid, (v) => 1 / (1 + Math.exp(-v)), -20, 20],
  ["relu", ts.relu, (v) => Math.max(v, 0), -5, 5],
  ["softplus", ts.softplus, (v) => Math.log(1 + Math.exp(v)), -20, 20],
  ["erf", ts.erf, erfReference, -5, 5],
  ["sign", ts.sign, Math.sign, -5, 5],
  ["floor", ts.floor, Math.floor, -5, 5],
  ["ceil", ts.ceil, Math.ceil, -5, 5],
];

forEachBackend("unary math values", () => {
  cases.forEach(([name, op, expected, low, high], i) => {
    test(`${name} at sizes ${ODD_SIZES.join(", ")} (float32) and float64`, () => {
      for (const n of ODD_SIZES) {
        const x = seeded([n], low, high, 1000 * i + n);
        assertClose(op(x), mapValues(x, expected), { dtype: "float32", message: `${name} n=${n}` });
      }
      const x64 = seeded([3, 11], low, high, 7 * i, "float64");
      const y64 = op(x64);
      assert.equal(y64.dtype, "float64");
      assertClose(y64, ts.tensor(mapValues(x64, expected), { dtype: "float64", shape: [3, 11] }), {
        tol: name === "erf" ? { atol: 1e-14, rtol: 1e-13 } : FLOAT64_TOL,
      });
    });
  });

  test("erf at known values", () => {
    const x = ts.tensor([0, 0.5, 1, 2, 2.5, 3, 4, 6, 7, -1], { dtype: "float64" });
    // values from tables of the error function
    const expected = [
      0, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 0.999593047982555, 0.9999779095030014,
      0.9999999845827421, 1, 1, -0.8427007929497149,
    ];
    assertClose(ts.erf(x), expected, { tol: { atol: 1e-15, rtol: 1e-14 } });
  });

  test("round is half-to-even, like NumPy", () => {
    const x = ts.tensor([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6, 1e30]);
    assertClose(ts.round(x), [0, 2, 2, -0, -2, -2, 2, 3, -3, ts.tensor([1e30]).data[0]!], { tol: EXACT });
  });

  test("NaN propagates through every float op", () => {
    for (const [name, op] of cases) {
      const y = op(ts.tensor([Number.NaN, 1]));
      assert.ok(Number.isNaN(y.data[0]!), `${name}(NaN) should be NaN (got ${y.data[0]})`);
    }
    assert.ok(Number.isNaN(ts.round(ts.tensor([Number.NaN])).data[0]!));
  });

  test("infinities follow IEEE rules", () => {
    const x = ts.tensor([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    assertClose(ts.exp(x), [Infinity, 0]);
    assertClose(ts.tanh(x), [1, -1]);
    assertClose(ts.sigmoid(x), [1, 0]);
    assertClose(ts.relu(x), [Infinity, 0]);
    assertClose(ts.softplus(x), [Infinity, 0]);
    assertClose(ts.erf(x), [1, -1]);
    assertClose(ts.abs(x), [Infinity, Infinity]);
    assertClose(ts.reciprocal(x), [0, -0]);
    assertClose(ts.sign(x), [1, -1]);
    assertClose(ts.log(ts.tensor([0, -1])), [-Infinity, Number.NaN]);
    assertClose(ts.sqrt(ts.tensor([-1])), [Number.NaN]);
    assertClose(ts.reciprocal(ts.tensor([0])), [Infinity]);
  });

  test("large values: sigmoid, softplus and tanh neither overflow nor lose the sign", () => {
    // +-80: the smallest results (about 1.8e-35) stay normal float32 numbers, so a backend that
    // flushes subnormals to zero still has to match
    const x = ts.tensor([1e30, -1e30, 1000, -1000, 80, -80]);
    assertClose(ts.sigmoid(x), [1, 0, 1, 0, 1, 1 / (1 + Math.exp(80))], {
      tol: { atol: 1e-30, rtol: 1e-5 },
    });
    assertClose(ts.softplus(x), [1e30, 0, 1000, 0, 80, Math.log1p(Math.exp(-80))], {
      tol: { atol: 1e-30, rtol: 1e-5 },
    });
    assertClose(ts.tanh(x), [1, -1, 1, -1, 1, -1]);
    assertClose(ts.exp(ts.tensor([1e30, -1e30])), [Infinity, 0]);
    assertClose(ts.square(ts.tensor([1e30])), [Infinity]); // overflows float32
    assertClose(ts.square(ts.tensor([1e30], { dtype: "float64" })), [1e60]);
  });

  test("0-d and zero-size tensors keep their shapes", () => {
    const s = ts.exp(ts.scalar(1));
    assert.deepEqual(s.shape, []);
    assertClose(s, Math.E);
    const e = ts.sin(ts.zeros([2, 0, 3]));
    assert.deepEqual(e.shape, [2, 0, 3]);
    assert.equal(e.size, 0);
  });

  test("int32: neg, abs, square, sign, relu, floor stay int32; float-only ops reject int32", () => {
    const x = ts.tensor([-3, 0, 4], { dtype: "int32" });
    assertClose(ts.neg(x), [3, 0, -4], { dtype: "int32" });
    assertClose(ts.abs(x), [3, 0, 4], { dtype: "int32" });
    assertClose(ts.square(x), [9, 0, 16], { dtype: "int32" });
    assertClose(ts.sign(x), [-1, 0, 1], { dtype: "int32" });
    assertClose(ts.relu(x), [0, 0, 4], { dtype: "int32" });
    assertClose(ts.floor(x), [-3, 0, 4], { dtype: "int32" });
    for (const op of [ts.exp, ts.log, ts.sqrt, ts.sigmoid, ts.tanh, ts.sin, ts.erf]) {
      assert.throws(() => op(x), {
        name: "DTypeError",
        message: /expected a floating-point tensor \(got int32\)/,
      });
    }
  });

  test("bool: arithmetic unaries reject bool", () => {
    const b = ts.tensor([true, false]);
    for (const op of [ts.neg, ts.abs, ts.square, ts.relu, ts.exp]) {
      assert.throws(() => op(b), { name: "DTypeError", message: /bool/ });
    }
  });

  test("a non-contiguous input (a transpose) feeds unary ops correctly", () => {
    const x = seeded([7, 33], -3, 3, 5);
    const xt = ts.transpose(x);
    const expected: number[] = [];
    for (let j = 0; j < 33; j++) for (let i = 0; i < 7; i++) expected.push(Math.exp(x.data[i * 33 + j]!));
    assertClose(ts.exp(xt), ts.tensor(expected, { shape: [33, 7], dtype: "float64" }));
  });

  test("methods match the free functions", () => {
    const x = seeded([7], 0.5, 2, 9);
    assertClose(x.log().sqrt(), ts.sqrt(ts.log(x)), { tol: EXACT });
    assertClose(x.neg().abs(), x, { tol: EXACT });
  });
});
