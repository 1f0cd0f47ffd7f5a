import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { layers, ShapeError, tensor } from "../../index.js";

describe("RepeatVector", () => {
  it("passes the layer harness", () => {
    runLayerTest((dtype) => layers.repeatVector({ n: 3, dtype }), {
      inputShape: [2, 4],
      expectedOutputShape: [2, 3, 4],
      expectedParams: 0,
    });
  });

  it("repeats each sample n times", () => {
    const y = layers.repeatVector({ n: 2 }).apply(
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    assert.deepEqual(y.toArray(), [
      [
        [1, 2],
        [1, 2],
      ],
      [
        [3, 4],
        [3, 4],
      ],
    ]);
    assert.throws(() => layers.repeatVector({ n: 2 }).apply(tensor([[[1]]])), ShapeError);
  });
});
