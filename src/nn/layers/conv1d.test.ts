import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { uniform64 } from "../../../test/helpers/gradcheck.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { conv1d, layers, tensor, transpose } from "../../index.js";

describe("Conv1D", () => {
  it("passes the layer harness (valid, causal + dilation, same + strides, groups, channels_first)", () => {
    runLayerTest((dtype) => layers.conv1d({ filters: 3, kernelSize: 3, dtype }), {
      inputShape: [2, 6, 2],
      expectedOutputShape: [2, 4, 3],
      expectedParams: 3 * 2 * 3 + 3,
    });
    runLayerTest(
      (dtype) =>
        layers.conv1d({
          filters: 2,
          kernelSize: 2,
          padding: "causal",
          dilationRate: 2,
          activation: "sigmoid",
          dtype,
        }),
      {
        inputShape: [1, 5, 3],
        expectedOutputShape: [1, 5, 2],
        expectedParams: 2 * 3 * 2 + 2,
      },
    );
    runLayerTest(
      (dtype) => layers.conv1d({ filters: 4, kernelSize: 3, strides: 2, padding: "same", groups: 2, dtype }),
      {
        inputShape: [2, 5, 2],
        expectedOutputShape: [2, 3, 4],
        expectedParams: 3 * 1 * 4 + 4,
      },
    );
    runLayerTest(
      (dtype) => layers.conv1d({ filters: 2, kernelSize: 2, dataFormat: "channels_first", dtype }),
      {
        inputShape: [2, 3, 4],
        expectedOutputShape: [2, 2, 3],
        expectedParams: 2 * 3 * 2 + 2,
      },
    );
  });

  it("computes ops.conv1d with its weights; channels_first moves the axes", () => {
    const c = layers.conv1d({ filters: 2, kernelSize: 3, padding: "causal", dtype: "float64" });
    const x = uniform64([2, 6, 3], -1, 1, 1);
    const y = c.apply(x);
    assertClose(y, conv1d(x, c.kernel!, { padding: "causal", bias: c.bias }));
    const first = layers.conv1d({
      filters: 2,
      kernelSize: 3,
      padding: "causal",
      dataFormat: "channels_first",
      dtype: "float64",
    });
    first.apply(transpose(x, [0, 2, 1]));
    first.setWeights(c.getWeights());
    assertClose(transpose(first.apply(transpose(x, [0, 2, 1])), [0, 2, 1]), y);
    // weights (3, 3, 2): kernel size, input channels, filters
    assert.deepEqual([...c.kernel!.shape], [3, 3, 2]);
  });

  it("rejects inputs of the wrong rank", () => {
    const c = layers.conv1d({ filters: 2, kernelSize: 3 });
    assert.throws(
      () => c.apply(tensor(new Float32Array(16), { shape: [1, 4, 4, 1] })),
      /expected inputs of rank 3 \(batch, steps, channels\)/,
    );
  });
});
