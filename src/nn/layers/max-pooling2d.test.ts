import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { arange, input, layers, reshape, transpose } from "../../index.js";

describe("MaxPooling2D", () => {
  it("passes the layer harness (default, same + strides, channels_first)", () => {
    runLayerTest((dtype) => layers.maxPooling2d({ dtype }), {
      inputShape: [2, 4, 5, 3],
      expectedOutputShape: [2, 2, 2, 3],
      expectedParams: 0,
    });
    runLayerTest((dtype) => layers.maxPooling2d({ poolSize: 3, strides: 2, padding: "same", dtype }), {
      inputShape: [1, 5, 4, 2],
      expectedOutputShape: [1, 3, 2, 2],
      expectedParams: 0,
    });
    runLayerTest((dtype) => layers.maxPooling2d({ poolSize: [2, 1], dataFormat: "channels_first", dtype }), {
      inputShape: [1, 2, 4, 3],
      expectedOutputShape: [1, 2, 2, 3],
      expectedParams: 0,
    });
  });

  it("takes the maximum of each window; strides default to the pool size (Keras config)", () => {
    const p = layers.maxPooling2d();
    const y = p.apply(reshape(arange(16), [1, 4, 4, 1]));
    assert.deepEqual([...y.data], [5, 7, 13, 15]);
    assert.deepEqual(
      [p.getConfig().poolSize, p.getConfig().strides, p.getConfig().padding],
      [[2, 2], [2, 2], "valid"],
    );
    const first = layers.maxPooling2d({ dataFormat: "channels_first" });
    const x = reshape(arange(32), [1, 4, 4, 2]);
    const a = layers.maxPooling2d().apply(x);
    assert.deepEqual([...transpose(first.apply(transpose(x, [0, 3, 1, 2])), [0, 2, 3, 1]).data], [...a.data]);
    assert.deepEqual(layers.maxPooling2d({ padding: "same" }).apply(input({ shape: [5, 7, 3] })).shape, [
      null,
      3,
      4,
      3,
    ]);
  });
});
