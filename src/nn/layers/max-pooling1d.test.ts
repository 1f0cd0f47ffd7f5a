import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { layers, tensor } from "../../index.js";

describe("MaxPooling1D", () => {
  it("passes the layer harness (default, same + strides, channels_first)", () => {
    runLayerTest((dtype) => layers.maxPooling1d({ dtype }), {
      inputShape: [2, 5, 3],
      expectedOutputShape: [2, 2, 3],
      expectedParams: 0,
    });
    runLayerTest((dtype) => layers.maxPooling1d({ poolSize: 3, strides: 1, padding: "same", dtype }), {
      inputShape: [1, 4, 2],
      expectedOutputShape: [1, 4, 2],
      expectedParams: 0,
    });
    runLayerTest((dtype) => layers.maxPooling1d({ dataFormat: "channels_first", dtype }), {
      inputShape: [1, 2, 6],
      expectedOutputShape: [1, 2, 3],
      expectedParams: 0,
    });
  });

  it("takes the maximum over steps", () => {
    const x = tensor([[[1], [3], [2], [5], [4]]]);
    assert.deepEqual([...layers.maxPooling1d().apply(x).data], [3, 5]);
    assert.deepEqual([...layers.maxPooling1d({ padding: "same" }).apply(x).data], [3, 5, 4]);
    assert.deepEqual(layers.maxPooling1d().getConfig().poolSize, [2]);
  });
});
