import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { layers, tensor } from "../../index.js";

describe("AveragePooling1D", () => {
  it("passes the layer harness (default, same + strides, channels_first)", () => {
    runLayerTest((dtype) => layers.averagePooling1d({ dtype }), {
      inputShape: [2, 4, 3],
      expectedOutputShape: [2, 2, 3],
      expectedParams: 0,
    });
    runLayerTest((dtype) => layers.averagePooling1d({ poolSize: 3, strides: 2, padding: "same", dtype }), {
      inputShape: [1, 5, 2],
      expectedOutputShape: [1, 3, 2],
      expectedParams: 0,
    });
    runLayerTest((dtype) => layers.averagePooling1d({ dataFormat: "channels_first", dtype }), {
      inputShape: [1, 2, 4],
      expectedOutputShape: [1, 2, 2],
      expectedParams: 0,
    });
  });

  it("averages over steps, not counting padding", () => {
    const x = tensor([[[1], [3], [2], [5], [4]]]);
    assert.deepEqual([...layers.averagePooling1d().apply(x).data], [2, 3.5]);
    assert.deepEqual([...layers.averagePooling1d({ padding: "same" }).apply(x).data], [2, 3.5, 4]);
  });
});
