// Values, shapes, dtypes, batching and errors of ts.linalg: hand-computed results, identities that
// must hold (A inv(A) = I, Q R = A, U S Vh = A, V diag(w) V^T = A), and the typed errors bad input
// gets (singular, non-square, not positive definite, mismatched shapes and dtypes).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Tensor } from "../../src/index.js";
import * as ts from "../../src/index.js";
import { assertClose, FLOAT32_TOL } from "../helpers/close.js";

const L = ts.linalg;
const TIGHT = { atol: 1e-12, rtol: 1e-12 };
const f64 = (x: number[][] | number[][][]) => ts.tensor(x, { dtype: "float64" });
const randn64 = (shape: number[], seed: number) =>
  ts.randn(shape, { dtype: "float64", generator: new ts.Generator(seed) });

test("solve, inv, det and slogdet on a hand-checked 2x2", () => {
  const a = f64([
    [3, 1],
    [1, 2],
  ]);
  assertClose(L.solve(a, ts.tensor([9, 8], { dtype: "float64" })), [2, 3], { tol: TIGHT });
  assertClose(
    L.inv(a),
    [
      [0.4, -0.2],
      [-0.2, 0.6],
    ],
    { tol: TIGHT },
  );
  assert.ok(Math.abs(L.det(a).item() - 5) < 1e-14);
  const { sign, logAbsDet } = L.slogdet(
    f64([
      [0, 2],
      [3, 0],
    ]),
  );
  assert.equal(sign.item(), -1);
  assert.ok(Math.abs(logAbsDet.item() - Math.log(6)) < 1e-14);
});

test("batched ops keep the batch axes and broadcast them in solve", () => {
  const a = ts.add(randn64([2, 3, 4, 4], 1), ts.mul(ts.eye(4, 4, { dtype: "float64" }), 4));
  const b = randn64([3, 4, 2], 2); // batch [3] broadcasts against [2, 3]
  const x = L.solve(a, b);
  assert.deepEqual(x.shape, [2, 3, 4, 2]);
  assertClose(ts.matmul(a, x), ts.broadcastTo(b, [2, 3, 4, 2]), { tol: TIGHT });
  assertClose(ts.matmul(a, L.inv(a)), ts.broadcastTo(ts.eye(4, 4, { dtype: "float64" }), [2, 3, 4, 4]), {
    tol: TIGHT,
  });
  assert.deepEqual(L.det(a).shape, [2, 3]);
  // det of each matrix equals the product of its eigen... here: det(A) = exp(logAbsDet) * sign
  const { sign, logAbsDet } = L.slogdet(a);
  assertClose(L.det(a), ts.mul(sign, ts.exp(logAbsDet)), { tol: { atol: 1e-10, rtol: 1e-10 } });
});

test("float32 inputs give float32 outputs close to the float64 results", () => {
  const a64 = ts.add(randn64([5, 5], 3), ts.mul(ts.eye(5, 5, { dtype: "float64" }), 3));
  const a32 = ts.cast(a64, "float32");
  for (const [name, f] of [
    ["inv", (x: Tensor) => L.inv(x)],
    ["svd.s", (x: Tensor) => L.svd(x).s],
    ["eigvalsh", (x: Tensor) => L.eigvalsh(x)],
    ["qr.r", (x: Tensor) => L.qr(x).r],
    ["pinv", (x: Tensor) => L.pinv(x)],
  ] as const) {
    const y32 = f(a32);
    assert.equal(y32.dtype, "float32", name);
    assertClose(y32, ts.cast(f(ts.cast(a32, "float64")), "float32"), { tol: FLOAT32_TOL, message: name });
  }
});

