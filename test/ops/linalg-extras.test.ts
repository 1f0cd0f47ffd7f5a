// diagonal, diagEmbed, trace, solveTriangular and cond: values on small hand-checked inputs,
// batches, offsets, and their typed errors. (NumPy parity and gradients: linalg-parity / linalg-grad.)
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "../../src/index.js";
import { assertClose } from "../helpers/close.js";

const L = ts.linalg;
const TIGHT = { atol: 1e-12, rtol: 1e-12 };

test("diagonal, diagEmbed and trace with offsets on square, wide and batched inputs", () => {
  const x = ts.reshape(ts.arange(1, 13), [3, 4]); // [[1..4], [5..8], [9..12]]
  assert.deepEqual(L.diagonal(x).toArray(), [1, 6, 11]);
  assert.deepEqual(L.diagonal(x, 1).toArray(), [2, 7, 12]);
  assert.deepEqual(L.diagonal(x, 3).toArray(), [4]);
  assert.deepEqual(L.diagonal(x, -2).toArray(), [9]);
  assert.deepEqual(L.diagonal(x, 4).shape, [0]);
  assert.equal(L.trace(x).item(), 18);
  const batch = ts.stack([ts.eye(3), ts.mul(ts.eye(3), 2)]);
  assert.deepEqual(L.trace(batch).toArray(), [3, 6]);
  assert.deepEqual(L.diagonal(batch).shape, [2, 3]);
  assert.deepEqual(L.diagEmbed(ts.tensor([1, 2])).toArray(), [
    [1, 0],
    [0, 2],
  ]);
  assert.deepEqual(L.diagEmbed(ts.tensor([[5], [6]]), -1).toArray(), [
    [
      [0, 0],
      [5, 0],
    ],
    [
      [0, 0],
      [6, 0],
    ],
  ]);
  // diagEmbed then diagonal is the identity on the vector
  const v = ts.randn([2, 4], { generator: new ts.Generator(1) });
  assert.deepEqual(L.diagonal(L.diagEmbed(v, 2), 2).toArray(), v.toArray());
  assert.throws(
    () => L.diagonal(ts.tensor([1, 2])),
    (e: Error) => e instanceof ts.ShapeError && /diagonal: expected rank >= 2/.test(e.message),
  );
  assert.throws(() => L.trace(x, 0.5), /diagonal: offset must be an integer/);
});

test("solveTriangular reads only the triangle it is told to, batched", () => {
  const lower = ts.tensor(
    [
      [2, 99],
      [1, 1],
    ],
    { dtype: "float64" },
  );
  assertClose(
    L.solveTriangular(lower, ts.tensor([[2], [3]], { dtype: "float64" }), { upper: false }),
    [[1], [2]],
    { tol: TIGHT },
  );
  const upper = ts.tensor(
    [
      [2, 1],
      [-7, 4],
    ],
    { dtype: "float64" },
  );
  assertClose(
    L.solveTriangular(upper, ts.tensor([[4], [8]], { dtype: "float64" }), { upper: true }),
    [[1], [2]],
    { tol: TIGHT },
  );
  const a = ts.add(
    ts.triu(ts.randn([3, 4, 4], { dtype: "float64", generator: new ts.Generator(2) })),
    ts.mul(ts.eye(4, 4, { dtype: "float64" }), 4),
  );
  const b = ts.randn([3, 4, 2], { dtype: "float64", generator: new ts.Generator(3) });
  assertClose(ts.matmul(a, L.solveTriangular(a, b, { upper: true })), b, { tol: TIGHT });
  assert.throws(
    () =>
      L.solveTriangular(
        ts.tensor(
          [
            [1, 0],
            [1, 0],
          ],
          { dtype: "float64" },
        ),
        ts.ones([2, 1], { dtype: "float64" }),
        { upper: false },
      ),
    (e: Error) =>
      e instanceof ts.ValueError &&
      /solveTriangular: matrix is singular \(zero on the diagonal at 1\)/.test(e.message),
  );
  assert.throws(
    () => L.solveTriangular(a, ts.ones([4, 2], { dtype: "float64" }), { upper: true }),
    /solveTriangular: A \[3,4,4\] needs B of shape \[3,4, K\]/,
  );
  assert.throws(
    () => L.solveTriangular(a, b, {} as { upper: boolean }),
    /options.upper must be true or false/,
  );
});

test("cond: 2-norm ratio of singular values, other orders through the inverse, singular gives Infinity", () => {
  const d = ts.tensor(
    [
      [1, 0],
      [0, 1e-3],
    ],
    { dtype: "float64" },
  );
  assertClose(L.cond(d), 1000, { tol: TIGHT });
  assertClose(L.cond(d, -2), 1e-3, { tol: TIGHT });
  assertClose(L.cond(d, 1), 1000, { tol: TIGHT });
  assert.equal(
    L.cond(
      ts.tensor(
        [
          [1, 2],
          [2, 4],
        ],
        { dtype: "float64" },
      ),
    ).item(),
    Number.POSITIVE_INFINITY,
  );
  assert.deepEqual(L.cond(ts.stack([ts.eye(3), ts.eye(3)])).toArray(), [1, 1]);
  assert.throws(() => L.cond(ts.tensor([1, 2])), /cond: expected \[\.\.\., M, N\]/);
});
