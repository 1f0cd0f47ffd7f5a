import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { uniform64 } from "../../../test/helpers/gradcheck.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { conv2d, depthwiseConv2d, layers } from "../../index.js";

describe("SeparableConv2D", () => {
  it("passes the layer harness (multiplier, same padding, channels_first)", () => {
    runLayerTest((dtype) => layers.separableConv2d({ filters: 3, kernelSize: 2, dtype }), {
      inputShape: [2, 3, 3, 2],
      expectedOutputShape: [2, 2, 2, 3],
      expectedParams: 2 * 2 * 2 + 2 * 3 + 3,
    });
    runLayerTest(
      (dtype) =>
        layers.separableConv2d({
          filters: 2,
          kernelSize: 3,
          depthMultiplier: 2,
          padding: "same",
          activation: "tanh",
          dtype,
        }),
      {
        inputShape: [1, 3, 3, 2],
        expectedOutputShape: [1, 3, 3, 2],
        expectedParams: 3 * 3 * 2 * 2 + 4 * 2 + 2,
      },
    );
    runLayerTest(
      (dtype) => layers.separableConv2d({ filters: 2, kernelSize: 2, dataFormat: "channels_first", dtype }),
      {
        inputShape: [1, 2, 3, 3],
        expectedOutputShape: [1, 2, 2, 2],
        expectedParams: 2 * 2 * 2 + 2 * 2 + 2,
      },
    );
  });

  it("is a depthwise convolution followed by a 1x1 convolution, with Keras weight names", () => {
    const s = layers.separableConv2d({
      filters: 3,
      kernelSize: 3,
      padding: "same",
      depthMultiplier: 2,
      dtype: "float64",
    });
    const x = uniform64([1, 4, 4, 2], -1, 1, 2);
    const y = s.apply(x);
    const mid = depthwiseConv2d(x, s.depthwiseKernel!, { padding: "same" });
    assertClose(y, conv2d(mid, s.pointwiseKernel!, { bias: s.bias }));
    assert.deepEqual(
      s.weightEntries().map((w) => [w.path, [...w.tensor.shape]]),
      [
        [`${s.name}/depthwise_kernel`, [3, 3, 2, 2]],
        [`${s.name}/pointwise_kernel`, [1, 1, 4, 3]],
        [`${s.name}/bias`, [3]],
      ],
    );
  });
});