test("cholesky: L L^T = A, upper = L^T, and a named error for a matrix that is not positive definite", () => {
  const x = randn64([2, 4, 4], 4);
  const a = ts.add(ts.matmul(x, x, { transposeB: true }), ts.eye(4, 4, { dtype: "float64" }));
  const l = L.cholesky(a);
  assertClose(ts.matmul(l, l, { transposeB: true }), a, { tol: TIGHT });
  assertClose(ts.triu(l, 1), ts.zeros([2, 4, 4], { dtype: "float64" }), { tol: TIGHT });
  assertClose(L.cholesky(a, { upper: true }), ts.matrixTranspose(l), { tol: TIGHT });
  assert.throws(
    () =>
      L.cholesky(
        f64([
          [1, 2],
          [2, 1],
        ]),
      ),
    (e: Error) =>
      e instanceof ts.ValueError && /cholesky: matrix is not positive definite.*order 2/.test(e.message),
  );
  const batch = ts.stack([
    f64([
      [1, 0],
      [0, 1],
    ]),
    f64([
      [-1, 0],
      [0, 1],
    ]),
  ]);
  assert.throws(() => L.cholesky(batch), /cholesky: matrix 1 of the batch is not positive definite/);
});

test("qr: reduced, complete and r modes with their shapes and Q R = A", () => {
  const a = randn64([5, 3], 5);
  const reduced = L.qr(a);
  assert.deepEqual(
    [reduced.q!.shape, reduced.r.shape],
    [
      [5, 3],
      [3, 3],
    ],
  );
  assertClose(ts.matmul(reduced.q!, reduced.r), a, { tol: TIGHT });
  const complete = L.qr(a, "complete");
  assert.deepEqual(
    [complete.q!.shape, complete.r.shape],
    [
      [5, 5],
      [5, 3],
    ],
  );
  assertClose(ts.matmul(complete.q!, complete.r), a, { tol: TIGHT });
  assertClose(ts.matmul(complete.q!, complete.q!, { transposeA: true }), ts.eye(5, 5, { dtype: "float64" }), {
    tol: TIGHT,
  });
  const rOnly = L.qr(a, "r");
  assert.equal(rOnly.q, null);
  assertClose(rOnly.r, reduced.r, { tol: TIGHT });
  assert.throws(() => L.qr(a, "full" as "reduced"), /qr: mode must be "reduced", "complete" or "r"/);
});

test("svd: thin and full shapes, descending s, U S Vh = A, and the svd of a rank-1 matrix", () => {
  const a = randn64([3, 6, 4], 6);
  const thin = L.svd(a);
  assert.deepEqual(
    [thin.u.shape, thin.s.shape, thin.vh.shape],
    [
      [3, 6, 4],
      [3, 4],
      [3, 4, 4],
    ],
  );
  const rebuilt = ts.matmul(ts.mul(thin.u, ts.reshape(thin.s, [3, 1, 4])), thin.vh);
  assertClose(rebuilt, a, { tol: TIGHT });
  const s = thin.s.data;
  for (let i = 0; i < s.length; i++) if (i % 4 !== 0) assert.ok(s[i - 1]! >= s[i]!, "descending");
  const full = L.svd(ts.matrixTranspose(a), { fullMatrices: true });
  assert.deepEqual(
    [full.u.shape, full.vh.shape],
    [
      [3, 4, 4],
      [3, 6, 6],
    ],
  );
  assertClose(
    ts.matmul(full.vh, full.vh, { transposeB: true }),
    ts.broadcastTo(ts.eye(6, 6, { dtype: "float64" }), [3, 6, 6]),
    { tol: TIGHT },
  );
  // rank 1: u v^T with |u| = 5, |v| = 1 has one singular value 5 and the rest exactly 0
  const r1 = L.svdvals(
    f64([
      [3, 0],
      [4, 0],
      [0, 0],
    ]),
  );
  assertClose(r1, [5, 0], { tol: TIGHT });
  // U and Vh gradients of a full decomposition of a non-square matrix are refused at backward
  const x = randn64([4, 2], 7);
  x.requiresGrad = true;
  assert.throws(
    () => ts.backward(ts.sum(L.svd(x, { fullMatrices: true }).u)),
    /svd: the gradient through U needs fullMatrices: false/,
  );
});

