// Second-order float64 gradchecks (reference backend) for reductions, softmax / logSoftmax and cumsum.

import * as ts from "../../src/index.js";
import { distinct64, type SecondOrderCase, secondOrderSuite, uniform64 } from "../helpers/gradcheck.js";

const x = (low: number, high: number, seed = 1) => uniform64([2, 3, 2], low, high, seed);
const withZero = () => {
  const t = uniform64([2, 3], 0.5, 1.5, 4);
  (t.data as Float64Array)[1] = 0;
  return t;
};

const cases: SecondOrderCase[] = [
  ["sum", (a) => ts.square(ts.sum(a, [0, 2])), [x(-2, 2)]],
  ["mean", (a) => ts.square(ts.mean(a, 1, { keepDims: true })), [x(-2, 2)]],
  ["prod", (a) => ts.prod(a, [1, 2]), [x(0.5, 1.5)]],
  ["prod (with a zero)", (a) => ts.prod(a, 1), [withZero()]],
  ["max", (a) => ts.square(ts.max(a, 1)), [distinct64([2, 3, 2], 5)]],
  ["min", (a) => ts.square(ts.min(a, [0, 2])), [distinct64([2, 3, 2], 6)]],
  ["variance", (a) => ts.variance(a, [1, 2]), [x(-2, 2)]],
  ["std", (a) => ts.std(a, 1, { correction: 1 }), [x(-2, 2)]],
  ["logSumExp", (a) => ts.logSumExp(a, -1), [x(-3, 3)]],
  ["norm (L2)", (a) => ts.norm(a, 1), [x(-2, 2)]],
  ["norm (L1)", (a) => ts.square(ts.norm(a, 1, { ord: 1 })), [distinct64([2, 3, 2], 7)]],
  ["norm (p = 3)", (a) => ts.norm(a, [1, 2], { ord: 3 }), [x(0.3, 2)]],
  [
    "norm (max)",
    (a) => ts.square(ts.norm(a, 1, { ord: Number.POSITIVE_INFINITY })),
    [distinct64([2, 3, 2], 8)],
  ],
  ["cumsum", (a) => ts.square(ts.cumsum(a, 1)), [x(-2, 2)]],
  ["cumsum (reverse)", (a) => ts.square(ts.cumsum(a, -1, { reverse: true })), [x(-2, 2)]],
  ["softmax", (a) => ts.softmax(a, 1), [x(-2, 2)]],
  ["logSoftmax", (a) => ts.logSoftmax(a), [x(-2, 2)]],
];

secondOrderSuite("reductions", cases);
