// Second-order float64 gradchecks (reference backend) for shape and indexing ops. Each is linear, so
// the op is squared (or multiplied by its input) first: the check then goes through the op's
// gradient rule as a recorded op (slice's is a pad-like scatter whose own gradient is slice again,
// gather's is scatterAdd and back), which a raw-kernel rule would get wrong.

import type { Tensor } from "../../src/index.js";
import * as ts from "../../src/index.js";
import { type SecondOrderCase, secondOrderSuite, uniform64 } from "../helpers/gradcheck.js";

const x = (seed = 1) => uniform64([3, 4], -2, 2, seed);
const idx = (values: number[]) => ts.tensor(values, { dtype: "int32" });
const cube = (t: Tensor) => ts.mul(ts.square(t), t);

const cases: SecondOrderCase[] = [
  ["reshape", (a) => cube(ts.reshape(a, [2, 6])), [x()]],
  ["transpose", (a) => cube(ts.transpose(a)), [x()]],
  ["transpose (of a product)", (a) => ts.matmul(ts.transpose(a), a), [x()]],
  ["broadcastTo", (a) => cube(ts.broadcastTo(a, [2, 3, 4])), [x()]],
  ["expandDims / squeeze", (a) => cube(ts.squeeze(ts.expandDims(a, 1))), [x()]],
  [
    "slice (steps, negative, index)",
    (a) =>
      cube(
        ts.slice(a, [
          [null, null, -2],
          [1, null, 2],
        ]),
      ),
    [x()],
  ],
  ["slice (index drops an axis)", (a) => cube(ts.slice(a, [1])), [x()]],
  [
    "pad",
    (a) =>
      cube(
        ts.pad(
          a,
          [
            [1, 0],
            [2, 1],
          ],
          0.5,
        ),
      ),
    [x()],
  ],
  ["gather (repeated indices)", (a) => cube(ts.gather(a, idx([2, 0, 2, -1]), 1)), [x()]],
  ["scatterAdd", (a, u) => cube(ts.scatterAdd(a, idx([1, 1, 0]), u, 0)), [x(), uniform64([3, 4], -1, 1, 2)]],
  ["concat", (a, b) => cube(ts.concat([a, b, a], 1)), [x(), uniform64([3, 2], -2, 2, 3)]],
  ["stack", (a, b) => cube(ts.stack([a, b], 1)), [x(), x(4)]],
  ["split", (a) => ts.mul(cube(ts.split(a, [1, 3], 1)[1]!), 2), [x()]],
  ["flip", (a) => ts.mul(ts.flip(a, 1), a), [x()]],
  ["tile", (a) => cube(ts.tile(a, [2, 1])), [x()]],
  ["repeat", (a) => cube(ts.repeat(a, 2, 0)), [x()]],
  ["clone", (a) => cube(ts.clone(a)), [x()]],
  ["sort (descending)", (a) => cube(ts.sort(a, { axis: 0, descending: true })), [x()]],
  ["topk", (a) => cube(ts.topk(a, 2).values), [x()]],
];

secondOrderSuite("movement and indexing", cases);
