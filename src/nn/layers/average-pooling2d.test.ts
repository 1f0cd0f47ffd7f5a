import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { arange, layers, reshape } from "../../index.js";

describe("AveragePooling2D", () => {
  it("passes the layer harness (default, same + strides, channels_first)", () => {
    runLayerTest((dtype) => layers.averagePooling2d({ dtype }), {
      inputShape: [2, 4, 4, 2],
      expectedOutputShape: [2, 2, 2, 2],
      expectedParams: 0,
    });
    runLayerTest(
      (dtype) => layers.averagePooling2d({ poolSize: [3, 2], strides: 1, padding: "same", dtype }),
      {
        inputShape: [1, 3, 3, 2],
        expectedOutputShape: [1, 3, 3, 2],
        expectedParams: 0,
      },
    );
    runLayerTest((dtype) => layers.averagePooling2d({ dataFormat: "channels_first", dtype }), {
      inputShape: [1, 3, 4, 2],
      expectedOutputShape: [1, 3, 2, 1],
      expectedParams: 0,
    });
  });

  it("averages each window, not counting padding", () => {
    assert.deepEqual(
      [...layers.averagePooling2d().apply(reshape(arange(16), [1, 4, 4, 1])).data],
      [2.5, 4.5, 10.5, 12.5],
    );
    // 3x3 ramp 1..9, "same": windows of 4, 2, 2 and 1 inside taps
    const y = layers.averagePooling2d({ padding: "same" }).apply(reshape(arange(1, 10), [1, 3, 3, 1]));
    assert.deepEqual([...y.data], [3, 4.5, 7.5, 9]);
  });
});
