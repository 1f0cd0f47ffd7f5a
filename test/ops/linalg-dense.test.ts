// The float64 array-level API in src/ops/linalg/dense.ts (what ts.linalg and the ml/ estimators
// call): identities that must hold on matrices larger than the NumPy fixtures (the tall-QR SVD path,
// the tridiagonal-QL eigh path past JACOBI_MAX_SIZE), repeated and zero singular / eigenvalues, and
// the errors. Random matrices come from the seeded Generator.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Generator, ValueError } from "../../src/index.js";
import * as D from "../../src/ops/linalg/dense.js";
import { JACOBI_MAX_SIZE } from "../../src/ops/linalg/dense-eigh.js";

function random(rows: number, cols: number, seed: number): D.DenseMatrix {
  const g = new Generator(seed);
  return D.dense(
    rows,
    cols,
    Float64Array.from({ length: rows * cols }, () => g.normal()),
  );
}

function maxDiff(a: D.DenseMatrix, b: D.DenseMatrix): number {
  assert.deepEqual([a.rows, a.cols], [b.rows, b.cols]);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

/** max |Q^T Q - I| over Q's columns. */
const orthogonality = (q: D.DenseMatrix) =>
  maxDiff(D.matmulDense(D.transposeDense(q), q), D.identity(q.cols));

function diagonal(values: Float64Array, rows = values.length, cols = values.length): D.DenseMatrix {
  const out = D.dense(rows, cols);
  values.forEach((v, i) => {
    out.data[i * cols + i] = v;
  });
  return out;
}

test("svd: tall (QR first), wide and rank-deficient matrices rebuild, with orthonormal full factors", () => {
  for (const [m, n, rank, seed] of [
    [120, 15, 15, 1],
    [9, 40, 9, 2],
    [50, 30, 4, 3],
  ] as const) {
    const a =
      rank === Math.min(m, n)
        ? random(m, n, seed)
        : D.matmulDense(random(m, rank, seed), random(rank, n, seed + 10));
    const thin = D.svd(a);
    const k = Math.min(m, n);
    assert.deepEqual([thin.u.rows, thin.u.cols, thin.s.length, thin.vt.rows, thin.vt.cols], [m, k, k, k, n]);
    const rebuilt = D.matmulDense(D.matmulDense(thin.u, diagonal(thin.s)), thin.vt);
    assert.ok(maxDiff(rebuilt, a) < 1e-12 * Math.max(1, thin.s[0]!), `${m}x${n}: U S Vt = A`);
    for (let i = 1; i < k; i++) assert.ok(thin.s[i - 1]! >= thin.s[i]!, "descending");
    // rank r: exactly r singular values above rounding level
    assert.equal(Array.from(thin.s).filter((v) => v > 1e-10 * thin.s[0]!).length, rank);
    const full = D.svd(a, { fullMatrices: true });
    assert.ok(orthogonality(full.u) < 1e-13 * m, `${m}x${n}: full U orthonormal`);
    assert.ok(orthogonality(D.transposeDense(full.vt)) < 1e-13 * n, `${m}x${n}: full V orthonormal`);
    assert.deepEqual(D.singularValues(a), thin.s);
    // without U: the same s and Vt (a tall A then skips forming Q)
    const noU = D.svd(a, { computeU: false });
    assert.deepEqual([noU.u.rows, noU.u.cols], [m, 0]);
    assert.deepEqual(noU.s, thin.s);
    assert.ok(maxDiff(noU.vt, thin.vt) < 1e-12, `${m}x${n}: Vt with and without U`);
    // sign convention: each row of Vt has its largest-magnitude entry positive
    for (let i = 0; i < k; i++) {
      const row = Array.from(thin.vt.data.subarray(i * n, i * n + n));
      const big = row.reduce((b, v) => (Math.abs(v) > Math.abs(b) ? v : b), 0);
      assert.ok(big > 0, `${m}x${n}: row ${i} of Vt`);
    }
  }
});

test("eigh: both the Jacobi and the tridiagonal QL path diagonalise, and agree with the SVD", () => {
  for (const n of [JACOBI_MAX_SIZE - 5, JACOBI_MAX_SIZE + 28]) {
    const x = random(n, n, n);
    const a = D.dense(n, n, D.matmulDense(x, D.transposeDense(x)).data);
    for (let i = 0; i < n; i++) a.data[i * n + i]! -= n; // indefinite
    const { values, vectors } = D.eigh(a);
    const rebuilt = D.matmulDense(D.matmulDense(vectors, diagonal(values)), D.transposeDense(vectors));
    assert.ok(maxDiff(rebuilt, a) < 1e-12 * n * n, `n=${n}: V diag(w) V^T = A`);
    assert.ok(orthogonality(vectors) < 1e-13 * n, `n=${n}: V orthonormal`);
    for (let i = 1; i < n; i++) assert.ok(values[i - 1]! <= values[i]!, "ascending");
    // |eigenvalues| of a symmetric matrix are its singular values
    const abs = Float64Array.from(values, Math.abs).sort((p, q) => q - p);
    const s = D.singularValues(a);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(abs[i]! - s[i]!) < 1e-11 * s[0]!, `n=${n}: |w| = s`);
  }
});

