import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose, EXACT } from "../../../test/helpers/close.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { arange, layers, reshape } from "../../index.js";

describe("Cropping2D", () => {
  it("passes the layer harness (int, pair of pairs, channels_first)", () => {
    runLayerTest((dtype) => layers.cropping2d({ cropping: 1, dtype }), {
      inputShape: [2, 4, 5, 2],
      expectedOutputShape: [2, 2, 3, 2],
      expectedParams: 0,
    });
    runLayerTest(
      (dtype) =>
        layers.cropping2d({
          cropping: [
            [0, 2],
            [1, 0],
          ],
          dataFormat: "channels_first",
          dtype,
        }),
      { inputShape: [1, 2, 4, 3], expectedOutputShape: [1, 2, 2, 2], expectedParams: 0 },
    );
  });

  it("removes the given rows and columns", () => {
    const x = reshape(arange(20), [1, 4, 5, 1]);
    const y = layers
      .cropping2d({
        cropping: [
          [1, 2],
          [0, 3],
        ],
      })
      .apply(x);
    assertClose(reshape(y, [1, 2]), [[5, 6]], { tol: EXACT });
    assert.deepEqual(layers.cropping2d().getConfig().cropping, [
      [0, 0],
      [0, 0],
    ]);
    assert.throws(
      () => layers.cropping2d({ cropping: [2, 0] }).apply(x),
      /cropping \[2, 2\] leaves nothing of a spatial axis of size 4/,
    );
  });
});
