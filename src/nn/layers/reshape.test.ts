import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { arange, ConfigError, layers, reshape, ShapeError } from "../../index.js";

describe("Reshape", () => {
  it("passes the layer harness, with and without -1", () => {
    runLayerTest((dtype) => layers.reshape({ targetShape: [3, 4], dtype }), {
      inputShape: [2, 12],
      expectedOutputShape: [2, 3, 4],
      expectedParams: 0,
    });
    runLayerTest((dtype) => layers.reshape({ targetShape: [-1, 2], dtype }), {
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 6, 2],
      expectedParams: 0,
    });
  });

  it("reshapes each sample in row-major order", () => {
    const y = layers.reshape({ targetShape: [2, 2] }).apply(reshape(arange(8), [2, 4]));
    assert.deepEqual(y.toArray(), [
      [
        [0, 1],
        [2, 3],
      ],
      [
        [4, 5],
        [6, 7],
      ],
    ]);
  });

  it("rejects sizes that do not fit and bad target shapes", () => {
    assert.throws(() => layers.reshape({ targetShape: [5] }).apply(reshape(arange(8), [2, 4])), ShapeError);
    assert.throws(() => layers.reshape({ targetShape: [-1, -1] }), ConfigError);
  });
});