test("eigh: repeated eigenvalues (identity, a diagonal with ties, a rank-2 PSD) on both paths", () => {
  for (const n of [6, 40]) {
    const eye = D.eigh(D.identity(n));
    assert.ok(eye.values.every((v) => v === 1));
    assert.equal(orthogonality(eye.vectors), 0);
    const ties = D.dense(n, n);
    for (let i = 0; i < n; i++) ties.data[i * n + i] = i % 3;
    assert.deepEqual(Array.from(D.eigh(ties).values), Array.from({ length: n }, (_, i) => i % 3).sort());
    const y = random(n, 2, 7 + n);
    const psd = D.matmulDense(y, D.transposeDense(y));
    const r = D.eigh(psd);
    assert.ok(orthogonality(r.vectors) < 1e-13 * n);
    assert.equal(Array.from(r.values).filter((v) => Math.abs(v) > 1e-10 * r.values[n - 1]!).length, 2);
  }
});

test("qr, pivoted qr, cholesky and triangular solves", () => {
  const a = random(30, 12, 11);
  const { q, r } = D.qr(a, "complete");
  assert.ok(maxDiff(D.matmulDense(q, r), a) < 1e-13 * 30);
  assert.ok(orthogonality(q) < 1e-13 * 30);
  for (let i = 0; i < r.rows; i++)
    for (let j = 0; j < Math.min(i, r.cols); j++) assert.equal(r.data[i * r.cols + j], 0);
  const spd = D.matmulDense(D.transposeDense(a), a); // 12 x 12, positive definite
  const l = D.cholesky(spd);
  assert.ok(maxDiff(D.matmulDense(l, D.transposeDense(l)), spd) < 1e-12 * 30);
  const b = random(12, 3, 12);
  // L L^T x = b by two triangular solves equals solve()
  const x = D.triangularSolve(l, D.triangularSolve(l, b, true), true, true);
  assert.ok(maxDiff(x, D.solve(spd, b)) < 1e-10);
  assert.throws(() => D.cholesky(D.dense(2, 2, Float64Array.of(1, 3, 3, 1))), ValueError);
  // column pivoting: A P = Q R with |R_jj| non-increasing, and a rank-2 A shows a zero trailing block
  const deficient = D.matmulDense(random(9, 2, 21), random(2, 5, 22));
  const piv = D.qrPivoted(deficient);
  const ap = D.dense(
    9,
    5,
    Float64Array.from({ length: 45 }, (_, i) => deficient.data[Math.floor(i / 5) * 5 + piv.perm[i % 5]!]!),
  );
  assert.ok(maxDiff(D.matmulDense(piv.q!, piv.r), ap) < 1e-13 * 9);
  const diag = Array.from({ length: 5 }, (_, j) => Math.abs(piv.r.data[j * 5 + j]!));
  for (let j = 1; j < 5; j++) assert.ok(diag[j]! <= diag[j - 1]! * (1 + 1e-12));
  assert.ok(diag[2]! < 1e-12 * diag[0]!, "rank 2 revealed");
  assert.deepEqual([...piv.perm].sort(), [0, 1, 2, 3, 4]);
});

test("blocked QR (k >= 64): tall, wide and square, reduced and complete, R against chol(A^T A)", () => {
  for (const [m, n, seed] of [
    [150, 100, 23],
    [70, 90, 24],
    [64, 64, 25],
  ] as const) {
    const a = random(m, n, seed);
    for (const mode of ["reduced", "complete"] as const) {
      const { q, r } = D.qr(a, mode);
      assert.ok(maxDiff(D.matmulDense(q, r), a) < 1e-13 * m, `${m}x${n} ${mode}: Q R = A`);
      assert.ok(orthogonality(q) < 1e-13 * m, `${m}x${n} ${mode}: Q orthonormal`);
      for (let i = 0; i < r.rows; i++)
        for (let j = 0; j < Math.min(i, r.cols); j++)
          assert.equal(r.data[i * r.cols + j], 0, "R upper triangular");
    }
    if (m >= n) {
      // R^T R = A^T A, so up to the sign of each row R is the transposed Cholesky factor
      const { r } = D.qr(a);
      const l = D.cholesky(D.matmulDense(a, a, { transA: true }));
      let worst = 0;
      for (let i = 0; i < n; i++) {
        const sign = Math.sign(r.data[i * n + i]!);
        for (let j = i; j < n; j++)
          worst = Math.max(worst, Math.abs(sign * r.data[i * n + j]! - l.data[j * n + i]!));
      }
      assert.ok(worst < 1e-9, `${m}x${n}: R matches chol(A^T A)^T (${worst})`);
    }
  }
});