test("eigh: ascending eigenvalues, V diag(w) V^T = A, lower triangle read", () => {
  const x = randn64([2, 5, 5], 8);
  const a = ts.mul(ts.add(x, ts.matrixTranspose(x)), 0.5);
  const { eigenvalues: w, eigenvectors: v } = L.eigh(a);
  assertClose(ts.matmul(ts.mul(v, ts.reshape(w, [2, 1, 5])), v, { transposeB: true }), a, { tol: TIGHT });
  for (let i = 1; i < 10; i++) if (i % 5 !== 0) assert.ok(w.data[i - 1]! <= w.data[i]!);
  // only the lower triangle is read: garbage above the diagonal changes nothing
  const lowerOnly = ts.add(a, ts.triu(randn64([2, 5, 5], 9), 1));
  assertClose(L.eigvalsh(lowerOnly), w, { tol: TIGHT });
  assertClose(
    L.eigvalsh(
      f64([
        [2, 1],
        [1, 2],
      ]),
    ),
    [1, 3],
    { tol: TIGHT },
  );
});

test("lstsq: full-rank residuals, rank-deficient minimum-norm solution, vector b, rcond", () => {
  const line = L.lstsq(
    f64([
      [1, 0],
      [1, 1],
      [1, 2],
    ]),
    ts.tensor([1, 2, 4], { dtype: "float64" }),
  );
  assertClose(line.solution, [5 / 6, 3 / 2], { tol: TIGHT });
  assertClose(line.residuals, [1 / 6], { tol: TIGHT }); // residual (1/6, -1/3, 1/6)
  assert.equal(line.rank.item(), 2);
  assert.equal(line.rank.dtype, "int32");
  // rank 1: the minimum-norm solution of [1 1] x = 2 is [1, 1]; residuals are then empty
  const deficient = L.lstsq(
    f64([
      [1, 1],
      [2, 2],
    ]),
    f64([[2], [4]]),
  );
  assertClose(deficient.solution, [[1], [1]], { tol: TIGHT });
  assert.equal(deficient.rank.item(), 1);
  assert.deepEqual(deficient.residuals.shape, [0]);
  // a large rcond drops the small singular value
  const cut = L.lstsq(
    f64([
      [1, 0],
      [0, 1e-6],
    ]),
    f64([[1], [1]]),
    { rcond: 1e-3 },
  );
  assertClose(cut.solution, [[1], [0]], { tol: TIGHT });
  assert.throws(
    () => L.lstsq(f64([[1, 0]]), f64([[1], [2]])),
    /lstsq: A \[1,2\] needs B of shape \[\.\.\., 1, K\]/,
  );
  assert.throws(() => L.pinv(f64([[1]]), { rcond: -1 }), /pinv: rcond must be a non-negative number/);
});

test("pinv and matrixRank of a rank-deficient matrix", () => {
  const a = f64([
    [1, 2],
    [2, 4],
  ]); // rank 1, A = 5 u u^T with u = [1, 2] / sqrt 5
  assertClose(
    L.pinv(a),
    [
      [0.04, 0.08],
      [0.08, 0.16],
    ],
    { tol: TIGHT },
  );
  assert.equal(L.matrixRank(a).item(), 1);
  assert.deepEqual(L.matrixRank(randn64([3, 4, 6], 10)).toArray(), [4, 4, 4]);
});

