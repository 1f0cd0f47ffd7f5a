// Tests of saliency, SmoothGrad and integrated gradients against gradients known in closed form
// (a linear map, a sum of squares) and the completeness axiom on a small MLP.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ShapeError, ValueError } from "../core/errors.js";
import { Generator } from "../core/random.js";
import { sequential } from "../models/sequential.js";
import * as layers from "../nn/layers/index.js";
import { matmul, square, sum } from "../ops/index.js";
import { randn, tensor } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";
import { integratedGradients, integrationRule, saliency, smoothGrad } from "./explain-gradients.js";

const X = tensor(
  [
    [1, -2, 0.5],
    [0.25, 3, -1],
  ],
  { dtype: "float64" },
);
const W = tensor([[2], [-1], [0.5]], { dtype: "float64" });
const linear = (x: Tensor) => matmul(x, W); // [N, 1]
const squares = (x: Tensor) => sum(square(x), 1); // [N]: sum_j x_j^2, gradient 2x

function close(actual: ArrayLike<number>, expected: readonly number[], tolerance = 1e-9): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++)
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance, `[${i}] ${actual[i]} vs ${expected[i]}`);
}

describe("saliency", () => {
  test("is |w| for a linear model and the signed gradient 2x with abs: false", () => {
    close(saliency(linear, X).data, [2, 1, 0.5, 2, 1, 0.5]);
    close(saliency(squares, X, { abs: false }).data, [2, -4, 1, 0.5, 6, -2]);
  });
  test("explains the chosen output column of a multi-output model", () => {
    const two = (x: Tensor) =>
      matmul(
        x,
        tensor(
          [
            [1, 0],
            [0, 3],
            [0, 0],
          ],
          { dtype: "float64" },
        ),
      );
    close(saliency(two, X, { target: 1 }).data, [0, 3, 0, 0, 3, 0]);
    // default: each row's highest output; row 0 -> [1, -6] (column 0), row 1 -> [0.25, 9] (column 1)
    close(saliency(two, X).data, [1, 0, 0, 0, 3, 0]);
  });
  test("rejects a vector input and a target out of range", () => {
    assert.throws(() => saliency(linear, tensor([1, 2, 3])), ShapeError);
    assert.throws(
      () => saliency(linear, X, { target: 1 }),
      /target must be an output index in \[0, 1\) \(got 1\)/,
    );
  });
});

describe("smoothGrad", () => {
  test("of a linear model is |w| whatever the noise", () => {
    close(smoothGrad(linear, X, { samples: 5, noiseLevel: 0.5 }).data, [2, 1, 0.5, 2, 1, 0.5]);
  });
  test("of a sum of squares averages 2 (x + noise): near 2x, seeded", () => {
    const a = smoothGrad(squares, X, { abs: false, samples: 400, noiseLevel: 0.1, seed: 3 });
    const b = smoothGrad(squares, X, { abs: false, samples: 400, noiseLevel: 0.1, seed: 3 });
    const c = smoothGrad(squares, X, { abs: false, samples: 400, noiseLevel: 0.1, seed: 4 });
    assert.deepEqual(Array.from(a.data), Array.from(b.data));
    assert.notDeepEqual(Array.from(a.data), Array.from(c.data));
    // noise sd is 0.1 * range (0.5 and 0.4): the mean of 400 draws is within 4 sd / 20 of 0
    close(a.data, [2, -4, 1, 0.5, 6, -2], 2 * 4 * 0.1 * 4 * (1 / 20));
    assert.throws(() => smoothGrad(linear, X, { noiseLevel: -1 }), ValueError);
  });
});

describe("integratedGradients", () => {
  test("rules: weights sum to 1; 2-point Gauss-Legendre nodes are 1/2 -+ 1/(2 sqrt 3), ascending", () => {
    for (const method of ["gausslegendre", "riemann_trapezoid", "riemann_middle"] as const) {
      const { weights } = integrationRule(method, 7);
      close([weights.reduce((a, b) => a + b, 0)], [1], 1e-12);
    }
    const { alphas, weights } = integrationRule("gausslegendre", 2);
    close(alphas, [0.5 - 0.5 / Math.sqrt(3), 0.5 + 0.5 / Math.sqrt(3)], 1e-12);
    close(weights, [0.5, 0.5], 1e-12);
  });
  test("of a linear model is w_j (x_j - baseline_j), exactly", () => {
    const { attributions, delta } = integratedGradients(linear, X, {
      baseline: tensor([1, 1, 1], { dtype: "float64" }),
      steps: 5,
    });
    close(attributions.data, [0, 3, -0.25, -1.5, -2, -1], 1e-12);
    close(delta, [0, 0], 1e-12);
  });
  test("of a sum of squares from 0 is x_j^2 (Gauss-Legendre is exact on polynomials)", () => {
    const { attributions } = integratedGradients(squares, X, { steps: 3 });
    close(attributions.data, [1, 4, 0.25, 0.0625, 9, 1], 1e-12);
    const trapezoid = integratedGradients(squares, X, { steps: 3, method: "riemann_trapezoid" });
    // the trapezoid rule on the linear integrand 2 a x^2 is exact too
    close(trapezoid.attributions.data, [1, 4, 0.25, 0.0625, 9, 1], 1e-12);
  });
  test("completeness on a small MLP: attributions sum to f(x) - f(baseline) within 1 %", () => {
    const generator = new Generator(11);
    const model = sequential([
      layers.dense({ units: 16, activation: "tanh", inputShape: [5] }),
      layers.dense({ units: 8, activation: "relu" }),
      layers.dense({ units: 3, activation: "softmax" }),
    ]);
    const x = randn([6, 5], { generator });
    const baseline = randn([5], { generator, std: 0.1 });
    const { attributions, delta, targets } = integratedGradients(model, x, { baseline, steps: 64 });
    assert.deepEqual(attributions.shape, [6, 5]);
    const fx = model.apply(x) as Tensor;
    const fb = model.apply(tensor(Array.from({ length: 6 }, () => Array.from(baseline.data)))) as Tensor;
    for (let r = 0; r < 6; r++) {
      const t = targets[r]!;
      const change = fx.data[r * 3 + t]! - fb.data[r * 3 + t]!;
      let total = 0;
      for (let j = 0; j < 5; j++) total += attributions.data[r * 5 + j]!;
      assert.ok(
        Math.abs(total - change) <= 0.01 * Math.abs(change) + 1e-6,
        `row ${r}: ${total} vs ${change}`,
      );
      assert.ok(Math.abs(delta[r]! - (total - change)) < 1e-5);
    }
    // the same rows in chunks of one row give the same attributions
    const chunked = integratedGradients(model, x, { baseline, steps: 64, internalBatchSize: 64 });
    close(chunked.attributions.data, Array.from(attributions.data), 1e-6);
  });
  test("rejects a baseline of the wrong width", () => {
    assert.throws(
      () => integratedGradients(linear, X, { baseline: tensor([1, 2]) }),
      /baseline must be a number, \[3\], \[1, 3\] or \[2, 3\]/,
    );
  });
});
