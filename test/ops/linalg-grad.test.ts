// Float64 gradchecks of every ts.linalg gradient rule (solve, solveTriangular, inv, det, slogdet,
// cholesky, eigh, svd, qr, diagonal) and of the ops composed from them (pinv, lstsq, norm, cond,
// trace), plus triu/tril, sort and topk.
// Symmetric-input ops are checked through sym(X) = (X + X^T) / 2, the input they are defined on;
// eigen / singular vector rules need distinct values, which random matrices have.
import { test } from "node:test";
import type { Tensor } from "../../src/index.js";
import * as ts from "../../src/index.js";
import { distinct64, gradcheck, uniform64 } from "../helpers/gradcheck.js";

const L = ts.linalg;
/** Loose tolerances for rules whose central differences go through an iterative decomposition. */
const VECTOR_TOL = { atol: 1e-5, rtol: 1e-4 };

const sym = (x: Tensor) => ts.mul(ts.add(x, ts.matrixTranspose(x)), 0.5);
const eye64 = (n: number) => ts.eye(n, n, { dtype: "float64" });
/** Well-conditioned square matrices: uniform noise plus 3 I. */
const wellConditioned = (shape: number[], seed: number) =>
  ts.add(uniform64(shape, -1, 1, seed), ts.mul(eye64(shape.at(-1)!), 3));
/** SPD from any square X: X X^T + 3 I. */
const spd = (x: Tensor) => ts.add(ts.matmul(x, x, { transposeB: true }), ts.mul(eye64(x.shape.at(-1)!), 3));

test("solve: gradient for A and B, batched, and for a broadcast vector b", () => {
  gradcheck((a, b) => L.solve(a, b), [wellConditioned([2, 3, 3], 1), uniform64([2, 3, 2], -1, 1, 2)]);
  gradcheck((a, b) => L.solve(a, b), [wellConditioned([2, 3, 3], 3), uniform64([3], -1, 1, 4)]);
  gradcheck((a, b) => L.solve(a, b), [wellConditioned([3, 3], 5), uniform64([2, 3, 1], -1, 1, 6)]);
});

test("inv, det and slogdet gradients (batched)", () => {
  gradcheck((a) => L.inv(a), [wellConditioned([2, 3, 3], 7)]);
  gradcheck((a) => L.det(a), [uniform64([2, 3, 3], -1, 1, 8)]);
  gradcheck((a) => L.slogdet(a).logAbsDet, [uniform64([2, 4, 4], -1, 1, 9)]);
});

test("cholesky gradient (lower and upper) through an SPD input", () => {
  gradcheck((x) => L.cholesky(spd(x)), [uniform64([2, 3, 3], -1, 1, 10)]);
  gradcheck((x) => L.cholesky(spd(x), { upper: true }), [uniform64([4, 4], -1, 1, 11)]);
});

test("eigh gradients: eigenvalues and eigenvectors of a symmetric input", () => {
  gradcheck((x) => L.eigh(sym(x)).eigenvalues, [uniform64([2, 4, 4], -1, 1, 12)]);
  gradcheck((x) => L.eigh(sym(x)).eigenvectors, [uniform64([4, 4], -1, 1, 13)], VECTOR_TOL);
  gradcheck((x) => L.eigvalsh(sym(x)), [uniform64([3, 3], -1, 1, 14)]);
});

test("svd gradients: S, U and Vh for tall, wide and square inputs", () => {
  gradcheck((x) => L.svd(x).s, [uniform64([2, 4, 3], -1, 1, 15)]);
  for (const [shape, seed] of [
    [[4, 3], 16],
    [[3, 5], 17],
    [[3, 3], 18],
  ] as const) {
    gradcheck((x) => L.svd(x).u, [uniform64([...shape], -1, 1, seed)], VECTOR_TOL);
    gradcheck((x) => L.svd(x).vh, [uniform64([...shape], -1, 1, seed + 10)], VECTOR_TOL);
  }
  // S of a full decomposition still has a gradient
  gradcheck((x) => L.svd(x, { fullMatrices: true }).s, [uniform64([4, 2], -1, 1, 19)]);
});

test("qr gradients: Q and R of a tall and a square input", () => {
  gradcheck((x) => L.qr(x).q!, [uniform64([4, 3], -1, 1, 20)], VECTOR_TOL);
  gradcheck((x) => L.qr(x).r, [uniform64([2, 4, 3], -1, 1, 21)], VECTOR_TOL);
  gradcheck((x) => L.qr(x, "r").r, [uniform64([3, 3], -1, 1, 22)], VECTOR_TOL);
});

test("composed ops: pinv, lstsq, matrix and vector norms", () => {
  gradcheck((x) => L.pinv(x), [uniform64([4, 3], -1, 1, 23)], VECTOR_TOL);
  gradcheck(
    (a, b) => L.lstsq(a, b).solution,
    [uniform64([5, 3], -1, 1, 24), uniform64([5, 2], -1, 1, 25)],
    VECTOR_TOL,
  );
  for (const ord of ["fro", "nuc", 2, -2, 1, Number.POSITIVE_INFINITY] as const)
    gradcheck((x) => L.norm(x, ord), [uniform64([4, 3], -1, 1, 26)]);
  gradcheck((x) => L.norm(x, 3, { axis: -1 }), [uniform64([2, 5], 0.2, 1, 27)]);
});

test("solveTriangular (A's triangle only), diagonal, diagEmbed, trace and cond gradients", () => {
  const lowerWellConditioned = (seed: number) =>
    ts.add(ts.tril(uniform64([2, 3, 3], -1, 1, seed)), ts.mul(eye64(3), 3));
  gradcheck(
    (a, b) => L.solveTriangular(a, b, { upper: false }),
    [lowerWellConditioned(32), uniform64([2, 3, 2], -1, 1, 33)],
  );
  gradcheck(
    (a, b) => L.solveTriangular(ts.matrixTranspose(a), b, { upper: true }),
    [lowerWellConditioned(34), uniform64([2, 3, 1], -1, 1, 35)],
  );
  gradcheck((x) => L.diagonal(x, 1), [uniform64([2, 3, 4], -1, 1, 36)]);
  gradcheck((x) => L.diagEmbed(x, -1), [uniform64([2, 3], -1, 1, 37)]);
  gradcheck((x) => L.trace(x), [uniform64([3, 3], -1, 1, 38)]);
  gradcheck((x) => L.cond(x), [uniform64([3, 3], -1, 1, 39)], VECTOR_TOL);
});

test("triu, tril, sort and topk pass gradients to the entries they keep", () => {
  gradcheck((x) => ts.triu(x, 1), [uniform64([2, 3, 4], -1, 1, 28)]);
  gradcheck((x) => ts.tril(x, -1), [uniform64([3, 4], -1, 1, 29)]);
  gradcheck((x) => ts.sort(x, { axis: 1, descending: true }), [distinct64([2, 4, 3], 30)]);
  gradcheck((x) => ts.topk(x, 2, { axis: 0, largest: false }).values, [distinct64([4, 3], 31)]);
});
