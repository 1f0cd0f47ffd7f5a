// Value tests for pad, tile, repeat and flip on every backend, with zero-size axes, 0-d inputs,
// int32 and bool data.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose, EXACT } from "../helpers/close.js";
import { seeded } from "../helpers/data.js";

const int32 = (v: number[]) => ts.tensor(v, { dtype: "int32" });

forEachBackend("pad, tile, repeat and flip values", () => {
  test("pad with zeros and with a constant, per axis", () => {
    assertClose(
      ts.pad(
        ts.tensor([
          [1, 2],
          [3, 4],
        ]),
        [
          [1, 0],
          [0, 2],
        ],
      ),
      [
        [0, 0, 0, 0],
        [1, 2, 0, 0],
        [3, 4, 0, 0],
      ],
      { tol: EXACT },
    );
    assertClose(ts.pad(ts.tensor([1, 2]), [[2, 1]], -1), [-1, -1, 1, 2, -1], { tol: EXACT });
    assertClose(ts.pad(int32([5]), [[1, 1]], 7), [7, 5, 7], { dtype: "int32" });
    assertClose(ts.pad(ts.zeros([0]), [[1, 2]], 3), [3, 3, 3], { tol: EXACT });
    assertClose(ts.pad(ts.scalar(4), []), 4, { tol: EXACT });
    assert.throws(
      () =>
        ts.pad(ts.zeros([2]), [
          [1, 1],
          [1, 1],
        ]),
      { name: "ShapeError", message: /^pad: expected 1 \[before, after\] pairs \(got 2\)/ },
    );
    assert.throws(() => ts.pad(ts.zeros([2]), [[-1, 1]]), {
      name: "ValueError",
      message: /^pad: paddings must be non-negative integers/,
    });
  });

  test("tile like NumPy, including reps longer than the rank and zero reps", () => {
    assertClose(ts.tile(ts.tensor([1, 2]), [3]), [1, 2, 1, 2, 1, 2], { tol: EXACT });
    assertClose(
      ts.tile(
        ts.tensor([
          [1, 2],
          [3, 4],
        ]),
        [2, 1],
      ),
      [
        [1, 2],
        [3, 4],
        [1, 2],
        [3, 4],
      ],
      { tol: EXACT },
    );
    assertClose(
      ts.tile(ts.tensor([1, 2]), [2, 2]),
      [
        [1, 2, 1, 2],
        [1, 2, 1, 2],
      ],
      { tol: EXACT },
    );
    assertClose(ts.tile(ts.tensor([[1, 2]]), [2]), [[1, 2, 1, 2]], { tol: EXACT });
    assert.deepEqual(ts.tile(ts.tensor([1, 2]), [0]).shape, [0]);
    assertClose(ts.tile(ts.scalar(3), [2]), [3, 3], { tol: EXACT });
  });

  test("repeat each element along an axis, or flattened", () => {
    assertClose(
      ts.repeat(
        ts.tensor([
          [1, 2],
          [3, 4],
        ]),
        2,
      ),
      [1, 1, 2, 2, 3, 3, 4, 4],
      { tol: EXACT },
    );
    assertClose(
      ts.repeat(
        ts.tensor([
          [1, 2],
          [3, 4],
        ]),
        2,
        0,
      ),
      [
        [1, 2],
        [1, 2],
        [3, 4],
        [3, 4],
      ],
      { tol: EXACT },
    );
    assertClose(
      ts.repeat(
        ts.tensor([
          [1, 2],
          [3, 4],
        ]),
        3,
        -1,
      ),
      [
        [1, 1, 1, 2, 2, 2],
        [3, 3, 3, 4, 4, 4],
      ],
      { tol: EXACT },
    );
    assert.deepEqual(ts.repeat(ts.tensor([1, 2]), 0).shape, [0]);
    assert.throws(() => ts.repeat(ts.tensor([1]), -1), {
      name: "ValueError",
      message: /^repeat: repeats must be a non-negative integer/,
    });
  });

  test("flip along one, several and all axes", () => {
    const x = ts.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assertClose(
      ts.flip(x),
      [
        [6, 5, 4],
        [3, 2, 1],
      ],
      { tol: EXACT },
    );
    assertClose(
      ts.flip(x, 0),
      [
        [4, 5, 6],
        [1, 2, 3],
      ],
      { tol: EXACT },
    );
    assertClose(
      ts.flip(x, -1),
      [
        [3, 2, 1],
        [6, 5, 4],
      ],
      { tol: EXACT },
    );
    assertClose(ts.flip(x, [0, 1]), ts.flip(x), { tol: EXACT });
    assert.deepEqual(ts.flip(ts.zeros([0, 2]), 0).shape, [0, 2]);
    const big = seeded([1023], -1, 1, 1);
    assertClose(ts.flip(big), Array.from(big.data).reverse(), { tol: EXACT });
    assertClose(ts.flip(ts.tensor([true, false])), [false, true]);
  });
});
