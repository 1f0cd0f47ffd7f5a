import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { arange, ConfigError, layers, reshape } from "../../index.js";

describe("Permute", () => {
  it("passes the layer harness", () => {
    runLayerTest((dtype) => layers.permute({ dims: [2, 1], dtype }), {
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 4, 3],
      expectedParams: 0,
    });
    runLayerTest((dtype) => layers.permute({ dims: [3, 1, 2], dtype }), {
      inputShape: [1, 2, 3, 4],
      expectedOutputShape: [1, 4, 2, 3],
      expectedParams: 0,
    });
  });

  it("swaps the axes after the batch axis (1-based dims)", () => {
    const y = layers.permute({ dims: [2, 1] }).apply(reshape(arange(6), [1, 2, 3]));
    assert.deepEqual(y.toArray(), [
      [
        [0, 3],
        [1, 4],
        [2, 5],
      ],
    ]);
  });

  it("rejects dims that are not a permutation of 1..n", () => {
    assert.throws(() => layers.permute({ dims: [0, 1] }), ConfigError);
    assert.throws(() => layers.permute({ dims: [1, 3] }), /permutation of 1..2/);
  });
});
