import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose, EXACT } from "../../../test/helpers/close.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { input, layers, reshape, tensor } from "../../index.js";

describe("ZeroPadding2D", () => {
  it("passes the layer harness (int, pair, pair of pairs, channels_first)", () => {
    runLayerTest((dtype) => layers.zeroPadding2d({ dtype }), {
      inputShape: [2, 2, 3, 2],
      expectedOutputShape: [2, 4, 5, 2],
      expectedParams: 0,
    });
    runLayerTest((dtype) => layers.zeroPadding2d({ padding: [2, 0], dtype }), {
      inputShape: [1, 2, 2, 1],
      expectedOutputShape: [1, 6, 2, 1],
      expectedParams: 0,
    });
    runLayerTest(
      (dtype) =>
        layers.zeroPadding2d({
          padding: [
            [0, 1],
            [2, 3],
          ],
          dataFormat: "channels_first",
          dtype,
        }),
      { inputShape: [1, 2, 2, 2], expectedOutputShape: [1, 2, 3, 7], expectedParams: 0 },
    );
  });

  it("places the input inside zeros", () => {
    const y = layers
      .zeroPadding2d({
        padding: [
          [1, 0],
          [0, 2],
        ],
      })
      .apply(tensor([1, 2, 3, 4], { shape: [1, 2, 2, 1] }));
    assertClose(
      reshape(y, [3, 4]),
      [
        [0, 0, 0, 0],
        [1, 2, 0, 0],
        [3, 4, 0, 0],
      ],
      { tol: EXACT },
    );
    const p = layers.zeroPadding2d({ padding: 2 });
    assert.deepEqual(p.getConfig().padding, [
      [2, 2],
      [2, 2],
    ]);
    assert.deepEqual(p.apply(input({ shape: [null, 4, 3] })).shape, [null, null, 8, 3]);
    assert.throws(() => layers.zeroPadding2d({ padding: -1 }), /padding must be a non-negative integer/);
  });
});
