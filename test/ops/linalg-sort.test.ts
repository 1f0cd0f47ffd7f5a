// sort, argsort, topk, unique, triu and tril: values on hand-made inputs (ties, NaN, int and bool
// dtypes, any axis, batches), their typed errors, and the NaN / stability conventions.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "../../src/index.js";

test("sort and argsort: ascending, descending, any axis, stable for ties", () => {
  const x = ts.tensor([
    [3, 1, 2, 1],
    [0, 5, 5, -1],
  ]);
  assert.deepEqual(ts.sort(x).toArray(), [
    [1, 1, 2, 3],
    [-1, 0, 5, 5],
  ]);
  assert.deepEqual(ts.argsort(x).toArray(), [
    [1, 3, 2, 0],
    [3, 0, 1, 2],
  ]);
  // descending keeps tied entries in their original order as well
  assert.deepEqual(ts.argsort(x, { descending: true }).toArray(), [
    [0, 2, 1, 3],
    [1, 2, 0, 3],
  ]);
  assert.deepEqual(ts.sort(x, { axis: 0 }).toArray(), [
    [0, 1, 2, -1],
    [3, 5, 5, 1],
  ]);
  assert.equal(ts.argsort(x).dtype, "int32");
  assert.equal(ts.sort(ts.tensor([2, 1], { dtype: "int32" })).dtype, "int32");
  assert.deepEqual(ts.sort(ts.tensor([true, false, true])).toArray(), [false, true, true]);
  const batch = ts.randn([2, 3, 5], { generator: new ts.Generator(1) });
  const sorted = ts.sort(batch, { axis: 1 });
  assert.deepEqual(sorted.shape, [2, 3, 5]);
  for (let b = 0; b < 2; b++)
    for (let j = 0; j < 5; j++)
      for (let i = 1; i < 3; i++) assert.ok(sorted.at(b, i - 1, j) <= sorted.at(b, i, j));
});

test("NaN sorts after every number ascending and before them descending", () => {
  const x = ts.tensor([2, Number.NaN, -1, Number.POSITIVE_INFINITY]);
  assert.deepEqual(ts.sort(x).toArray(), [-1, 2, Number.POSITIVE_INFINITY, Number.NaN]);
  assert.deepEqual(ts.sort(x, { descending: true }).toArray(), [Number.NaN, Number.POSITIVE_INFINITY, 2, -1]);
  assert.deepEqual(ts.topk(x, 1).indices.toArray(), [1]);
});

test("topk: largest and smallest along an axis, sorted, ties to the earlier position", () => {
  const x = ts.tensor([
    [1, 5, 3, 5],
    [4, 0, 2, 8],
  ]);
  const top = ts.topk(x, 2);
  assert.deepEqual(top.values.toArray(), [
    [5, 5],
    [8, 4],
  ]);
  assert.deepEqual(top.indices.toArray(), [
    [1, 3],
    [3, 0],
  ]);
  const low = ts.topk(x, 1, { axis: 0, largest: false });
  assert.deepEqual(low.values.toArray(), [[1, 0, 2, 5]]);
  assert.deepEqual(low.indices.toArray(), [[0, 1, 1, 0]]);
  assert.deepEqual(ts.topk(x, 0).values.shape, [2, 0]);
  assert.throws(
    () => ts.topk(x, 5),
    (e: Error) => e instanceof ts.ValueError && /topk: k must be an integer in \[0, 4\]/.test(e.message),
  );
  assert.throws(() => ts.topk(ts.scalar(1), 1), /topk: expected at least one dimension/);
  assert.throws(
    () => ts.sort(x, { axis: 2 }),
    (e: Error) => e instanceof ts.IndexError,
  );
});

test("unique: sorted values, first positions, inverse shaped like the input, counts", () => {
  const x = ts.tensor(
    [
      [3, 1],
      [3, 2],
      [1, 1],
    ],
    { dtype: "int32" },
  );
  const u = ts.unique(x);
  assert.equal(u.values.dtype, "int32");
  assert.deepEqual(u.values.toArray(), [1, 2, 3]);
  assert.deepEqual(u.indices.toArray(), [1, 3, 0]);
  assert.deepEqual(u.inverse.toArray(), [
    [2, 0],
    [2, 1],
    [0, 0],
  ]);
  assert.deepEqual(u.counts.toArray(), [3, 1, 2]);
  // NaNs collapse to one value at the end (NumPy's equal_nan=True)
  const withNaN = ts.unique(ts.tensor([Number.NaN, 1, Number.NaN]));
  assert.deepEqual(withNaN.values.toArray(), [1, Number.NaN]);
  assert.deepEqual(withNaN.counts.toArray(), [1, 2]);
  const empty = ts.unique(ts.zeros([0]));
  assert.deepEqual([empty.values.shape, empty.counts.shape], [[0], [0]]);
});

test("triu and tril: diagonal offsets, non-square and batched inputs, any dtype", () => {
  const x = ts.reshape(ts.arange(1, 13), [3, 4]);
  assert.deepEqual(ts.triu(x).toArray(), [
    [1, 2, 3, 4],
    [0, 6, 7, 8],
    [0, 0, 11, 12],
  ]);
  assert.deepEqual(ts.tril(x, 1).toArray(), [
    [1, 2, 0, 0],
    [5, 6, 7, 0],
    [9, 10, 11, 12],
  ]);
  assert.deepEqual(ts.triu(x, -1).toArray(), [
    [1, 2, 3, 4],
    [5, 6, 7, 8],
    [0, 10, 11, 12],
  ]);
  assert.deepEqual(ts.tril(x, -5).toArray(), [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ]);
  const b = ts.tril(ts.ones([2, 2, 2], { dtype: "bool" }));
  assert.equal(b.dtype, "bool");
  assert.deepEqual(b.toArray(), [
    [
      [true, false],
      [true, true],
    ],
    [
      [true, false],
      [true, true],
    ],
  ]);
  assert.throws(
    () => ts.triu(ts.ones([3])),
    (e: Error) => e instanceof ts.ShapeError && /triu: expected rank >= 2/.test(e.message),
  );
  assert.throws(() => ts.tril(x, 0.5), /tril: the diagonal offset k must be an integer/);
});
