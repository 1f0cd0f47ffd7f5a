import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { layers, tensor } from "../../index.js";

describe("LayerNormalization", () => {
  it("passes the layer harness (last axis and two axes)", () => {
    runLayerTest((dtype) => layers.layerNormalization({ dtype }), {
      inputShape: [3, 4],
      expectedOutputShape: [3, 4],
      expectedParams: 8,
    });
    runLayerTest((dtype) => layers.layerNormalization({ axis: [1, 2], dtype }), {
      inputShape: [2, 3, 2],
      expectedOutputShape: [2, 3, 2],
      expectedParams: 12,
    });
  });

  it("normalises each sample over its last axis (epsilon 1e-3)", () => {
    const y = layers.layerNormalization().apply(
      tensor([
        [1, 2, 3, 4],
        [10, 10, 10, 10],
      ]),
    );
    // sample 0: mean 2.5, biased variance 1.25
    const s = Math.sqrt(1.25 + 1e-3);
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(y.at(0, i) - (i + 1 - 2.5) / s) < 1e-5);
    // a constant sample maps to 0
    for (let i = 0; i < 4; i++) assert.equal(y.at(1, i), 0);
  });

  it("applies gamma and beta per feature", () => {
    const ln = layers.layerNormalization({ epsilon: 0 });
    ln.apply(tensor([[0, 0]]));
    ln.setWeights([tensor([2, 3]), tensor([1, -1])]);
    const y = ln.apply(tensor([[1, 3]]));
    // normalised [-1, 1] -> [-2 + 1, 3 - 1]
    assert.deepEqual([...y.data], [-1, 2]);
  });
});
