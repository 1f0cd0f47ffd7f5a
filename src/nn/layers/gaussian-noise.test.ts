import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { layers, tensor, zeros } from "../../index.js";

describe("GaussianNoise", () => {
  it("passes the layer harness (identity at inference)", () => {
    runLayerTest((dtype) => layers.gaussianNoise({ stddev: 0.1, dtype }), {
      inputShape: [3, 5],
      expectedOutputShape: [3, 5],
      expectedParams: 0,
    });
  });

  it("adds zero-mean noise with the given standard deviation in training only", () => {
    const x = tensor([[1, 2]]);
    assert.equal(layers.gaussianNoise({ stddev: 1 }).apply(x), x);
    const n = 20000;
    const y = layers.gaussianNoise({ stddev: 0.5, seed: 1 }).apply(zeros([n]), { training: true });
    const values = Array.from(y.data);
    const mean = values.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
    // standard error of the mean 0.5 / sqrt(n) = 0.0035
    assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
    assert.ok(Math.abs(sd - 0.5) < 0.02, `sd ${sd}`);
  });
});
