// Value tests for slice, gather/take, scatterAdd and oneHot on every backend, with negative
// indices and steps, zero-size axes, int32 and bool data.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose, EXACT } from "../helpers/close.js";
import { seeded } from "../helpers/data.js";

const int32 = (v: number[] | number[][]) => ts.tensor(v, { dtype: "int32" });

/** Python's range(start, stop, step) as a list, for slice expectations. */
function pyRange(start: number, stop: number, step: number): number[] {
  const out: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

forEachBackend("slice values", () => {
  test("Python slicing of arange(10) against range()", () => {
    const x = ts.arange(10, undefined, 1, { dtype: "int32" });
    const cases: [[number | null, number | null, number | null], number[]][] = [
      [[2, 7, null], pyRange(2, 7, 1)],
      [[null, null, 3], pyRange(0, 10, 3)],
      [
        [-3, null, null],
        [7, 8, 9],
      ],
      [
        [null, -8, null],
        [0, 1],
      ],
      [[null, null, -1], pyRange(9, -1, -1)],
      [
        [null, null, -3],
        [9, 6, 3, 0],
      ],
      [
        [8, 2, -2],
        [8, 6, 4],
      ],
      [
        [-1, -4, -1],
        [9, 8, 7],
      ],
      [
        [100, null, -4],
        [9, 5, 1],
      ],
      [
        [-100, 100, 4],
        [0, 4, 8],
      ],
      [[5, 2, null], []],
      [[2, 5, -1], []],
      [[3, 3, null], []],
    ];
    for (const [spec, expected] of cases) {
      assertClose(ts.slice(x, [spec]), expected, { dtype: "int32", message: JSON.stringify(spec) });
    }
  });

  test("indices drop axes; null keeps the axis; trailing axes are kept whole", () => {
    const x = ts.arange(24).reshape([2, 3, 4]);
    assertClose(
      ts.slice(x, [1]),
      [
        [12, 13, 14, 15],
        [16, 17, 18, 19],
        [20, 21, 22, 23],
      ],
      { tol: EXACT },
    );
    assertClose(ts.slice(x, [-1, -1, -1]), 23, { tol: EXACT });
    assertClose(
      ts.slice(x, [null, 1, [null, null, 2]]),
      [
        [4, 6],
        [16, 18],
      ],
      { tol: EXACT },
    );
    assertClose(
      ts.slice(x, [null, [null, null, -1], 0]),
      [
        [8, 4, 0],
        [20, 16, 12],
      ],
      { tol: EXACT },
    );
    assert.deepEqual(ts.slice(x, [[1, 1]]).shape, [0, 3, 4]);
    assert.deepEqual(ts.slice(ts.zeros([0, 3]), [null, [1, null]]).shape, [0, 2]);
    assert.deepEqual(ts.slice(x, []).shape, [2, 3, 4]);
  });

  test("slice of a bool tensor and of a larger float tensor with steps", () => {
    assertClose(ts.slice(ts.tensor([true, false, true, true]), [[null, null, 2]]), [true, true]);
    const x = seeded([33, 33], -1, 1, 1);
    const y = ts.slice(x, [
      [1, null, 4],
      [null, null, -5],
    ]);
    const rows = pyRange(1, 33, 4);
    const cols = pyRange(32, -1, -5);
    assert.deepEqual(y.shape, [rows.length, cols.length]);
    rows.forEach((r, i) => {
      cols.forEach((c, j) => {
        assert.equal(y.at(i, j), x.at(r, c));
      });
    });
  });

  test("slice errors: index out of range, bad step, too many specs", () => {
    const x = ts.zeros([2, 3]);
    assert.throws(() => ts.slice(x, [2]), {
      name: "IndexError",
      message: /^slice: index 2 is out of range for axis 0 of size 2/,
    });
    assert.throws(() => ts.slice(x, [null, -4]), {
      name: "IndexError",
      message: /^slice: index -4 is out of range for axis 1 of size 3/,
    });
    assert.throws(() => ts.slice(x, [[null, null, 0]]), {
      name: "ValueError",
      message: /^slice: step must be a non-zero integer \(got 0\)/,
    });
    // a fractional or NaN bound used to read between elements and return NaN garbage
    assert.throws(() => ts.slice(x, [[0.5, 2]]), {
      name: "ValueError",
      message: /^slice: start and stop must be integers or null \(got 0.5 for axis 0\)/,
    });
    assert.throws(() => ts.slice(x, [null, [0, Number.NaN]]), {
      name: "ValueError",
      message: /^slice: start and stop must be integers or null \(got NaN for axis 1\)/,
    });
    assert.throws(() => ts.slice(x, [0, 0, 0]), {
      name: "IndexError",
      message: /^slice: 3 specs for a tensor of rank 2/,
    });
  });
});

forEachBackend("gather, scatterAdd and oneHot values", () => {
  test("gather / take along each axis with negative, repeated and multi-dimensional indices", () => {
    const x = ts.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assertClose(
      ts.gather(x, int32([1, -2, 1])),
      [
        [4, 5, 6],
        [1, 2, 3],
        [4, 5, 6],
      ],
      { tol: EXACT },
    );
    assertClose(
      ts.take(x, int32([-1, 0]), 1),
      [
        [3, 1],
        [6, 4],
      ],
      { tol: EXACT },
    );
    assertClose(
      ts.gather(
        x,
        int32([
          [2, 2],
          [0, 1],
        ]),
        -1,
      ),
      [
        [
          [3, 3],
          [1, 2],
        ],
        [
          [6, 6],
          [4, 5],
        ],
      ],
      { tol: EXACT },
    );
    assertClose(ts.gather(x, ts.scalar(1, "int32"), 1), [2, 5], { tol: EXACT });
    assertClose(
      ts.gather(x, [1, 0]),
      [
        [4, 5, 6],
        [1, 2, 3],
      ],
      { tol: EXACT },
    ); // plain JS integers
    assert.deepEqual(ts.gather(x, ts.zeros([0], { dtype: "int32" })).shape, [0, 3]);
    assertClose(ts.gather(int32([7, 8, 9]), int32([2, 0])), [9, 7], { dtype: "int32" });
    assertClose(x.gather(int32([0]), 1), [[1], [4]], { tol: EXACT });
  });

  test("gather rows of a large table (an embedding lookup)", () => {
    const table = seeded([1023, 7], -1, 1, 1);
    const ids = seeded([33], 0, 1023, 2, "int32");
    const rows = ts.gather(table, ids);
    for (let i = 0; i < 33; i++)
      assertClose(ts.slice(rows, [i]), ts.slice(table, [ids.data[i]!]), { tol: EXACT });
  });

  test("gather errors: out-of-range, non-integer and non-int32 indices", () => {
    const x = ts.zeros([2, 3]);
    assert.throws(() => ts.gather(x, int32([2])), {
      name: "IndexError",
      message: /^gather: index 2 is out of range for axis 0 of size 2/,
    });
    assert.throws(() => ts.gather(x, int32([-4]), 1), {
      name: "IndexError",
      message: /^gather: index -4 is out of range for axis 1 of size 3/,
    });
    assert.throws(() => ts.gather(x, ts.tensor([0])), {
      name: "DTypeError",
      message: /^gather: indices must be int32 \(got float32\)/,
    });
    assert.throws(() => ts.gather(x, [0.5]), {
      name: "DTypeError",
      message: /^gather: indices must be integers \(got 0.5\)/,
    });
  });

  test("scatterAdd accumulates repeated indices along an axis", () => {
    assertClose(ts.scatterAdd(ts.zeros([4]), int32([1, 1, 3, -1]), ts.tensor([1, 2, 3, 4])), [0, 3, 0, 7], {
      tol: EXACT,
    });
    const x = ts.ones([2, 3]);
    const y = ts.scatterAdd(
      x,
      int32([2, 0, 2]),
      ts.tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      1,
    );
    assertClose(
      y,
      [
        [3, 1, 5],
        [6, 1, 11],
      ],
      { tol: EXACT },
    );
    assertClose(
      x,
      [
        [1, 1, 1],
        [1, 1, 1],
      ],
      { tol: EXACT },
    ); // input untouched
    assertClose(ts.scatterAdd(int32([0, 0]), int32([0, 0]), int32([5, 6])), [11, 0], { dtype: "int32" });
    assert.throws(() => ts.scatterAdd(ts.zeros([3]), int32([0]), ts.zeros([2])), {
      name: "ShapeError",
      message: /^scatterAdd: updates must have shape \[1\] \(got \[2\]\)/,
    });
    assert.throws(() => ts.scatterAdd(ts.zeros([3]), int32([3]), ts.zeros([1])), {
      name: "IndexError",
      message: /^scatterAdd: index 3 is out of range/,
    });
    assert.throws(() => ts.scatterAdd(ts.zeros([3]), int32([0]), ts.zeros([1], { dtype: "float64" })), {
      name: "DTypeError",
      message: /^scatterAdd: dtypes differ \(got float32 and float64\)/,
    });
  });

  test("scatterAdd is the adjoint of gather: <gather(x), u> = <x, scatterAdd(0, u)>", () => {
    const x = seeded([7, 5], -1, 1, 3, "float64");
    const idx = seeded([33], 0, 7, 4, "int32");
    const u = seeded([33, 5], -1, 1, 5, "float64");
    const lhs = ts.sum(ts.mul(ts.gather(x, idx), u)).item();
    const rhs = ts.sum(ts.mul(x, ts.scatterAdd(ts.zerosLike(x), idx, u))).item();
    assert.ok(Math.abs(lhs - rhs) < 1e-12, `${lhs} vs ${rhs}`);
  });

  test("oneHot", () => {
    assertClose(
      ts.oneHot(int32([0, 2, 1]), 3),
      [
        [1, 0, 0],
        [0, 0, 1],
        [0, 1, 0],
      ],
      { dtype: "float32" },
    );
    assertClose(ts.oneHot(int32([[1], [0]]), 2, { dtype: "int32" }), [[[0, 1]], [[1, 0]]], {
      dtype: "int32",
    });
    assertClose(ts.oneHot([1, 0], 2), [
      [0, 1],
      [1, 0],
    ]);
    assert.deepEqual(ts.oneHot(ts.zeros([0], { dtype: "int32" }), 4).shape, [0, 4]);
    assert.throws(() => ts.oneHot(int32([3]), 3), {
      name: "IndexError",
      message: /^oneHot: index 3 is out of range for depth 3/,
    });
    assert.throws(() => ts.oneHot(int32([-1]), 3), {
      name: "IndexError",
      message: /^oneHot: index -1 is out of range/,
    });
    assert.throws(() => ts.oneHot(int32([1]), 3, { dtype: "float16" as ts.DType }), {
      name: "DTypeError",
      message: /^oneHot: unknown dtype "float16" \(expected float32, float64, int32 or bool\)/,
    });
    assert.throws(() => ts.oneHot(ts.tensor([1]), 3), {
      name: "DTypeError",
      message: /^oneHot: indices must be int32/,
    });
  });
});
