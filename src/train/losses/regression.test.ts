import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Tensor, tensor } from "../../index.js";
import { losses } from "./index.js";

const TOL = 1e-6;

function closeAll(actual: Tensor, expected: number[], tol = TOL): void {
  assert.equal(actual.size, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual.data[i]! - expected[i]!) <= tol,
      `index ${i}: ${actual.data[i]} vs ${expected[i]}`,
    );
  }
}

const yTrue = tensor([
  [1, 2],
  [-1, 0.5],
]);
const yPred = tensor([
  [1.5, 0],
  [-1, 3],
]);
// errors yPred - yTrue: [[0.5, -2], [0, 2.5]]

describe("regression losses", () => {
  it("meanSquaredError averages squared errors over the last axis", () => {
    closeAll(losses.meanSquaredError().perSample(yTrue, yPred), [(0.25 + 4) / 2, (0 + 6.25) / 2]);
  });

  it("meanAbsoluteError", () => {
    closeAll(losses.meanAbsoluteError().perSample(yTrue, yPred), [(0.5 + 2) / 2, (0 + 2.5) / 2]);
  });

  it("meanAbsolutePercentageError divides by max(|yTrue|, eps)", () => {
    const v = losses.meanAbsolutePercentageError().perSample(yTrue, yPred);
    closeAll(v, [(100 * (0.5 / 1 + 2 / 2)) / 2, (100 * (0 / 1 + 2.5 / 0.5)) / 2], 1e-4);
    const zero = losses
      .meanAbsolutePercentageError()
      .perSample(tensor([[0]], { dtype: "float64" }), tensor([[1e-3]], { dtype: "float64" }));
    closeAll(zero, [(100 * 1e-3) / 1e-7], 1e-3);
  });

  it("meanSquaredLogarithmicError clips negatives to eps", () => {
    const v = losses
      .meanSquaredLogarithmicError()
      .perSample(tensor([[1, 3]], { dtype: "float64" }), tensor([[0, -2]], { dtype: "float64" }));
    const l = (x: number): number => Math.log(Math.max(x, 1e-7) + 1);
    closeAll(v, [((l(0) - l(1)) ** 2 + (l(-2) - l(3)) ** 2) / 2], 1e-12);
  });

  it("huber is quadratic inside delta and linear outside", () => {
    const v = losses.huber().perSample(yTrue, yPred);
    // |e| <= 1: e^2/2; otherwise |e| - 1/2
    closeAll(v, [(0.125 + (2 - 0.5)) / 2, (0 + (2.5 - 0.5)) / 2]);
    const wide = losses.huber({ delta: 3 }).perSample(yTrue, yPred);
    closeAll(wide, [(0.125 + 2) / 2, (0 + 3.125) / 2]);
    assert.throws(() => losses.huber({ delta: -1 }), /huber: Invalid delta value: -1/);
  });

  it("logCosh matches log(cosh(e)) and stays finite for large errors", () => {
    const v = losses.logCosh().perSample(yTrue, yPred);
    const lc = (x: number): number => Math.log(Math.cosh(x));
    closeAll(v, [(lc(0.5) + lc(-2)) / 2, (lc(0) + lc(2.5)) / 2]);
    const big = losses.logCosh().perSample(tensor([[0]]), tensor([[500]]));
    closeAll(big, [500 - Math.LN2], 1e-3);
  });

  it("cosineSimilarity is minus the cosine of the angle", () => {
    const v = losses.cosineSimilarity().perSample(
      tensor([
        [1, 0],
        [3, 4],
      ]),
      tensor([
        [2, 0],
        [-4, 3],
      ]),
    );
    closeAll(v, [-1, 0]);
    const angle = losses.cosineSimilarity().perSample(tensor([[1, 1]]), tensor([[1, 0]]));
    closeAll(angle, [-Math.SQRT1_2]);
  });

  it("refuses mismatched shapes instead of broadcasting", () => {
    assert.throws(
      () =>
        losses.meanSquaredError().perSample(
          tensor([[1], [2]]),
          tensor([
            [1, 2],
            [3, 4],
          ]),
        ),
      /meanSquaredError: yTrue and yPred shapes differ \(got \[2,1\] and \[2,2\]\)/,
    );
  });

  it("gradients flow to yPred: d mse / d yPred = 2 e / n", () => {
    const p = tensor([[1.5, 0]], { dtype: "float64" });
    p.requiresGrad = true;
    losses
      .meanSquaredError()
      .perSample(tensor([[1, 2]], { dtype: "float64" }), p)
      .sum()
      .backward();
    closeAll(p.grad!, [(2 * 0.5) / 2, (2 * -2) / 2], 1e-12);
  });
});

describe("hinge losses", () => {
  it("hinge maps {0, 1} targets to {-1, 1}", () => {
    const v = losses.hinge().perSample(tensor([[1, 0]]), tensor([[0.3, 0.4]]));
    // t = [1, -1]: max(1 - 0.3, 0) = 0.7, max(1 + 0.4, 0) = 1.4
    closeAll(v, [(0.7 + 1.4) / 2]);
    const signed = losses.hinge().perSample(tensor([[-1, 1]]), tensor([[-2, 0.5]]));
    closeAll(signed, [(0 + 0.5) / 2]);
  });

  it("squaredHinge squares the margins", () => {
    const v = losses.squaredHinge().perSample(tensor([[1, 0]]), tensor([[0.3, 0.4]]));
    closeAll(v, [(0.49 + 1.96) / 2]);
  });

  it("categoricalHinge = max(best wrong score - true score + 1, 0)", () => {
    const v = losses.categoricalHinge().perSample(
      tensor([
        [0, 1, 0],
        [1, 0, 0],
      ]),
      tensor([
        [0.2, 0.5, 0.9],
        [3, 0.5, 0.1],
      ]),
    );
    closeAll(v, [0.9 - 0.5 + 1, 0]);
  });
});
