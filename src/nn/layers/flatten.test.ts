import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { arange, input, layers, reshape } from "../../index.js";

describe("Flatten", () => {
  it("passes the layer harness", () => {
    runLayerTest((dtype) => layers.flatten({ dtype }), {
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 12],
      expectedParams: 0,
    });
  });

  it("keeps row-major order and the batch axis", () => {
    const y = layers.flatten().apply(reshape(arange(12), [2, 3, 2]));
    assert.deepEqual(y.shape, [2, 6]);
    assert.deepEqual([...y.data], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it("gives an unknown size when an axis is unknown", () => {
    assert.deepEqual(layers.flatten().apply(input({ shape: [null, 3] })).shape, [null, null]);
  });
});
