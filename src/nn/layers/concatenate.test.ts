import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { input, layers, ShapeError, tensor } from "../../index.js";

describe("Concatenate", () => {
  it("passes the layer harness on the last and a middle axis", () => {
    runLayerTest((dtype) => layers.concatenate({ dtype }), {
      inputShape: [
        [2, 3],
        [2, 4],
      ],
      expectedOutputShape: [2, 7],
      expectedParams: 0,
    });
    runLayerTest((dtype) => layers.concatenate({ axis: 1, dtype }), {
      inputShape: [
        [2, 1, 3],
        [2, 2, 3],
        [2, 3, 3],
      ],
      expectedOutputShape: [2, 6, 3],
      expectedParams: 0,
    });
  });

  it("joins values in order", () => {
    const y = layers.concatenate().apply([
      tensor([
        [1, 2],
        [3, 4],
      ]),
      tensor([[5], [6]]),
    ]);
    assert.deepEqual(y.toArray(), [
      [1, 2, 5],
      [3, 4, 6],
    ]);
  });

  it("rejects inputs that differ off the axis", () => {
    assert.throws(
      () => layers.concatenate({ axis: 1 }).apply([input({ shape: [2, 3] }), input({ shape: [2, 4] })]),
      ShapeError,
    );
    assert.deepEqual(layers.concatenate().apply([input({ shape: [null] }), input({ shape: [4] })]).shape, [
      null,
      null,
    ]);
  });
});
