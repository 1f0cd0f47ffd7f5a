// Value tests for the shape ops on every backend: reshape (-1, sharing), flatten, transpose /
// permute / matrixTranspose, expandDims, squeeze and broadcastTo, including 0-d and zero-size.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose, EXACT } from "../helpers/close.js";
import { seeded } from "../helpers/data.js";

forEachBackend("shape op values", () => {
  test("reshape infers -1, shares the data array and keeps the dtype", () => {
    const x = ts.arange(12, undefined, 1, { dtype: "int32" });
    const y = ts.reshape(x, [3, -1]);
    assert.deepEqual(y.shape, [3, 4]);
    assert.equal(y.data, x.data);
    assert.equal(y.dtype, "int32");
    assertClose(ts.reshape(x, [-1, 2, 3]), [
      [
        [0, 1, 2],
        [3, 4, 5],
      ],
      [
        [6, 7, 8],
        [9, 10, 11],
      ],
    ]);
    assert.deepEqual(ts.reshape(ts.scalar(5), [1, 1]).shape, [1, 1]);
    assert.deepEqual(ts.reshape(ts.tensor([5]), []).shape, []);
    assert.deepEqual(ts.reshape(ts.zeros([0, 3]), [3, 0, 2]).shape, [3, 0, 2]);
    assert.deepEqual(ts.reshape(ts.zeros([0, 3]), [-1, 3]).shape, [0, 3]);
  });

  test("reshape errors: incompatible size, two -1, bad dimension", () => {
    assert.throws(() => ts.reshape(ts.zeros([2, 3]), [4, 2]), {
      name: "ShapeError",
      message: /^reshape: cannot reshape a tensor of shape \[2,3\] \(6 elements\) into \[4,2\]$/,
    });
    assert.throws(() => ts.reshape(ts.zeros([2, 3]), [4, -1]), {
      name: "ShapeError",
      message: /^reshape: cannot reshape .* into \[4,-1\]/,
    });
    assert.throws(() => ts.reshape(ts.zeros([6]), [-1, -1]), {
      name: "ShapeError",
      message: /^reshape: only one dimension can be -1/,
    });
    assert.throws(() => ts.reshape(ts.zeros([6]), [2.5, 2]), {
      name: "ShapeError",
      message: /^reshape: invalid dimension/,
    });
    assert.throws(() => ts.reshape(ts.zeros([0]), [0, -1]), {
      name: "ShapeError",
      message: /^reshape: cannot reshape/,
    });
  });

  test("flatten ranges of axes", () => {
    const x = ts.zeros([2, 3, 4, 5]);
    assert.deepEqual(ts.flatten(x).shape, [120]);
    assert.deepEqual(ts.flatten(x, 1).shape, [2, 60]);
    assert.deepEqual(ts.flatten(x, 1, 2).shape, [2, 12, 5]);
    assert.deepEqual(ts.flatten(x, -2, -1).shape, [2, 3, 20]);
    assert.deepEqual(ts.flatten(ts.scalar(1)).shape, [1]);
    assert.throws(() => ts.flatten(x, 2, 1), {
      name: "ValueError",
      message: /^flatten: endAxis 1 comes before startAxis 2/,
    });
  });

  test("transpose reverses axes by default and follows a permutation with negative axes", () => {
    const x = ts.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assertClose(
      ts.transpose(x),
      [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
      { tol: EXACT },
    );
    const y = ts.arange(24).reshape([2, 3, 4]);
    const p = ts.permute(y, [2, 0, -2]);
    assert.deepEqual(p.shape, [4, 2, 3]);
    for (const [i, j, k] of [
      [0, 0, 0],
      [3, 1, 2],
      [1, 0, 2],
      [2, 1, 0],
    ] as const) {
      assert.equal(p.at(i, j, k), y.at(j, k, i));
    }
    assertClose(ts.transpose(ts.transpose(y, [1, 2, 0]), [2, 0, 1]), y, { tol: EXACT });
    assertClose(ts.matrixTranspose(y), ts.transpose(y, [0, 2, 1]), { tol: EXACT });
    assert.deepEqual(ts.transpose(ts.zeros([0, 3, 1])).shape, [1, 3, 0]);
    assert.deepEqual(ts.transpose(ts.scalar(2)).shape, []);
  });

  test("transpose of larger odd shapes, int32 and bool", () => {
    const x = seeded([7, 33], -5, 5, 1, "int32");
    const t = ts.transpose(x);
    for (let i = 0; i < 7; i++) for (let j = 0; j < 33; j++) assert.equal(t.at(j, i), x.at(i, j));
    const b = ts.greater(seeded([33, 7], -1, 1, 2), 0);
    const bt = ts.transpose(b);
    assert.equal(bt.dtype, "bool");
    for (let i = 0; i < 33; i++) for (let j = 0; j < 7; j++) assert.equal(bt.at(j, i), b.at(i, j));
  });

  test("transpose errors: wrong length, repeated axis", () => {
    assert.throws(() => ts.transpose(ts.zeros([2, 3]), [0]), {
      name: "ShapeError",
      message: /^transpose: permutation \[0\] does not match rank 2/,
    });
    assert.throws(() => ts.transpose(ts.zeros([2, 3]), [1, -1]), {
      name: "ValueError",
      message: /^transpose: permutation \[1,-1\] repeats an axis/,
    });
    assert.throws(() => ts.matrixTranspose(ts.zeros([3])), {
      name: "ShapeError",
      message: /^matrixTranspose: expected rank >= 2/,
    });
  });

  test("expandDims and squeeze", () => {
    const x = ts.zeros([2, 3]);
    assert.deepEqual(ts.expandDims(x, 0).shape, [1, 2, 3]);
    assert.deepEqual(ts.expandDims(x, 2).shape, [2, 3, 1]);
    assert.deepEqual(ts.expandDims(x, -1).shape, [2, 3, 1]);
    assert.deepEqual(ts.expandDims(x, -3).shape, [1, 2, 3]);
    assert.deepEqual(ts.expandDims(ts.scalar(1), 0).shape, [1]);
    assert.throws(() => ts.expandDims(x, 3), {
      name: "IndexError",
      message: /^expandDims: axis 3 is out of range for a tensor of rank 3/,
    });
    const y = ts.zeros([1, 2, 1, 3, 1]);
    assert.deepEqual(ts.squeeze(y).shape, [2, 3]);
    assert.deepEqual(ts.squeeze(y, -1).shape, [1, 2, 1, 3]);
    assert.deepEqual(ts.squeeze(y, [0, 2]).shape, [2, 3, 1]);
    assert.deepEqual(ts.squeeze(ts.zeros([1, 1])).shape, []);
    assert.throws(() => ts.squeeze(y, 1), {
      name: "ShapeError",
      message: /^squeeze: axis 1 has size 2, not 1/,
    });
  });

  test("broadcastTo copies along new and size-1 axes", () => {
    assertClose(
      ts.broadcastTo(ts.tensor([1, 2]), [2, 2]),
      [
        [1, 2],
        [1, 2],
      ],
      { tol: EXACT },
    );
    assertClose(
      ts.broadcastTo(ts.tensor([[1], [2]]), [2, 3]),
      [
        [1, 1, 1],
        [2, 2, 2],
      ],
      { tol: EXACT },
    );
    assertClose(ts.broadcastTo(ts.scalar(7, "int32"), [3]), [7, 7, 7], { dtype: "int32" });
    assert.deepEqual(ts.broadcastTo(ts.tensor([1]), [0]).shape, [0]);
    assert.deepEqual(ts.broadcastTo(ts.zeros([0, 1]), [2, 0, 3]).shape, [2, 0, 3]);
    const big = seeded([33], -1, 1, 3);
    const b = ts.broadcastTo(big, [7, 33]);
    for (let i = 0; i < 7; i++) assertClose(ts.slice(b, [i]), big, { tol: EXACT });
    assert.throws(() => ts.broadcastTo(ts.zeros([3]), [4]), {
      name: "ShapeError",
      message: /^broadcastTo: shapes cannot be broadcast together \(got \[3\] and \[4\]\)/,
    });
    assert.throws(() => ts.broadcastTo(ts.tensor([1]), [-1]), {
      name: "ShapeError",
      message: /^broadcastTo: dimensions must be non-negative integers \(got \[-1\]\)/,
    });
    assert.throws(() => ts.broadcastTo(ts.zeros([2, 3]), [3]), {
      name: "ShapeError",
      message: /^broadcastTo: cannot broadcast shape \[2,3\] to \[3\]/,
    });
  });

  test("methods: reshape, flatten, transpose, permute, expandDims, squeeze, broadcastTo", () => {
    const x = ts.arange(6);
    assertClose(x.reshape([2, 3]).transpose().flatten(), [0, 3, 1, 4, 2, 5], { tol: EXACT });
    assert.deepEqual(x.expandDims(0).squeeze().permute([0]).broadcastTo([2, 6]).shape, [2, 6]);
  });
});
