// Every loss is checked against central differences on float64 (yPred is the checked input),
// with values kept away from kinks (clip edges, |e| = delta, hinge margins of exactly 1).
import { describe, it } from "node:test";
import { gradcheck } from "../../../test/helpers/gradcheck.js";
import { type Tensor, tensor } from "../../index.js";
import { computeLoss, type Loss, losses } from "./index.js";

const f64 = (v: number[][]): Tensor => tensor(v, { dtype: "float64" });

const probabilities = f64([
  [0.2, 0.5, 0.3],
  [0.6, 0.1, 0.3],
]);
const logits = f64([
  [1.2, -0.4, 0.3],
  [-2, 0.7, 1.1],
]);
const oneHot = f64([
  [0, 1, 0],
  [1, 0, 0],
]);
const real = f64([
  [0.4, -1.3, 2.2],
  [1.5, 0.2, -0.7],
]);
const realTarget = f64([
  [0.1, 0.6, 1.2],
  [-0.5, 0.35, -2.1],
]);

const cases: [string, Loss, Tensor, Tensor][] = [
  ["meanSquaredError", losses.meanSquaredError(), realTarget, real],
  ["meanAbsoluteError", losses.meanAbsoluteError(), realTarget, real],
  ["meanAbsolutePercentageError", losses.meanAbsolutePercentageError(), realTarget, real],
  [
    "meanSquaredLogarithmicError",
    losses.meanSquaredLogarithmicError(),
    probabilities,
    f64([
      [0.5, 1.5, 2],
      [3, 0.2, 0.7],
    ]),
  ],
  ["huber", losses.huber({ delta: 1 }), realTarget, real],
  ["logCosh", losses.logCosh(), realTarget, real],
  [
    "binaryCrossentropy",
    losses.binaryCrossentropy({ labelSmoothing: 0.1 }),
    f64([
      [1, 0, 1],
      [0, 0, 1],
    ]),
    probabilities,
  ],
  [
    "binaryCrossentropy fromLogits",
    losses.binaryCrossentropy({ fromLogits: true }),
    f64([
      [1, 0, 1],
      [0, 0, 1],
    ]),
    logits,
  ],
  ["categoricalCrossentropy", losses.categoricalCrossentropy(), oneHot, probabilities],
  [
    "categoricalCrossentropy fromLogits",
    losses.categoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }),
    oneHot,
    logits,
  ],
  [
    "sparseCategoricalCrossentropy",
    losses.sparseCategoricalCrossentropy(),
    tensor([1, 0], { dtype: "int32" }),
    probabilities,
  ],
  [
    "sparseCategoricalCrossentropy fromLogits",
    losses.sparseCategoricalCrossentropy({ fromLogits: true }),
    tensor([2, 1], { dtype: "int32" }),
    logits,
  ],
  [
    "kullbackLeiblerDivergence",
    losses.kullbackLeiblerDivergence(),
    f64([
      [0.3, 0.3, 0.4],
      [0.1, 0.8, 0.1],
    ]),
    probabilities,
  ],
  [
    "poisson",
    losses.poisson(),
    f64([
      [1, 0, 2],
      [3, 1, 0],
    ]),
    f64([
      [0.5, 1.5, 2],
      [3, 0.2, 0.7],
    ]),
  ],
  [
    "hinge",
    losses.hinge(),
    f64([
      [1, 0, 1],
      [0, 1, 0],
    ]),
    real,
  ],
  [
    "squaredHinge",
    losses.squaredHinge(),
    f64([
      [1, 0, 1],
      [0, 1, 0],
    ]),
    real,
  ],
  ["categoricalHinge", losses.categoricalHinge(), oneHot, real],
  ["cosineSimilarity", losses.cosineSimilarity(), realTarget, real],
];

describe("loss gradients (float64 central differences)", () => {
  for (const [name, loss, yTrue, yPred] of cases) {
    it(name, () => {
      gradcheck((p) => computeLoss(loss, yTrue, p), [yPred], { atol: 1e-6, rtol: 1e-5 });
    });
  }
});
