// Tests of Kernel SHAP: exact values for a linear model (w_i (x_i - mean_i)) and for a product of
// two features against one background row (half the product each), and the efficiency property
// (values sum to f(x) - E[f]) when coalitions are sampled for a nonlinear model.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ShapeError } from "../core/errors.js";
import { Generator } from "../core/random.js";
import { sequential } from "../models/sequential.js";
import * as layers from "../nn/layers/index.js";
import { matmul, mul } from "../ops/index.js";
import { randn, tensor } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";
import { kernelShap, shapCoalitions } from "./explain-shap.js";

const W = [1.5, -2, 0.25, 3];
const linear = (x: Tensor) =>
  matmul(
    x,
    tensor(
      W.map((w) => [w]),
      { dtype: "float64" },
    ),
  );

describe("kernelShap", () => {
  test("of a linear model is w_i (x_i - mean_i) and sums to f(x) - E[f]", () => {
    const generator = new Generator(2);
    const background = randn([20, 4], { generator, dtype: "float64" });
    const x = randn([3, 4], { generator, dtype: "float64" });
    const { values, expectedValue, prediction } = kernelShap(linear, x, background);
    const means = [0, 1, 2, 3].map((j) => {
      let s = 0;
      for (let i = 0; i < 20; i++) s += background.data[i * 4 + j]!;
      return s / 20;
    });
    for (let r = 0; r < 3; r++) {
      let sum = 0;
      for (let j = 0; j < 4; j++) {
        const expected = W[j]! * (x.data[r * 4 + j]! - means[j]!);
        assert.ok(Math.abs(values.data[r * 4 + j]! - expected) < 1e-9, `row ${r} feature ${j}`);
        sum += values.data[r * 4 + j]!;
      }
      assert.ok(Math.abs(sum - (prediction[r]! - expectedValue[r]!)) < 1e-9);
    }
  });

  test("of x0 * x1 against the background (0, 0) gives each feature half the product", () => {
    const pick = (j: number) => tensor([[j === 0 ? 1 : 0], [j === 1 ? 1 : 0]], { dtype: "float64" });
    const product = (x: Tensor) => mul(matmul(x, pick(0)), matmul(x, pick(1)));
    const { values } = kernelShap(
      product,
      tensor([[2, 3]], { dtype: "float64" }),
      tensor([[0, 0]], { dtype: "float64" }),
    );
    assert.ok(Math.abs(values.data[0]! - 3) < 1e-9 && Math.abs(values.data[1]! - 3) < 1e-9);
  });

  test("sampled coalitions on a 12-feature MLP: efficiency holds, the seed fixes the values", () => {
    const generator = new Generator(8);
    const model = sequential([
      layers.dense({ units: 8, activation: "tanh", inputShape: [12] }),
      layers.dense({ units: 2, activation: "softmax" }),
    ]);
    const background = randn([10, 12], { generator });
    const x = randn([2, 12], { generator });
    const a = kernelShap(model, x, background, { nSamples: 300, seed: 4 });
    const b = kernelShap(model, x, background, { nSamples: 300, seed: 4 });
    assert.deepEqual(Array.from(a.values.data), Array.from(b.values.data));
    for (let r = 0; r < 2; r++) {
      let sum = 0;
      for (let j = 0; j < 12; j++) sum += a.values.data[r * 12 + j]!;
      assert.ok(Math.abs(sum - (a.prediction[r]! - a.expectedValue[r]!)) < 1e-5, `row ${r}`);
    }
    // a full enumeration (4094 coalitions) agrees with the sampled estimate to within sampling error
    const exact = kernelShap(model, x, background, { nSamples: 4094, target: Array.from(a.targets) });
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < 24; i++) {
      worst = Math.max(worst, Math.abs(exact.values.data[i]! - a.values.data[i]!));
      scale = Math.max(scale, Math.abs(exact.values.data[i]!));
    }
    assert.ok(worst < 0.5 * scale, `sampled vs exact: ${worst} (largest value ${scale})`);
  });

  test("full enumeration weights every size by the Shapley kernel", () => {
    const { masks, weights } = shapCoalitions(5, 30, new Generator(0));
    assert.equal(masks.length, 30);
    const bySize = new Map<number, number>();
    masks.forEach((m, i) => {
      const s = m.reduce((a, v) => a + v, 0);
      bySize.set(s, (bySize.get(s) ?? 0) + weights[i]!);
    });
    for (let s = 1; s < 5; s++) assert.ok(Math.abs(bySize.get(s)! - 4 / (s * (5 - s))) < 1e-12);
  });

  test("rejects a background of another width and too small a budget", () => {
    const x = tensor([[1, 2, 3, 4]], { dtype: "float64" });
    assert.throws(() => kernelShap(linear, x, tensor([[1, 2]], { dtype: "float64" })), ShapeError);
    assert.throws(() => kernelShap(linear, x, x, { nSamples: 3 }), /nSamples 3 is too small for 4 features/);
  });
});
