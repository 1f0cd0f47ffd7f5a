// GlobalMaxPooling1D/2D and GlobalAveragePooling1D/2D (one shared base class, tested together).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { distinct64 } from "../../../test/helpers/gradcheck.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { input, layers, tensor } from "../../index.js";

describe("global pooling layers", () => {
  it("pass the layer harness (keepdims, channels_first)", () => {
    runLayerTest((dtype) => layers.globalAveragePooling2d({ dtype }), {
      inputShape: [2, 3, 4, 2],
      expectedOutputShape: [2, 2],
      expectedParams: 0,
    });
    runLayerTest(
      (dtype) => layers.globalAveragePooling2d({ keepdims: true, dataFormat: "channels_first", dtype }),
      {
        inputShape: [2, 3, 2, 2],
        expectedOutputShape: [2, 3, 1, 1],
        expectedParams: 0,
      },
    );
    runLayerTest((dtype) => layers.globalAveragePooling1d({ dtype }), {
      inputShape: [2, 5, 3],
      expectedOutputShape: [2, 3],
      expectedParams: 0,
    });
    runLayerTest((dtype) => layers.globalAveragePooling1d({ keepdims: true, dtype }), {
      inputShape: [2, 5, 3],
      expectedOutputShape: [2, 1, 3],
      expectedParams: 0,
    });
    // distinct values would be nicer for max, but the harness draws its own inputs: ties have probability 0
    runLayerTest((dtype) => layers.globalMaxPooling2d({ dtype }), {
      inputShape: [2, 3, 3, 2],
      expectedOutputShape: [2, 2],
      expectedParams: 0,
    });
    runLayerTest((dtype) => layers.globalMaxPooling1d({ dataFormat: "channels_first", dtype }), {
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3],
      expectedParams: 0,
    });
  });

  it("reduce over the spatial axes only", () => {
    const x = tensor([
      [
        [
          [1, -1],
          [2, -2],
        ],
        [
          [3, -3],
          [6, -6],
        ],
      ],
    ]);
    assert.deepEqual([...layers.globalAveragePooling2d().apply(x).data], [3, -3]);
    assert.deepEqual([...layers.globalMaxPooling2d().apply(x).data], [6, -1]);
    // channels_first: the 2 "channels" are the rows of x[0]
    assert.deepEqual(
      [
        ...layers.globalMaxPooling1d({ dataFormat: "channels_first" }).apply(
          tensor([
            [
              [1, 5, 2],
              [0, -1, 3],
            ],
          ]),
        ).data,
      ],
      [5, 3],
    );
    const seq = distinct64([2, 4, 3], 1);
    const y = layers.globalAveragePooling1d({ dtype: "float64" }).apply(seq);
    for (let b = 0; b < 2; b++)
      for (let c = 0; c < 3; c++) {
        let total = 0;
        for (let t = 0; t < 4; t++) total += seq.data[(b * 4 + t) * 3 + c]!;
        assert.ok(Math.abs(y.data[b * 3 + c]! - total / 4) < 1e-12);
      }
    assert.deepEqual(
      layers.globalMaxPooling2d({ keepdims: true }).apply(input({ shape: [null, null, 5] })).shape,
      [null, 1, 1, 5],
    );
  });
});
