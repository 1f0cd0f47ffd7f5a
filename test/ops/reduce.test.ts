// Value tests for reductions on every backend: every reduction over all / one / negative /
// scattered axes with keepDims, 0-d and empty tensors, NaN, int32 and bool, cumsum, argmax/argmin.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Tensor } from "../../src/index.js";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose, EXACT } from "../helpers/close.js";
import { seeded } from "../helpers/data.js";

/** Reduces t over `axes` with f applied to each group's values, in row-major order of kept indices. */
function reduceExpected(
  t: Tensor,
  axes: number[],
  f: (values: number[]) => number,
): { values: number[]; shape: number[] } {
  const shape = [...t.shape];
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const outShape = kept.map((i) => shape[i]!);
  const outSize = outShape.reduce((p, d) => p * d, 1);
  const groups: number[][] = Array.from({ length: outSize }, () => []);
  for (let flat = 0; flat < t.size; flat++) {
    let rest = flat;
    const index: number[] = [];
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    let o = 0;
    for (const k of kept) o = o * shape[k]! + index[k]!;
    groups[o]!.push(t.data[flat]!);
  }
  return { values: groups.map(f), shape: outShape };
}

const sumOf = (v: number[]) => v.reduce((p, x) => p + x, 0);
const meanOf = (v: number[]) => sumOf(v) / v.length;
const varOf = (v: number[]) => {
  const m = meanOf(v);
  return sumOf(v.map((x) => (x - m) ** 2)) / v.length;
};

const reductions: [
  string,
  (x: Tensor, axes?: number | number[], o?: { keepDims?: boolean }) => Tensor,
  (v: number[]) => number,
][] = [
  ["sum", ts.sum, sumOf],
  ["mean", ts.mean, meanOf],
  ["prod", ts.prod, (v) => v.reduce((p, x) => p * x, 1)],
  ["max", ts.max, (v) => Math.max(...v)],
  ["min", ts.min, (v) => Math.min(...v)],
  ["variance", ts.variance, varOf],
  ["std", ts.std, (v) => Math.sqrt(varOf(v))],
  ["logSumExp", ts.logSumExp, (v) => Math.log(sumOf(v.map(Math.exp)))],
  ["norm", ts.norm, (v) => Math.sqrt(sumOf(v.map((x) => x * x)))],
];

const axisCases: (number[] | undefined)[] = [
  undefined,
  [0],
  [2],
  [-1],
  [-2],
  [0, 1],
  [1, 2],
  [0, 2],
  [2, 0],
  [],
];

