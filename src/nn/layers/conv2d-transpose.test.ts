import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { uniform64 } from "../../../test/helpers/gradcheck.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { conv2dTranspose, input, layers, tensor } from "../../index.js";

describe("Conv2DTranspose", () => {
  it("passes the layer harness (valid, same + strides, outputPadding, channels_first)", () => {
    runLayerTest((dtype) => layers.conv2dTranspose({ filters: 2, kernelSize: 3, dtype }), {
      inputShape: [2, 2, 2, 3],
      expectedOutputShape: [2, 4, 4, 2],
      expectedParams: 3 * 3 * 2 * 3 + 2,
    });
    runLayerTest(
      (dtype) =>
        layers.conv2dTranspose({
          filters: 2,
          kernelSize: 3,
          strides: 2,
          padding: "same",
          activation: "relu",
          dtype,
        }),
      {
        inputShape: [1, 2, 3, 2],
        expectedOutputShape: [1, 4, 6, 2],
        expectedParams: 3 * 3 * 2 * 2 + 2,
      },
    );
    // (2 - 1) * 2 + 3 - 0 + 1 = 6
    runLayerTest(
      (dtype) => layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, outputPadding: 1, dtype }),
      {
        inputShape: [1, 2, 2, 2],
        expectedOutputShape: [1, 6, 6, 1],
        expectedParams: 3 * 3 * 1 * 2 + 1,
      },
    );
    runLayerTest(
      (dtype) =>
        layers.conv2dTranspose({
          filters: 2,
          kernelSize: 2,
          strides: 2,
          dataFormat: "channels_first",
          dtype,
        }),
      {
        inputShape: [1, 3, 2, 2],
        expectedOutputShape: [1, 2, 4, 4],
        expectedParams: 2 * 2 * 2 * 3 + 2,
      },
    );
  });

  it("computes ops.conv2dTranspose with kernel (KH, KW, filters, channels); output sizes as in Keras", () => {
    const t = layers.conv2dTranspose({
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      dtype: "float64",
    });
    const x = uniform64([1, 3, 3, 2], -1, 1, 3);
    const y = t.apply(x);
    assert.deepEqual([...t.kernel!.shape], [3, 3, 4, 2]);
    assertClose(y, conv2dTranspose(x, t.kernel!, { strides: 2, padding: "same", bias: t.bias }));
    // Keras: Conv2DTranspose(8, 3, strides=2, padding="same") on 7x7 gives 14x14; "valid" gives 15x15
    const same = layers.conv2dTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: "same" });
    assert.deepEqual(same.apply(input({ shape: [7, 7, 16] })).shape, [null, 14, 14, 8]);
    const valid = layers.conv2dTranspose({ filters: 8, kernelSize: 3, strides: 2 });
    assert.deepEqual(
      [...valid.apply(tensor(new Float32Array(49), { shape: [1, 7, 7, 1] })).shape],
      [1, 15, 15, 8],
    );
  });

  it("rejects outputPadding not smaller than the strides", () => {
    assert.throws(
      () => layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, outputPadding: 2 }),
      /outputPadding must be smaller than strides/,
    );
  });
});
