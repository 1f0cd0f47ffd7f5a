import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { directConv2d } from "../../../test/helpers/conv-reference.js";
import { uniform64 } from "../../../test/helpers/gradcheck.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { ConfigError, layers, ShapeError, tensor, transpose } from "../../index.js";

describe("Conv2D", () => {
  it("passes the layer harness (valid, same + strides, dilation, groups, channels_first, no bias)", () => {
    runLayerTest((dtype) => layers.conv2d({ filters: 3, kernelSize: 3, dtype }), {
      inputShape: [2, 5, 5, 2],
      expectedOutputShape: [2, 3, 3, 3],
      expectedParams: 3 * 3 * 2 * 3 + 3,
    });
    runLayerTest(
      (dtype) =>
        layers.conv2d({
          filters: 2,
          kernelSize: [3, 2],
          strides: 2,
          padding: "same",
          activation: "relu",
          dtype,
        }),
      { inputShape: [1, 5, 4, 3], expectedOutputShape: [1, 3, 2, 2], expectedParams: 3 * 2 * 3 * 2 + 2 },
    );
    runLayerTest(
      (dtype) => layers.conv2d({ filters: 2, kernelSize: 2, dilationRate: 2, activation: "gelu", dtype }),
      {
        inputShape: [1, 5, 5, 1],
        expectedOutputShape: [1, 3, 3, 2],
        expectedParams: 2 * 2 * 1 * 2 + 2,
      },
    );
    runLayerTest(
      (dtype) => layers.conv2d({ filters: 4, kernelSize: 2, groups: 2, activation: "tanh", dtype }),
      {
        inputShape: [1, 3, 3, 4],
        expectedOutputShape: [1, 2, 2, 4],
        expectedParams: 2 * 2 * 2 * 4 + 4,
      },
    );
    runLayerTest(
      (dtype) =>
        layers.conv2d({
          filters: 2,
          kernelSize: 3,
          padding: "same",
          dataFormat: "channels_first",
          useBias: false,
          dtype,
        }),
      { inputShape: [2, 3, 4, 4], expectedOutputShape: [2, 2, 4, 4], expectedParams: 3 * 3 * 3 * 2 },
    );
  });

  it("computes the convolution with the weights it was given (bias, fused relu)", () => {
    const c = layers.conv2d({ filters: 1, kernelSize: 2, activation: "relu" });
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 3, 3, 1] });
    c.apply(x);
    c.setWeights([tensor([1, 0, 0, -1], { shape: [2, 2, 1, 1] }), tensor([5])]);
    // x[i, j] - x[i + 1, j + 1] = -4, plus bias 5 = 1 everywhere
    assert.deepEqual([...c.apply(x).data], [1, 1, 1, 1]);
    c.setWeights([tensor([1, 0, 0, -1], { shape: [2, 2, 1, 1] }), tensor([3])]);
    assert.deepEqual([...c.apply(x).data], [0, 0, 0, 0]);
  });

  it("promotes integer images to its dtype, as Dense does", () => {
    const c = layers.conv2d({ filters: 1, kernelSize: 1, useBias: false });
    const ints = tensor([1, 2, 3, 4], { shape: [1, 2, 2, 1], dtype: "int32" });
    c.apply(ints);
    c.setWeights([tensor([2], { shape: [1, 1, 1, 1] })]);
    const y = c.apply(ints);
    assert.equal(y.dtype, "float32");
    assert.deepEqual([...y.data], [2, 4, 6, 8]);
    assert.deepEqual([...layers.maxPooling2d().apply(ints).data], [4]);
  });

  it("channels_first is channels_last with the axes moved", () => {
    const last = layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: "same", dtype: "float64" });
    const first = layers.conv2d({
      filters: 3,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      dataFormat: "channels_first",
      dtype: "float64",
    });
    const x = uniform64([2, 5, 6, 2], -1, 1, 1);
    const yLast = last.apply(x);
    first.apply(transpose(x, [0, 3, 1, 2]));
    first.setWeights(last.getWeights());
    const yFirst = first.apply(transpose(x, [0, 3, 1, 2]));
    assert.deepEqual([...yFirst.shape], [2, 3, 3, 3]);
    assertClose(transpose(yFirst, [0, 2, 3, 1]), yLast);
    const k = last.kernel!;
    const expected = directConv2d({
      x: x.data,
      xShape: [2, 5, 6, 2],
      w: k.data,
      wShape: [3, 3, 2, 3],
      strides: [2, 2],
      dilation: [1, 1],
      pads: [1, 0],
      out: [3, 3],
    });
    assertClose(yLast, tensor(expected, { shape: [2, 3, 3, 3], dtype: "float64" }));
  });

  it("uses Keras defaults and glorot fans over the receptive field", () => {
    const c = layers.conv2d({ filters: 8, kernelSize: 3 });
    c.apply(tensor(new Float32Array(1 * 6 * 6 * 4), { shape: [1, 6, 6, 4] }));
    const cfg = c.getConfig();
    assert.deepEqual(
      [cfg.strides, cfg.padding, cfg.dataFormat, cfg.dilationRate, cfg.groups, cfg.activation, cfg.useBias],
      [[1, 1], "valid", "channels_last", [1, 1], 1, "linear", true],
    );
    // fan_in 3*3*4 = 36, fan_out 3*3*8 = 72
    const limit = Math.sqrt(6 / (36 + 72));
    assert.ok(c.kernel!.data.every((v) => Math.abs(v) <= limit));
    assert.ok(c.kernel!.data.some((v) => Math.abs(v) > 0.8 * limit));
    assert.deepEqual(
      c.weightEntries().map((w) => w.path),
      [`${c.name}/kernel`, `${c.name}/bias`],
    );
  });

  it("rejects bad options and inputs", () => {
    assert.throws(() => layers.conv2d({ filters: 0, kernelSize: 3 }), /filters must be a positive integer/);
    assert.throws(
      () => layers.conv2d({ filters: 3, kernelSize: [3, 3, 3] }),
      /kernelSize must be a positive integer or a list of 2/,
    );
    assert.throws(
      () => layers.conv2d({ filters: 3, kernelSize: 3, padding: "causal" as "same" }),
      ConfigError,
    );
    assert.throws(
      () => layers.conv2d({ filters: 3, kernelSize: 3, groups: 2 }),
      /filters \(3\) must be divisible by groups \(2\)/,
    );
    assert.throws(
      () => layers.conv2d({ filters: 2, kernelSize: 3, dataFormat: "NHWC" as "channels_last" }),
      /dataFormat must be one of/,
    );
    const c = layers.conv2d({ filters: 2, kernelSize: 3 });
    assert.throws(() => c.apply(tensor(new Float32Array(12), { shape: [1, 3, 4] })), ShapeError);
    c.apply(tensor(new Float32Array(16), { shape: [1, 4, 4, 1] }));
    assert.throws(
      () => c.apply(tensor(new Float32Array(32), { shape: [1, 4, 4, 2] })),
      /expected inputs with 1 channels/,
    );
    const g = layers.conv2d({ filters: 4, kernelSize: 1, groups: 2 });
    assert.throws(
      () => g.apply(tensor(new Float32Array(3), { shape: [1, 1, 1, 3] })),
      /input channels \(3\) must be divisible by groups \(2\)/,
    );
  });
});
