// Value tests for concat, stack and split on every backend.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose, EXACT } from "../helpers/close.js";
import { seeded } from "../helpers/data.js";

forEachBackend("concat, stack and split values", () => {
  test("concat along each axis, with zero-size parts and negative axes", () => {
    const a = ts.tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = ts.tensor([[5, 6]]);
    assertClose(
      ts.concat([a, b]),
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      { tol: EXACT },
    );
    assertClose(
      ts.concat([a, ts.transpose(b)], -1),
      [
        [1, 2, 5],
        [3, 4, 6],
      ],
      { tol: EXACT },
    );
    assertClose(ts.concat([ts.zeros([0, 2]), b, ts.zeros([0, 2])]), [[5, 6]], { tol: EXACT });
    assertClose(ts.concat([a]), a, { tol: EXACT });
    assertClose(
      ts.concat([ts.tensor([1, 2], { dtype: "int32" }), ts.tensor([3], { dtype: "int32" })]),
      [1, 2, 3],
      { dtype: "int32" },
    );
    const x = seeded([3, 33], -1, 1, 1);
    const y = seeded([3, 7], -1, 1, 2);
    const c = ts.concat([x, y], 1);
    assert.deepEqual(c.shape, [3, 40]);
    assertClose(ts.slice(c, [null, [33, null]]), y, { tol: EXACT });
    assertClose(ts.slice(c, [null, [null, 33]]), x, { tol: EXACT });
  });

  test("concat errors: nothing to join, shape mismatch, dtype mismatch, 0-d", () => {
    assert.throws(() => ts.concat([]), {
      name: "ValueError",
      message: /^concat: expected at least one tensor/,
    });
    assert.throws(() => ts.concat([ts.zeros([2, 2]), ts.zeros([2, 3])]), {
      name: "ShapeError",
      message: /^concat: shapes must match except on axis 0 \(got \[2,2\] and \[2,3\]\)/,
    });
    assert.throws(() => ts.concat([ts.zeros([2]), ts.zeros([2], { dtype: "int32" })]), {
      name: "DTypeError",
      message: /^concat: dtypes differ \(got float32 and int32\)/,
    });
    assert.throws(() => ts.concat([ts.scalar(1), ts.scalar(2)]), {
      name: "IndexError",
      message: /^concat: axis 0 is out of range/,
    });
  });

  test("stack along a new axis at the front, middle and end", () => {
    const a = ts.tensor([1, 2, 3]);
    const b = ts.tensor([4, 5, 6]);
    assertClose(
      ts.stack([a, b]),
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { tol: EXACT },
    );
    assertClose(
      ts.stack([a, b], 1),
      [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
      { tol: EXACT },
    );
    assertClose(
      ts.stack([a, b], -1),
      [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
      { tol: EXACT },
    );
    assertClose(ts.stack([ts.scalar(1), ts.scalar(2)]), [1, 2], { tol: EXACT });
    assert.throws(() => ts.stack([a, ts.zeros([2])]), {
      name: "ShapeError",
      message: /^stack: all shapes must be equal \(got \[3\] and \[2\]\)/,
    });
    assert.throws(() => ts.stack([]), {
      name: "ValueError",
      message: /^stack: expected at least one tensor/,
    });
  });

  test("split into equal sections and into given sizes", () => {
    const x = ts.arange(12).reshape([2, 6]);
    const parts = ts.split(x, 3, 1);
    assert.equal(parts.length, 3);
    assertClose(
      parts[1]!,
      [
        [2, 3],
        [8, 9],
      ],
      { tol: EXACT },
    );
    const sized = ts.split(x, [1, 0, 5], -1);
    assert.deepEqual(
      sized.map((p) => p.shape),
      [
        [2, 1],
        [2, 0],
        [2, 5],
      ],
    );
    assertClose(
      sized[2]!,
      [
        [1, 2, 3, 4, 5],
        [7, 8, 9, 10, 11],
      ],
      { tol: EXACT },
    );
    assertClose(ts.concat(x.split(2), 0), x, { tol: EXACT });
    assert.throws(() => ts.split(x, 4, 1), {
      name: "ShapeError",
      message: /^split: axis 1 of size 6 cannot be split into 4 equal parts/,
    });
    assert.throws(() => ts.split(x, [2, 2], 1), {
      name: "ShapeError",
      message: /^split: sizes \[2,2\] must be non-negative integers summing to 6/,
    });
  });
});
