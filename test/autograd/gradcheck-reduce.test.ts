// Float64 finite-difference gradchecks (reference backend) for every reduction: axes, negative
// axes, keepDims, zero-size dimensions, ties for max/min and zeros for prod. Also softmax,
// logSoftmax and cumsum.
import { before, describe, test } from "node:test";
import * as ts from "../../src/index.js";
import { setBackend, type Tensor } from "../../src/index.js";
import { distinct64, gradcheck, uniform64 } from "../helpers/gradcheck.js";

before(() => setBackend("reference"));

type Reduction = (x: Tensor, axes?: number | number[], options?: { keepDims?: boolean }) => Tensor;

// axis variants on a [2, 3, 4] input: all, one, negative, adjacent pair, scattered pair, empty list
const axisCases: (number | number[] | undefined)[] = [undefined, 0, -1, [1, 2], [0, 2], [-3, -1], []];

const reductions: [string, Reduction, number, number][] = [
  ["sum", ts.sum, -2, 2],
  ["mean", ts.mean, -2, 2],
  ["prod", ts.prod, 0.5, 1.5],
  ["variance", ts.variance, -2, 2],
  ["std", ts.std, -2, 2],
  ["logSumExp", ts.logSumExp, -3, 3],
  ["norm", ts.norm, 0.2, 2],
];

describe("gradcheck: reductions over axes, with and without keepDims", () => {
  reductions.forEach(([name, f, low, high], i) => {
    axisCases.forEach((axes, j) => {
      for (const keepDims of [false, true]) {
        test(`${name} axes=${JSON.stringify(axes)} keepDims=${keepDims}`, () => {
          gradcheck((x) => f(x, axes, { keepDims }), [uniform64([2, 3, 4], low, high, 100 * i + j)]);
        });
      }
    });
  });

  for (const [name, f] of [
    ["max", ts.max],
    ["min", ts.min],
  ] as const) {
    axisCases.forEach((axes, j) => {
      for (const keepDims of [false, true]) {
        test(`${name} axes=${JSON.stringify(axes)} keepDims=${keepDims} (distinct values)`, () => {
          gradcheck((x) => f(x, axes, { keepDims }), [distinct64([2, 3, 4], 7 + j)]);
        });
      }
    });
  }

  test("reductions of a 0-d tensor", () => {
    for (const [, f] of reductions) gradcheck((x) => f(x), [uniform64([], 0.5, 1.5, 1)]);
    gradcheck((x) => ts.max(x), [uniform64([], 0.5, 1.5, 2)]);
  });

  test("reductions over a zero-size dimension", () => {
    const x = uniform64([0, 3], 0, 1, 3);
    gradcheck((t) => ts.sum(t, 0), [x]);
    gradcheck((t) => ts.mean(t, 1), [x]);
    gradcheck((t) => ts.prod(t, 0, { keepDims: true }), [x]);
    gradcheck((t) => ts.logSumExp(t, 1), [x]);
    gradcheck((t) => ts.max(t, 1), [x]);
    gradcheck((t) => ts.sum(t), [x]);
  });

  test("std and norm at zero spread / the zero vector have gradient 0, not NaN", () => {
    // std of one element is identically 0; at a constant row or the zero vector 0 is the
    // subgradient (PyTorch's choice), and central differences of |x|-like cones give 0 too
    gradcheck(
      (x) => ts.std(x, 1),
      [
        ts.tensor(
          [
            [2, 2, 2],
            [1, 2, 4],
          ],
          { dtype: "float64" },
        ),
      ],
    );
    gradcheck(
      (x) => ts.norm(x, -1),
      [
        ts.tensor(
          [
            [0, 0],
            [3, 4],
          ],
          { dtype: "float64" },
        ),
      ],
    );
    gradcheck((x) => ts.std(x, [], { keepDims: true }), [uniform64([2], -1, 1, 9)]);
  });

  test("variance and std with correction 1", () => {
    gradcheck((x) => ts.variance(x, 1, { correction: 1 }), [uniform64([3, 4], -2, 2, 4)]);
    gradcheck((x) => ts.std(x, [0], { correction: 1, keepDims: true }), [uniform64([3, 4], -2, 2, 5)]);
  });

  test("norm with ord 1, Infinity and 3", () => {
    gradcheck((x) => ts.norm(x, -1, { ord: 1 }), [distinct64([2, 5], 6)]);
    gradcheck((x) => ts.norm(x, undefined, { ord: Number.POSITIVE_INFINITY }), [distinct64([2, 5], 7)]);
    gradcheck((x) => ts.norm(x, 0, { ord: 3, keepDims: true }), [uniform64([2, 5], 0.3, 2, 8)]);
  });

  test("prod with one zero (exact gradient) and with two zeros (all zero)", () => {
    const oneZero = ts.tensor(
      [
        [0.5, 0, 2, 1.5],
        [1, 2, 3, 4],
      ],
      { dtype: "float64" },
    );
    gradcheck((x) => ts.prod(x, 1), [oneZero]);
    gradcheck((x) => ts.prod(x), [oneZero]);
    const twoZeros = ts.tensor(
      [
        [0.5, 0, 2, 0],
        [1, 0, 3, 4],
      ],
      { dtype: "float64" },
    );
    gradcheck((x) => ts.prod(x, -1, { keepDims: true }), [twoZeros]);
    gradcheck((x) => ts.prod(x, 0), [twoZeros]);
  });

  test("max/min with a tie of two share the gradient evenly", () => {
    // central differences at a tie of two give 1/2 to each, which is the documented rule
    const x = ts.tensor(
      [
        [3, 1, 3],
        [0.5, -2, -2],
      ],
      { dtype: "float64" },
    );
    gradcheck((t) => ts.max(t, 1), [x]);
    gradcheck((t) => ts.min(t, -1, { keepDims: true }), [x]);
  });

  test("logSumExp with very large inputs stays finite", () => {
    gradcheck(
      (x) => ts.logSumExp(x, 1),
      [
        ts.tensor(
          [
            [1000, 1001, 999],
            [-1000, -1002, -1001],
          ],
          { dtype: "float64" },
        ),
      ],
    );
  });
});

describe("gradcheck: softmax, logSoftmax and cumsum", () => {
  for (const axis of [0, 1, -1]) {
    test(`softmax and logSoftmax along axis ${axis}`, () => {
      gradcheck((x) => ts.softmax(x, axis), [uniform64([3, 4], -2, 2, 10 + axis)]);
      gradcheck((x) => ts.logSoftmax(x, axis), [uniform64([3, 4], -2, 2, 20 + axis)]);
    });
  }

  test("softmax of a 3-D tensor along the middle axis, and with large values", () => {
    gradcheck((x) => ts.softmax(x, 1), [uniform64([2, 3, 2], -2, 2, 30)]);
    gradcheck((x) => ts.logSoftmax(x), [ts.tensor([[500, 501, 499]], { dtype: "float64" })]);
  });

  for (const axis of [0, 1, -1]) {
    for (const reverse of [false, true]) {
      test(`cumsum axis ${axis} reverse=${reverse}`, () => {
        gradcheck((x) => ts.cumsum(x, axis, { reverse }), [uniform64([3, 4], -2, 2, 40 + axis)]);
      });
    }
  }

  test("cumsum over a zero-size axis", () => {
    gradcheck((x) => ts.cumsum(x, 1), [uniform64([2, 0], -1, 1, 50)]);
  });
});