test("solve, inv, det and the LU factors; singular input raises a ValueError", () => {
  const a = random(25, 25, 13);
  const inverse = D.inv(a);
  assert.ok(maxDiff(D.matmulDense(a, inverse), D.identity(25)) < 1e-11);
  const f = D.luFactor(a);
  assert.equal(f.singular, false);
  const { sign, logAbsDet } = D.slogdet(a);
  assert.ok(Math.abs(sign * Math.exp(logAbsDet) - D.det(a)) < 1e-9 * Math.abs(D.det(a)));
  const singular = D.matmulDense(random(5, 3, 14), random(3, 5, 15));
  assert.equal(D.luFactor(singular).singular, true);
  assert.throws(() => D.solve(singular, D.identity(5)), /solve: matrix is singular.*lstsq/);
  assert.throws(() => D.inv(random(2, 3, 1)), /inv: expected a square matrix \(got 2 x 3\)/);
});

test("blocked LU (n >= 96): inverse, log|det| against the singular values, and the singular test", () => {
  const n = 130;
  const a = random(n, n, 26);
  assert.ok(maxDiff(D.matmulDense(a, D.inv(a)), D.identity(n)) < 1e-11);
  // |det A| is the product of the singular values: an independent check of the pivots
  const s = D.singularValues(a);
  const logAbs = Array.from(s).reduce((acc, v) => acc + Math.log(v), 0);
  assert.ok(Math.abs(D.slogdet(a).logAbsDet - logAbs) < 1e-9 * Math.abs(logAbs));
  // rank n - 1: rounding leaves a pivot of ~1e3 eps max|A|, which the SVD rank test catches
  const deficient = D.matmulDense(random(n, n - 1, 27), random(n - 1, n, 28));
  assert.equal(D.luFactor(deficient).singular, true);
  assert.throws(() => D.inv(deficient), /inv: matrix is singular/);
  // cond 1e11 is ill-conditioned, not singular: it still solves (as LAPACK would)
  const q1 = D.qr(random(n, n, 29)).q;
  const q2 = D.qr(random(n, n, 30)).q;
  const graded = D.dense(n, n);
  for (let i = 0; i < n; i++) graded.data[i * n + i] = 10 ** (-11 * (i / (n - 1)));
  const illConditioned = D.matmulDense(D.matmulDense(q1, graded), q2, { transB: true });
  assert.equal(D.luFactor(illConditioned).singular, false);
  const x = D.solve(illConditioned, D.identity(n));
  assert.ok(maxDiff(D.matmulDense(illConditioned, x), D.identity(n)) < 1e-3);
});

test("lstsq and pinv: full-rank residuals equal |A x - b|^2, rank-deficient solutions have minimum norm", () => {
  const a = random(40, 6, 16);
  const b = random(40, 2, 17);
  const full = D.lstsq(a, b);
  assert.equal(full.rank, 6);
  const residual = D.matmulDense(a, full.solution);
  for (let j = 0; j < 2; j++) {
    let ss = 0;
    for (let i = 0; i < 40; i++) ss += (residual.data[i * 2 + j]! - b.data[i * 2 + j]!) ** 2;
    assert.ok(Math.abs(ss - full.residuals[j]!) < 1e-10 * ss);
  }
  // the normal equations hold at the solution (checked, never used to compute it)
  const normal = D.matmulDense(
    D.transposeDense(a),
    D.dense(
      40,
      2,
      residual.data.map((v, i) => v - b.data[i]!),
    ),
  );
  assert.ok(normal.data.every((v) => Math.abs(v) < 1e-11));
  const deficient = D.matmulDense(random(20, 3, 18), random(3, 8, 19));
  const sol = D.lstsq(deficient, random(20, 1, 20));
  assert.equal(sol.rank, 3);
  assert.equal(sol.residuals.length, 0);
  // minimum norm: the solution lies in the row space, i.e. equals pinv(A) b
  const viaPinv = D.matmulDense(D.pinv(deficient), random(20, 1, 20));
  assert.ok(maxDiff(sol.solution, viaPinv) < 1e-10);
  assert.throws(() => D.lstsq(a, random(39, 1, 1)), /lstsq: A is 40 x 6 but B has 39 rows/);
});
