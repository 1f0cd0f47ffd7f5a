import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { uniform64 } from "../../../test/helpers/gradcheck.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { depthwiseConv2d, layers, tensor } from "../../index.js";

describe("DepthwiseConv2D", () => {
  it("passes the layer harness (multiplier, same + strides, channels_first)", () => {
    runLayerTest((dtype) => layers.depthwiseConv2d({ kernelSize: 3, dtype }), {
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 2, 2, 3],
      expectedParams: 3 * 3 * 3 + 3,
    });
    runLayerTest(
      (dtype) =>
        layers.depthwiseConv2d({
          kernelSize: 2,
          depthMultiplier: 2,
          strides: 2,
          padding: "same",
          activation: "relu",
          dtype,
        }),
      {
        inputShape: [1, 5, 5, 2],
        expectedOutputShape: [1, 3, 3, 4],
        expectedParams: 2 * 2 * 2 * 2 + 4,
      },
    );
    runLayerTest(
      (dtype) =>
        layers.depthwiseConv2d({ kernelSize: 2, dataFormat: "channels_first", useBias: false, dtype }),
      {
        inputShape: [1, 2, 3, 3],
        expectedOutputShape: [1, 2, 2, 2],
        expectedParams: 2 * 2 * 2,
      },
    );
  });

  it("filters each channel separately (Keras weight name and shape)", () => {
    const d = layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, dtype: "float64" });
    const x = uniform64([1, 3, 3, 2], -1, 1, 1);
    const y = d.apply(x);
    assertClose(y, depthwiseConv2d(x, d.kernel!, { bias: d.bias }));
    assert.deepEqual([...d.kernel!.shape], [2, 2, 2, 2]);
    assert.deepEqual(
      d.weightEntries().map((w) => w.path),
      [`${d.name}/kernel`, `${d.name}/bias`],
    );
    // zeroing channel 1 of the input leaves outputs of channel 0 (filters 0 and 1) unchanged
    const x2 = tensor(
      Float64Array.from(x.data, (v, i) => (i % 2 === 1 ? 0 : v)),
      { shape: [1, 3, 3, 2] },
    );
    const y2 = d.apply(x2);
    for (let i = 0; i < y.size; i++) if (i % 4 < 2) assert.equal(y2.data[i], y.data[i]);
    assert.deepEqual(d.getConfig().depthMultiplier, 2);
  });
});
