// Second-order float64 gradchecks of the ts.linalg gradient rules: each rule is written with
// differentiable ops, so backward with createGraph gives a gradient that is itself differentiable
// (Hessian-vector products, gradient penalties). Inputs as in linalg-grad.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Tensor } from "../../src/index.js";
import * as ts from "../../src/index.js";
import { gradcheck2, uniform64 } from "../helpers/gradcheck.js";

const L = ts.linalg;
const eye64 = (n: number) => ts.eye(n, n, { dtype: "float64" });
const wellConditioned = (shape: number[], seed: number) =>
  ts.add(uniform64(shape, -1, 1, seed), ts.mul(eye64(shape.at(-1)!), 3));
const sym = (x: Tensor) => ts.mul(ts.add(x, ts.matrixTranspose(x)), 0.5);
const spd = (x: Tensor) => ts.add(ts.matmul(x, x, { transposeB: true }), ts.mul(eye64(x.shape.at(-1)!), 3));

const cases: [string, (...xs: Tensor[]) => Tensor, Tensor[]][] = [
  ["solve", (a, b) => L.solve(a, b), [wellConditioned([3, 3], 1), uniform64([3, 2], -1, 1, 2)]],
  ["inv", (a) => L.inv(a), [wellConditioned([3, 3], 3)]],
  ["det", (a) => L.det(a), [uniform64([3, 3], -1, 1, 4)]],
  ["slogdet", (a) => L.slogdet(a).logAbsDet, [uniform64([3, 3], -1, 1, 5)]],
  ["cholesky", (x) => L.cholesky(spd(x)), [uniform64([3, 3], -1, 1, 6)]],
  ["eigh eigenvalues", (x) => L.eigh(sym(x)).eigenvalues, [uniform64([3, 3], -1, 1, 7)]],
  ["eigh eigenvectors", (x) => L.eigh(sym(x)).eigenvectors, [uniform64([3, 3], -1, 1, 8)]],
  ["svd s", (x) => L.svd(x).s, [uniform64([4, 3], -1, 1, 9)]],
  ["svd u", (x) => L.svd(x).u, [uniform64([4, 3], -1, 1, 10)]],
  ["svd vh", (x) => L.svd(x).vh, [uniform64([3, 4], -1, 1, 11)]],
  ["qr q", (x) => L.qr(x).q!, [uniform64([4, 3], -1, 1, 12)]],
  ["qr r", (x) => L.qr(x).r, [uniform64([4, 3], -1, 1, 13)]],
  [
    "solveTriangular",
    (a, b) => L.solveTriangular(a, b, { upper: false }),
    [ts.add(ts.tril(uniform64([3, 3], -1, 1, 14)), ts.mul(eye64(3), 3)), uniform64([3, 2], -1, 1, 15)],
  ],
];

for (const [name, f, inputs] of cases) {
  test(`second-order gradcheck: linalg ${name}`, () => {
    const { scale } = gradcheck2(f, inputs);
    assert.ok(scale > 0, `${name}: second derivative is all zero, so the check compares nothing`);
  });
}
