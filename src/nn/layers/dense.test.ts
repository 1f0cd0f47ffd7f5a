import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { ConfigError, layers, matmul, noGrad, ShapeError, softmax, tensor } from "../../index.js";

describe("Dense", () => {
  it("passes the layer harness (linear, fused relu, composed softmax, no bias)", () => {
    runLayerTest((dtype) => layers.dense({ units: 3, dtype }), {
      inputShape: [4, 5],
      expectedOutputShape: [4, 3],
      expectedParams: 18,
    });
    runLayerTest((dtype) => layers.dense({ units: 2, activation: "tanh", dtype }), {
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 2],
      expectedParams: 10,
    });
    runLayerTest((dtype) => layers.dense({ units: 4, activation: "softmax", dtype }), {
      inputShape: [3, 2],
      expectedOutputShape: [3, 4],
      expectedParams: 12,
    });
    runLayerTest((dtype) => layers.dense({ units: 2, useBias: false, activation: "gelu", dtype }), {
      inputShape: [3, 5],
      expectedOutputShape: [3, 2],
      expectedParams: 10,
    });
  });

  it("computes activation(x W + b) with the weights it was given", () => {
    const d = layers.dense({ units: 2, activation: "relu" });
    d.apply(tensor([[0, 0, 0]]));
    d.setWeights([
      tensor([
        [1, -1],
        [2, 0],
        [0, 3],
      ]),
      tensor([0.5, -10]),
    ]);
    const y = d.apply(
      tensor([
        [1, 1, 1],
        [-1, 0, 2],
      ]),
    );
    // row 0: [1+2+0+0.5, -1+0+3-10] = [3.5, -8] -> relu [3.5, 0]; row 1: [-1+0+0+0.5, 1+0+6-10] -> [0, 0]
    assert.deepEqual([...y.data], [3.5, 0, 0, 0]);
  });

  it("composes activations without a fused epilogue", () => {
    const d = layers.dense({ units: 3, activation: "softmax" });
    const x = tensor([[0.3, -1.2]]);
    const y = d.apply(x);
    const expected = noGrad(() => softmax(matmul(x, d.kernel!)));
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(y.data[i]! - expected.data[i]!) < 1e-6);
  });

  it("uses glorot_uniform kernels and zero biases by default", () => {
    const d = layers.dense({ units: 50 });
    d.apply(tensor(new Float32Array(40 * 2), { shape: [2, 40] }));
    const limit = Math.sqrt(6 / (40 + 50));
    const k = Array.from(d.kernel!.data);
    assert.ok(k.every((v) => Math.abs(v) <= limit));
    // a uniform(-l, l) sample of 2000 values has a standard deviation close to l / sqrt(3)
    const sd = Math.sqrt(k.reduce((s, v) => s + v * v, 0) / k.length);
    assert.ok(Math.abs(sd - limit / Math.sqrt(3)) < 0.05 * limit);
    assert.ok(d.bias!.data.every((v) => v === 0));
    assert.deepEqual(
      d.weightEntries().map((w) => w.path),
      [`${d.name}/kernel`, `${d.name}/bias`],
    );
  });

  it("accepts Keras snake_case names and rejects bad options", () => {
    const d = layers.dense({ units: 2, kernelInitializer: "he_normal", activation: "leaky_relu" });
    assert.equal(d.kernelInitializer.className, "HeNormal");
    assert.equal(d.activation.name, "leaky_relu");
    assert.throws(() => layers.dense({ units: 0 }), /Dense: units must be a positive integer \(got 0\)/);
    // @ts-expect-error an unknown activation does not type-check, and is refused at run time too
    assert.throws(() => layers.dense({ units: 2, activation: "nope" }), ConfigError);
    assert.throws(() => layers.dense({ units: 2, kernelInitializer: "nope" }), /unknown initializer "nope"/);
  });

  it("rejects inputs whose last axis differs from the built one", () => {
    const d = layers.dense({ units: 2 });
    d.apply(tensor([[1, 2, 3]]));
    assert.throws(() => d.apply(tensor([[1, 2]])), ShapeError);
  });
});
