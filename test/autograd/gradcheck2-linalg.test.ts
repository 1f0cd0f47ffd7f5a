// Second-order float64 gradchecks (reference backend) for the ts.linalg decompositions and solvers,
// whose gradient rules are written in recorded ops (inverse, solve, the factors themselves).
import { after, before, describe, test } from "node:test";
import * as ts from "../../src/index.js";
import { setBackend, type Tensor } from "../../src/index.js";
import {
  gradcheck2,
  printSecondOrderTable,
  type SecondOrderResult,
  uniform64,
} from "../helpers/gradcheck.js";

before(() => setBackend("reference"));
const rows: [string, SecondOrderResult][] = [];
after(() => printSecondOrderTable("linalg", rows));

type Case = [string, (...xs: Tensor[]) => Tensor, Tensor[]];
/** A well-conditioned 3x3 matrix: I * 3 plus a small random part. */
const wellConditioned = (seed: number) =>
  ts.add(uniform64([3, 3], -0.5, 0.5, seed), ts.mul(ts.eye(3, 3, { dtype: "float64" }), 3));
const spd = (a: Tensor) =>
  ts.add(ts.matmul(a, a, { transposeB: true }), ts.mul(ts.eye(3, 3, { dtype: "float64" }), 0.5));
const weights = (shape: number[], seed: number) => uniform64(shape, 0.5, 1.5, seed);
const sym = (a: Tensor) => ts.mul(ts.add(a, ts.matrixTranspose(a)), 0.5);

const cases: Case[] = [
  ["linalg.solve", (a, b) => ts.linalg.solve(a, b), [wellConditioned(1), uniform64([3, 2], -1, 1, 2)]],
  ["linalg.inv", (a) => ts.linalg.inv(a), [wellConditioned(3)]],
  ["linalg.det", (a) => ts.linalg.det(a), [wellConditioned(4)]],
  ["linalg.slogdet", (a) => ts.linalg.slogdet(a).logAbsDet, [wellConditioned(5)]],
  ["linalg.cholesky", (a) => ts.linalg.cholesky(spd(a)), [wellConditioned(6)]],
  [
    "linalg.eigh (values and vectors)",
    (a) => {
      const { eigenvalues, eigenvectors } = ts.linalg.eigh(sym(a));
      return ts.add(ts.square(eigenvalues), ts.sum(ts.mul(ts.square(eigenvectors), weights([3, 3], 11))));
    },
    [uniform64([3, 3], -2, 2, 7)],
  ],
  [
    "linalg.svd (thin, square)",
    (a) => {
      const { u, s, vh } = ts.linalg.svd(a);
      return ts.add(ts.square(s), ts.sum(ts.mul(ts.add(ts.square(u), ts.square(vh)), weights([3, 3], 12))));
    },
    [uniform64([3, 3], -2, 2, 8)],
  ],
  [
    "linalg.svd (thin, 4x3 and 3x4)",
    (a) => {
      const tall = ts.linalg.svd(a);
      const wide = ts.linalg.svd(ts.matrixTranspose(a));
      const factors = ts.add(
        ts.sum(ts.mul(ts.square(tall.u), weights([4, 3], 13))),
        ts.sum(ts.mul(ts.square(wide.vh), weights([3, 4], 14))),
      );
      return ts.add(ts.sum(ts.square(tall.s)), factors);
    },
    [uniform64([4, 3], -2, 2, 9)],
  ],
];

describe("second-order gradcheck: linalg", () => {
  for (const [name, f, inputs] of cases) {
    test(name, () => {
      rows.push([name, gradcheck2(f, inputs)]);
    });
  }
});
