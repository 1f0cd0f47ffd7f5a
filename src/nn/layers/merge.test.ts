import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { input, layers, ShapeError, tensor, ValueError } from "../../index.js";

describe("merge layers", () => {
  const spec = {
    inputShape: [
      [3, 4],
      [3, 4],
    ],
    expectedOutputShape: [3, 4],
    expectedParams: 0,
  };

  it("pass the layer harness", () => {
    runLayerTest((dtype) => layers.add({ dtype }), spec);
    runLayerTest((dtype) => layers.subtract({ dtype }), spec);
    runLayerTest((dtype) => layers.multiply({ dtype }), spec);
    runLayerTest((dtype) => layers.average({ dtype }), spec);
    runLayerTest((dtype) => layers.maximum({ dtype }), spec);
    runLayerTest((dtype) => layers.minimum({ dtype }), spec);
    runLayerTest((dtype) => layers.add({ dtype }), {
      inputShape: [
        [2, 3],
        [2, 3],
        [2, 3],
      ],
      expectedOutputShape: [2, 3],
      expectedParams: 0,
    });
    // broadcasting (B, 3, 4) with (B, 1, 4)
    runLayerTest((dtype) => layers.multiply({ dtype }), {
      inputShape: [
        [2, 3, 4],
        [2, 1, 4],
      ],
      expectedOutputShape: [2, 3, 4],
      expectedParams: 0,
    });
  });

  it("compute their values", () => {
    const a = tensor([[1, 5, -2]]);
    const b = tensor([[3, 1, -4]]);
    const c = tensor([[2, 0, 0]]);
    assert.deepEqual([...layers.add().apply([a, b, c]).data], [6, 6, -6]);
    assert.deepEqual([...layers.subtract().apply([a, b]).data], [-2, 4, 2]);
    assert.deepEqual([...layers.multiply().apply([a, b]).data], [3, 5, 8]);
    assert.deepEqual([...layers.average().apply([a, b, c]).data], [2, 2, -2]);
    assert.deepEqual([...layers.maximum().apply([a, b]).data], [3, 5, -2]);
    assert.deepEqual([...layers.minimum().apply([a, b]).data], [1, 1, -4]);
  });

  it("check their inputs", () => {
    const a = tensor([[1, 2]]);
    assert.throws(() => layers.subtract().apply([a, a, a]), /exactly 2 input/);
    assert.throws(() => layers.add().apply(a), ValueError);
    assert.throws(() => layers.add().apply([input({ shape: [3] }), input({ shape: [4] })]), ShapeError);
    assert.deepEqual(layers.add().apply([input({ shape: [3, 1] }), input({ shape: [3, 5] })]).shape, [
      null,
      3,
      5,
    ]);
  });
});
