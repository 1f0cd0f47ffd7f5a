// Value tests for comparisons, logic, where, isNaN / isFinite on every backend.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Tensor } from "../../src/index.js";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose, EXACT } from "../helpers/close.js";
import { ODD_SIZES, seeded } from "../helpers/data.js";

const comparisons: [
  string,
  (a: Tensor | number, b: Tensor | number) => Tensor,
  (a: number, b: number) => boolean,
][] = [
  ["equal", ts.equal, (a, b) => a === b],
  ["notEqual", ts.notEqual, (a, b) => a !== b],
  ["less", ts.less, (a, b) => a < b],
  ["lessEqual", ts.lessEqual, (a, b) => a <= b],
  ["greater", ts.greater, (a, b) => a > b],
  ["greaterEqual", ts.greaterEqual, (a, b) => a >= b],
];

forEachBackend("comparison and logic values", () => {
  for (const [name, op, f] of comparisons) {
    test(`${name} on int-valued data (many ties), odd sizes, NaN`, () => {
      for (const n of ODD_SIZES) {
        const a = seeded([n], 0, 4, n, "int32");
        const b = seeded([n], 0, 4, n + 1, "int32");
        assertClose(
          op(a, b),
          Array.from(a.data, (v, i) => f(v, b.data[i]!)),
          { dtype: "bool" },
        );
        const af = ts.cast(a, "float32");
        assertClose(
          op(af, ts.cast(b, "float32")),
          Array.from(a.data, (v, i) => f(v, b.data[i]!)),
          { dtype: "bool" },
        );
      }
      const x = ts.tensor([Number.NaN, Number.NaN, 1, Infinity]);
      const y = ts.tensor([Number.NaN, 1, Infinity, Infinity]);
      assertClose(op(x, y), [
        f(Number.NaN, Number.NaN),
        f(Number.NaN, 1),
        f(1, Infinity),
        f(Infinity, Infinity),
      ]);
    });
  }

  test("comparisons broadcast and accept JS numbers on either side", () => {
    const x = ts.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assertClose(ts.greater(x, 3), [
      [false, false, false],
      [true, true, true],
    ]);
    assertClose(ts.less(2, x), [
      [false, false, true],
      [true, true, true],
    ]);
    assertClose(ts.equal(x, ts.tensor([[1], [5]])), [
      [true, false, false],
      [false, true, false],
    ]);
    assertClose(ts.equal(ts.tensor([1, 2], { dtype: "int32" }), 1.5), [false, false]);
    assertClose(ts.lessEqual(ts.tensor([1, 2], { dtype: "int32" }), 1.5), [true, false]);
  });

  test("a bool tensor compared with a number other than 0/1 compares values, not truthiness", () => {
    const b = ts.tensor([true, false]);
    assertClose(ts.greater(b, 0.5), [true, false]);
    assertClose(ts.less(b, 0.5), [false, true]);
    assertClose(ts.equal(b, 2), [false, false]);
    assertClose(ts.equal(b, 1), [true, false]);
    assertClose(ts.notEqual(-1, b), [true, true]);
    assertClose(ts.equal(b, true), [true, false]);
    // arithmetic on bool stays an error whatever the number
    assert.throws(() => ts.add(b, 2), { name: "DTypeError", message: /^add: arithmetic on bool tensors/ });
    assert.throws(() => ts.mul(0.5, b), { name: "DTypeError", message: /^mul: arithmetic on bool tensors/ });
  });

  test("comparing different tensor dtypes is a DTypeError", () => {
    assert.throws(() => ts.equal(ts.tensor([1]), ts.tensor([1], { dtype: "int32" })), {
      name: "DTypeError",
      message: /^equal: dtypes differ \(got float32 and int32\)/,
    });
  });

  test("logicalAnd / Or / Xor / Not treat non-zero as true, broadcast, any dtype", () => {
    const a = ts.tensor([true, true, false, false]);
    const b = ts.tensor([true, false, true, false]);
    assertClose(ts.logicalAnd(a, b), [true, false, false, false]);
    assertClose(ts.logicalOr(a, b), [true, true, true, false]);
    assertClose(ts.logicalXor(a, b), [false, true, true, false]);
    assertClose(ts.logicalNot(a), [false, false, true, true]);
    assertClose(ts.logicalAnd(ts.tensor([0, 2, Number.NaN]), ts.tensor([[1], [0]])), [
      [false, true, true],
      [false, false, false],
    ]);
    assertClose(ts.logicalNot(ts.tensor([0, -3, 2], { dtype: "int32" })), [true, false, false]);
  });

  test("isNaN and isFinite", () => {
    const x = ts.tensor([0, Number.NaN, Infinity, -Infinity, -1e30]);
    assertClose(ts.isNaN(x), [false, true, false, false, false]);
    assertClose(ts.isFinite(x), [true, false, false, false, true]);
    assertClose(ts.isNaN(ts.tensor([1, 2], { dtype: "int32" })), [false, false]);
    assertClose(ts.isFinite(ts.tensor([true])), [true]);
  });

  test("where picks with a broadcast condition, numbers and int32 branches", () => {
    const cond = ts.tensor([[true], [false]]);
    assertClose(
      ts.where(cond, ts.tensor([1, 2, 3]), ts.tensor([-1, -2, -3])),
      [
        [1, 2, 3],
        [-1, -2, -3],
      ],
      {
        tol: EXACT,
      },
    );
    assertClose(ts.where(ts.tensor([true, false, true]), 1, 0), [1, 0, 1], { dtype: "float32" });
    assertClose(ts.where(ts.tensor([true, false]), ts.tensor([5, 6], { dtype: "int32" }), 0), [5, 0], {
      dtype: "int32",
    });
    const x = ts.tensor([Number.NaN, -1, 2]);
    assertClose(ts.where(ts.isNaN(x), 0, x), [0, -1, 2]);
    const big = seeded([1023], -1, 1, 3);
    assertClose(ts.where(ts.greater(big, 0), big, 0), ts.relu(big), { tol: EXACT });
    assert.deepEqual(ts.where(ts.tensor([true]), ts.zeros([0, 1]), 1).shape, [0, 1]);
  });

  test("where rejects a non-bool condition and mixed branch dtypes", () => {
    assert.throws(() => ts.where(ts.tensor([1]), 1, 2), {
      name: "DTypeError",
      message: /^where: condition must be a bool tensor \(got float32\)/,
    });
    assert.throws(() => ts.where(ts.tensor([true]), ts.tensor([1]), ts.tensor([1], { dtype: "float64" })), {
      name: "DTypeError",
      message: /^where: dtypes differ \(got float32 and float64\)/,
    });
  });

  test("comparisons of non-contiguous inputs", () => {
    const x = seeded([7, 33], -1, 1, 11);
    const xt = ts.transpose(x);
    const expected: boolean[] = [];
    for (let j = 0; j < 33; j++) for (let i = 0; i < 7; i++) expected.push(x.data[i * 33 + j]! > 0);
    assertClose(ts.greater(xt, 0), ts.tensor(expected, { shape: [33, 7] }));
  });
});