forEachBackend("reduction values", () => {
  reductions.forEach(([name, op, f], i) => {
    test(`${name} over every axis combination of a [3, 5, 7] tensor, with keepDims`, () => {
      const x = seeded([3, 5, 7], 0.6, 1.4, 100 + i);
      for (const axes of axisCases) {
        const normalized = (axes ?? [0, 1, 2]).map((a) => (a < 0 ? a + 3 : a));
        const { values, shape } = reduceExpected(x, normalized, f);
        const y = op(x, axes);
        assertClose(y, ts.tensor(values, { shape, dtype: "float64" }), { message: `${name} axes ${axes}` });
        const kept = x.shape.map((d, k) => (normalized.includes(k) ? 1 : d));
        const yk = op(x, axes, { keepDims: true });
        assertClose(yk, ts.tensor(values, { shape: kept, dtype: "float64" }), {
          message: `${name} keepDims ${axes}`,
        });
      }
    });
  });

  test("sum and mean of long rows (1023) and a single number axis", () => {
    const x = seeded([2, 1023], -1, 1, 5);
    const rows = [0, 1].map((r) => sumOf(Array.from(x.data.subarray(r * 1023, (r + 1) * 1023))));
    assertClose(ts.sum(x, 1), rows);
    assertClose(
      ts.mean(x, -1),
      rows.map((s) => s / 1023),
    );
    assertClose(
      ts.sum(x, 0),
      Array.from({ length: 1023 }, (_, j) => x.data[j]! + x.data[1023 + j]!),
    );
  });

  test("hand-computed reductions of [[1, 2, 3], [4, 5, 6]]", () => {
    const x = ts.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assertClose(ts.sum(x), 21);
    assertClose(ts.sum(x, 0), [5, 7, 9]);
    assertClose(ts.sum(x, -1, { keepDims: true }), [[6], [15]]);
    assertClose(ts.mean(x, 1), [2, 5]);
    assertClose(ts.prod(x, 1), [6, 120]);
    assertClose(ts.max(x, 0), [4, 5, 6]);
    assertClose(ts.min(x, [0, 1], { keepDims: true }), [[1]]);
    assertClose(ts.variance(x, 1), [2 / 3, 2 / 3]);
    assertClose(ts.variance(x, 1, { correction: 1 }), [1, 1]);
    assertClose(ts.std(x, 0), [1.5, 1.5, 1.5]);
    assertClose(ts.norm(ts.tensor([3, -4])), 5);
    assertClose(ts.norm(ts.tensor([3, -4]), 0, { ord: 1 }), 7);
    assertClose(ts.norm(ts.tensor([3, -4]), 0, { ord: Number.POSITIVE_INFINITY }), 4);
    assertClose(ts.norm(ts.tensor([3, -4]), 0, { ord: 3 }), Math.cbrt(27 + 64));
    assertClose(ts.logSumExp(ts.tensor([0, Math.log(3)])), Math.log(4));
  });

  test("reductions of a 0-d tensor return it unchanged", () => {
    const s = ts.scalar(2.5);
    for (const [name, op] of reductions) {
      const y = op(s);
      assert.deepEqual(y.shape, [], name);
    }
    assertClose(ts.sum(s), 2.5);
    assertClose(ts.max(s), 2.5);
    assertClose(ts.variance(s), 0);
    assertClose(ts.logSumExp(s), 2.5);
  });

  test("empty tensors: sum 0, prod 1, mean NaN, logSumExp -inf, any false, all true; max is an error", () => {
    const e = ts.zeros([0, 3]);
    assertClose(ts.sum(e, 0), [0, 0, 0]);
    assertClose(ts.sum(e), 0);
    assertClose(ts.prod(e, 0), [1, 1, 1]);
    assertClose(ts.mean(e, 0), [Number.NaN, Number.NaN, Number.NaN]);
    assertClose(ts.logSumExp(e, 0), [-Infinity, -Infinity, -Infinity]);
    assertClose(ts.any(e, 0), [false, false, false]);
    assertClose(ts.all(e, 0), [true, true, true]);
    assert.deepEqual(ts.sum(e, 1).shape, [0]);
    assert.deepEqual(ts.max(e, 1).shape, [0]); // reducing the non-empty axis is fine
    assert.deepEqual(ts.sum(e, 1, { keepDims: true }).shape, [0, 1]);
    assert.throws(() => ts.max(e, 0), {
      name: "ValueError",
      message: /^max: cannot reduce over an empty axis \(shape \[0,3\]\)/,
    });
    assert.throws(() => ts.min(e), { name: "ValueError", message: /^min: cannot reduce over an empty axis/ });
    assert.throws(() => ts.argmax(e, 0), {
      name: "ValueError",
      message: /^argmax: cannot reduce over an empty axis/,
    });
  });

  test("NaN propagates through sum, max, min, logSumExp, prod; infinities behave", () => {
    const x = ts.tensor([
      [1, Number.NaN, 3],
      [1, 2, 3],
    ]);
    for (const op of [ts.sum, ts.max, ts.min, ts.prod, ts.mean, ts.logSumExp]) {
      const y = op(x, 1);
      assert.ok(Number.isNaN(y.data[0]!) && !Number.isNaN(y.data[1]!), `${op.name}`);
    }
    assertClose(ts.max(ts.tensor([-Infinity, -Infinity])), -Infinity);
    assertClose(ts.sum(ts.tensor([Infinity, 1])), Infinity);
    assertClose(ts.logSumExp(ts.tensor([Infinity, 0])), Infinity);
    assertClose(ts.logSumExp(ts.tensor([-Infinity, -Infinity])), -Infinity);
  });

  test("logSumExp of large values is stable (1e30 and 1000)", () => {
    assertClose(ts.logSumExp(ts.tensor([1000, 1000])), 1000 + Math.LN2);
    assertClose(ts.logSumExp(ts.tensor([-1000, -1000]), 0, { keepDims: true }), [-1000 + Math.LN2]);
    assertClose(ts.logSumExp(ts.tensor([1e30, 0])), 1e30);
  });

  test("int32 and bool reductions", () => {
    const x = ts.tensor(
      [
        [1, -2, 3],
        [4, 5, -6],
      ],
      { dtype: "int32" },
    );
    assertClose(ts.sum(x, 1), [2, 3], { dtype: "int32" });
    assertClose(ts.prod(x, 0), [4, -10, -18], { dtype: "int32" });
    assertClose(ts.max(x), 5, { dtype: "int32" });
    assertClose(ts.min(x, -1), [-2, -6], { dtype: "int32" });
    assertClose(ts.mean(x, 1), [2 / 3, 1], { dtype: "float32" });
    // int32 products wrap exactly: 123456789 * 987654321 * 3 mod 2^32, as a signed value
    const big = ts.tensor([123456789, 987654321, 3], { dtype: "int32" });
    assertClose(ts.prod(big), Number(BigInt.asIntN(32, 123456789n * 987654321n * 3n)), { dtype: "int32" });
    assertClose(ts.variance(ts.tensor([1, 3], { dtype: "int32" })), 1, { dtype: "float32" });
    assertClose(ts.norm(ts.tensor([3, -4], { dtype: "int32" })), 5, { dtype: "float32" });
    assertClose(ts.norm(ts.tensor([[1, -2]], { dtype: "int32" }), 1, { ord: 1 }), [3], { dtype: "float32" });
    const b = ts.tensor([
      [true, false, true],
      [false, false, false],
    ]);
    assertClose(ts.sum(b, 1), [2, 0], { dtype: "int32" });
    assertClose(ts.any(b, 1), [true, false], { dtype: "bool" });
    assertClose(ts.all(b, 0), [false, false, false]);
    assertClose(ts.all(ts.tensor([1, 2, -1])), true);
    assertClose(ts.any(ts.tensor([0, 0, Number.NaN])), true);
    assertClose(ts.mean(b), 2 / 6, { dtype: "float32" });
  });

  test("argmax / argmin: first index wins ties, NaN wins, flattened when no axis", () => {
    const x = ts.tensor([
      [1, 5, 5],
      [7, 0, 7],
      [-1, -1, -2],
    ]);
    assertClose(ts.argmax(x, 1), [1, 0, 0], { dtype: "int32" });
    assertClose(ts.argmin(x, -1), [0, 1, 2], { dtype: "int32" });
    assertClose(ts.argmax(x, 0), [1, 0, 1], { dtype: "int32" });
    assertClose(ts.argmax(x), 3, { dtype: "int32" });
    assertClose(ts.argmin(x), 8, { dtype: "int32" });
    assertClose(ts.argmax(x, 1, { keepDims: true }), [[1], [0], [0]], { dtype: "int32" });
    // over the flattened tensor keepDims keeps every axis as size 1 (NumPy)
    assertClose(ts.argmax(x, undefined, { keepDims: true }), [[3]], { dtype: "int32" });
    assertClose(ts.argmin(ts.zeros([2, 1, 2]), undefined, { keepDims: true }), [[[0]]], { dtype: "int32" });
    assertClose(ts.argmax(ts.tensor([1, Number.NaN, 3])), 1, { dtype: "int32" });
    assertClose(ts.argmin(ts.tensor([-Infinity, -Infinity])), 0, { dtype: "int32" });
    assertClose(ts.argmax(ts.tensor([3, 1, 3], { dtype: "int32" })), 0, { dtype: "int32" });
    const big = seeded([1023], -1, 1, 9);
    const arr = Array.from(big.data);
    assertClose(ts.argmax(big), arr.indexOf(Math.max(...arr)));
  });

  test("cumsum along each axis, reverse, int32, zero-size and NaN", () => {
    const x = ts.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assertClose(ts.cumsum(x), [
      [1, 2, 3],
      [5, 7, 9],
    ]);
    assertClose(ts.cumsum(x, 1), [
      [1, 3, 6],
      [4, 9, 15],
    ]);
    assertClose(ts.cumsum(x, -1, { reverse: true }), [
      [6, 5, 3],
      [15, 11, 6],
    ]);
    assertClose(ts.cumsum(x, 0, { reverse: true }), [
      [5, 7, 9],
      [4, 5, 6],
    ]);
    assertClose(ts.cumsum(ts.tensor([1, -2, 3], { dtype: "int32" })), [1, -1, 2], { dtype: "int32" });
    assertClose(ts.cumsum(ts.tensor([1, Number.NaN, 3])), [1, Number.NaN, Number.NaN]);
    assert.deepEqual(ts.cumsum(ts.zeros([2, 0]), 1).shape, [2, 0]);
    const long = seeded([1023], -1, 1, 10);
    let acc = 0;
    assertClose(
      ts.cumsum(long),
      Array.from(long.data, (v) => (acc += v)),
      { tol: { atol: 1e-5, rtol: 1e-5 } },
    );
  });

  test("scattered axes of a transposed input", () => {
    const x = seeded([4, 3, 5], -1, 1, 12);
    const xt = ts.transpose(x, [2, 0, 1]); // [5, 4, 3]
    const { values, shape } = reduceExpected(xt, [0, 2], sumOf);
    assertClose(ts.sum(xt, [0, 2]), ts.tensor(values, { shape, dtype: "float64" }));
    assertClose(ts.max(xt, [2, 0]), ts.max(x, [1, 2]), { tol: EXACT });
  });

  test("a repeated axis and an out-of-range axis are errors", () => {
    assert.throws(() => ts.sum(ts.zeros([2, 3]), [1, -1]), {
      name: "ValueError",
      message: /^sum: repeated axis 1/,
    });
    assert.throws(() => ts.mean(ts.zeros([2, 3]), 2), {
      name: "IndexError",
      message: /^mean: axis 2 is out of range for a tensor of rank 2/,
    });
    assert.throws(() => ts.norm(ts.zeros([2]), 0, { ord: -1 }), {
      name: "ValueError",
      message: /^norm: ord must be/,
    });
  });
});
