// Second-order float64 gradchecks (reference backend) for the fused recurrent sequence ops, whose
// backpropagation-through-time kernels a createGraph pass replaces by the unrolled composed form:
// every input (xProj, recurrent kernel, initial states, GRU recurrent bias), with step masks,
// goBackwards, a recurrent (dropout) mask and each cell activation.

import type { RecurrentOptions } from "../../src/index.js";
import * as ts from "../../src/index.js";
import { type SecondOrderCase, secondOrderSuite, uniform64 } from "../helpers/gradcheck.js";

const T = 3;
const B = 2;
const H = 2;
const u = (shape: number[], seed: number) => uniform64(shape, -0.8, 0.8, seed);
const mask = ts.tensor([
  [true, false, true],
  [true, true, false],
]);
const recurrentMask = uniform64([B, H], 0.5, 1.5, 9);

const variants: [string, RecurrentOptions][] = [
  ["", {}],
  [" (mask, goBackwards)", { mask, goBackwards: true }],
  [
    " (recurrent mask, relu / hard_sigmoid)",
    { recurrentMask, activation: "relu", recurrentActivation: "hard_sigmoid" },
  ],
];

const cases: SecondOrderCase[] = variants.flatMap(([suffix, options]): SecondOrderCase[] => [
  [
    `simpleRnnSequence${suffix}`,
    (x, k, h0) => ts.simpleRnnSequence(x, k, h0, options),
    [u([T, B, H], 1), u([H, H], 2), u([B, H], 3)],
  ],
  [
    `lstmSequence${suffix}`,
    (x, k, h0, c0) => ts.lstmSequence(x, k, h0, c0, options),
    [u([T, B, 4 * H], 1), u([H, 4 * H], 2), u([B, H], 3), u([B, H], 4)],
  ],
  [
    `gruSequence${suffix}`,
    (x, k, h0, b) => ts.gruSequence(x, k, b, h0, options),
    [u([T, B, 3 * H], 1), u([H, 3 * H], 2), u([B, H], 3), u([3 * H], 4)],
  ],
]);

secondOrderSuite("recurrent sequences", cases);