test("norm: vector and matrix orders, axes and keepDims as numpy.linalg.norm", () => {
  const m = f64([
    [1, -2],
    [3, 4],
  ]);
  assert.equal(L.norm(ts.tensor([3, 4])).item(), 5);
  assert.ok(Math.abs(L.norm(m).item() - Math.sqrt(30)) < 1e-14);
  assert.equal(L.norm(m, 1).item(), 6); // largest column sum of |m|
  assert.equal(L.norm(m, -1).item(), 4);
  assert.equal(L.norm(m, Number.POSITIVE_INFINITY).item(), 7); // largest row sum
  assert.equal(L.norm(m, Number.NEGATIVE_INFINITY).item(), 3);
  assert.equal(L.norm(ts.tensor([1, 0, -3]), 0).item(), 2);
  const batch = randn64([3, 4, 2], 11);
  const nuc = L.norm(batch, "nuc", { axis: [-2, -1], keepDims: true });
  assert.deepEqual(nuc.shape, [3, 1, 1]);
  assertClose(ts.reshape(nuc, [3]), ts.sum(L.svdvals(batch), -1), { tol: TIGHT });
  // the matrix axes may be any two axes, in either order
  assertClose(L.norm(batch, 2, { axis: [0, 2] }), ts.max(L.svdvals(ts.transpose(batch, [1, 0, 2])), -1), {
    tol: TIGHT,
  });
  assert.deepEqual(L.norm(batch, 2, { axis: 1 }).shape, [3, 2]);
  assert.throws(
    () => L.norm(batch, "fro"),
    (e: Error) => e instanceof ts.ShapeError && /norm: an order needs a 1-D or 2-D input/.test(e.message),
  );
  assert.throws(() => L.norm(m, "nuc", { axis: 0 }), /order "nuc" is a matrix order/);
  assert.throws(() => L.norm(m, 3), /norm: invalid matrix order 3/);
});

test("bad input: singular, non-square, wrong rank, dtypes and shapes", () => {
  const singular = f64([
    [1, 2],
    [2, 4],
  ]);
  for (const [op, f] of [
    ["solve", () => L.solve(singular, f64([[1], [2]]))],
    ["inv", () => L.inv(singular)],
  ] as const) {
    assert.throws(
      f,
      (e: Error) =>
        e instanceof ts.ValueError &&
        new RegExp(`^${op}: matrix is singular.*use linalg.lstsq or linalg.pinv`).test(e.message),
    );
  }
  assert.throws(
    () => L.inv(ts.stack([ts.eye(2, 2, { dtype: "float64" }), singular])),
    /inv: matrix 1 of the batch is singular/,
  );
  assert.equal(L.det(singular).item(), 0);
  assert.equal(L.slogdet(singular).logAbsDet.item(), Number.NEGATIVE_INFINITY);
  assert.throws(
    () => L.inv(randn64([2, 3], 1)),
    (e: Error) =>
      e instanceof ts.ShapeError &&
      /inv: expected square matrices \[\.\.\., N, N\] \(got shape \[2,3\]\)/.test(e.message),
  );
  assert.throws(() => L.det(ts.tensor([1, 2])), /det: expected a matrix or a batch of matrices/);
  assert.throws(
    () =>
      L.solve(
        f64([
          [Number.POSITIVE_INFINITY, 1],
          [1, 1],
        ]),
        f64([[1], [1]]),
      ),
    /solve: the matrix contains NaN or Infinity/,
  );
  assert.throws(
    () => L.svd(ts.tensor([[1, 2]], { dtype: "int32" })),
    (e: Error) => e instanceof ts.DTypeError,
  );
  const nan = f64([
    [Number.NaN, 1],
    [1, 1],
  ]);
  for (const [op, f] of [
    ["svd", () => L.svd(nan)],
    ["eigh", () => L.eigh(nan)],
    ["cholesky", () => L.cholesky(nan)],
    ["lstsq", () => L.lstsq(nan, f64([[1], [1]]))],
  ] as const)
    assert.throws(
      f,
      (e: Error) =>
        e instanceof ts.ValueError && e.message.startsWith(`${op}: the matrix contains NaN or Infinity`),
    );
  assert.throws(
    () =>
      L.solve(
        f64([
          [1, 0],
          [0, 1],
        ]),
        ts.tensor([[1], [2]]),
      ),
    /solve: dtypes differ/,
  );
  assert.throws(
    () =>
      L.solve(
        f64([
          [1, 0],
          [0, 1],
        ]),
        f64([[1], [2], [3]]),
      ),
    /solve: A \[2,2\] needs B of shape \[\.\.\., 2, K\] or \[2\]/,
  );
});
