// io/onnx/export-conv: ONNX exporters of the convolution family (Conv1D, Conv2D, Conv2DTranspose,
// DepthwiseConv2D, SeparableConv2D), pooling, global pooling, ZeroPadding2D, Cropping2D and
// UpSampling2D. ONNX convolves channels-first (N, C, ...spatial), so a channels_last layer is
// wrapped in two Transposes (onnxruntime's optimizer cancels the pairs between adjacent layers).
// Kernels are re-laid out here: Keras (...k, in, out) -> ONNX (out, in, ...k). Layer: io.
import type { BaseConv } from "../../nn/layers/base-conv.js";
import type { BaseGlobalPooling } from "../../nn/layers/base-global-pooling.js";
import type { BasePooling } from "../../nn/layers/base-pooling.js";
import type { Conv } from "../../nn/layers/conv.js";
import type { DataFormat } from "../../nn/layers/conv-utils.js";
import type { Conv2DTranspose } from "../../nn/layers/conv2d-transpose.js";
import type { Cropping2D } from "../../nn/layers/cropping2d.js";
import type { DepthwiseConv2D } from "../../nn/layers/depthwise-conv2d.js";
import type { SeparableConv2D } from "../../nn/layers/separable-conv2d.js";
import type { UpSampling2D } from "../../nn/layers/up-sampling2d.js";
import type { ZeroPadding2D } from "../../nn/layers/zero-padding2d.js";
import { reshape, transpose } from "../../ops/index.js";
import type { AttrValue, OnnxGraph } from "./graph-builder.js";
import { emitActivation, type LayerExporter, optionalWeight, weightOf } from "./layer-exporter.js";

/** (N, ...spatial, C) -> (N, C, ...spatial) for channels_last; as is otherwise. */
function toChannelsFirst(g: OnnxGraph, x: string, rank: number, format: DataFormat, scope: string): string {
  if (format === "channels_first") return x;
  return g.transpose(x, [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)], scope);
}

/** (N, C, ...spatial) -> (N, ...spatial, C) for channels_last; as is otherwise. */
function fromChannelsFirst(g: OnnxGraph, y: string, rank: number, format: DataFormat, scope: string): string {
  if (format === "channels_first") return y;
  return g.transpose(y, [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1], scope);
}

/** Keras (...k, A, B) kernel -> ONNX (B, A, ...k). */
function kernelToOnnx(g: OnnxGraph, name: string, kernel: ReturnType<typeof weightOf>): string {
  const r = kernel.rank;
  const perm = [r - 1, r - 2, ...Array.from({ length: r - 2 }, (_, i) => i)];
  return g.weight(name, transpose(kernel, perm));
}

/** The padding attributes of a conv or pool: explicit zeros, TensorFlow's "same", or causal. */
function paddingAttrs(layer: BaseConv | BasePooling, kernel: readonly number[]): Record<string, AttrValue> {
  if (layer.padding === "same") return { auto_pad: "SAME_UPPER" };
  if (layer.padding === "causal") {
    const dilation = (layer as BaseConv).dilationRate[0]!;
    return { pads: [(kernel[0]! - 1) * dilation, 0] };
  }
  return { pads: new Array<number>(2 * kernel.length).fill(0) };
}

/** Conv (+ bias) + activation for Conv1D / Conv2D (grouped too). */
const convExporter: LayerExporter = ({ g, layer: l, inputs }) => {
  const layer = l as Conv;
  const scope = layer.name;
  const rank = layer.rank + 2;
  const x = toChannelsFirst(g, inputs[0]!, rank, layer.dataFormat, scope);
  const args = [x, kernelToOnnx(g, `${scope}/kernel`, weightOf(layer, "kernel"))];
  const bias = optionalWeight(layer, "bias");
  if (bias !== null) args.push(g.weight(`${scope}/bias`, bias));
  const y = g.op(
    "Conv",
    args,
    {
      kernel_shape: layer.kernelSize,
      strides: layer.strides,
      dilations: layer.dilationRate,
      group: layer.groups,
      ...paddingAttrs(layer, layer.kernelSize),
    },
    scope,
  );
  return [
    fromChannelsFirst(g, emitActivation(g, layer, layer.activation, y, scope), rank, layer.dataFormat, scope),
  ];
};

/** The depthwise part: (KH, KW, C, M) -> Conv with group C and kernel (C*M, 1, KH, KW). */
function depthwise(g: OnnxGraph, layer: BaseConv, x: string, kernel: ReturnType<typeof weightOf>): string {
  const [kh, kw, channels, multiplier] = kernel.shape as [number, number, number, number];
  const w = reshape(transpose(kernel, [2, 3, 0, 1]), [channels * multiplier, 1, kh, kw]);
  return g.op(
    "Conv",
    [x, g.weight(`${layer.name}/depthwise_kernel`, w)],
    {
      kernel_shape: layer.kernelSize,
      strides: layer.strides,
      dilations: layer.dilationRate,
      group: channels,
      ...paddingAttrs(layer, layer.kernelSize),
    },
    layer.name,
  );
}

function withBias(g: OnnxGraph, layer: BaseConv, y: string): string {
  const bias = optionalWeight(layer, "bias");
  if (bias === null) return y;
  // (F) -> (F, 1, 1) so it broadcasts over (N, F, H, W)
  return g.op("Add", [y, g.weight(`${layer.name}/bias`, bias, [bias.size, 1, 1])], {}, layer.name);
}

/** Global max/mean over the spatial axes. */
const globalPool: LayerExporter = ({ g, layer: l, inputs, inputShapes }) => {
  const layer = l as BaseGlobalPooling;
  const rank = inputShapes[0]!.length;
  const axes =
    layer.dataFormat === "channels_last"
      ? Array.from({ length: rank - 2 }, (_, i) => i + 1)
      : Array.from({ length: rank - 2 }, (_, i) => i + 2);
  const op = layer.className.startsWith("GlobalMax") ? "ReduceMax" : "ReduceMean";
  return [g.op(op, [inputs[0]!], { axes, keepdims: layer.keepdims ? 1 : 0 }, layer.name)];
};

/** MaxPool / AveragePool (padding never counted in an average, as Keras). */
function pool(op: "MaxPool" | "AveragePool"): LayerExporter {
  return ({ g, layer: l, inputs }) => {
    const layer = l as BasePooling;
    const rank = layer.rank + 2;
    const x = toChannelsFirst(g, inputs[0]!, rank, layer.dataFormat, layer.name);
    const y = g.op(
      op,
      [x],
      { kernel_shape: layer.poolSize, strides: layer.strides, ...paddingAttrs(layer, layer.poolSize) },
      layer.name,
    );
    return [fromChannelsFirst(g, y, rank, layer.dataFormat, layer.name)];
  };
}

export const convExporters: Record<string, LayerExporter> = {
  Conv1D: convExporter,
  Conv2D: convExporter,
  Conv2DTranspose: ({ g, layer: l, inputs }) => {
    const layer = l as Conv2DTranspose;
    const scope = layer.name;
    const x = toChannelsFirst(g, inputs[0]!, 4, layer.dataFormat, scope);
    // Keras (KH, KW, F, C) -> ONNX ConvTranspose (C, F, KH, KW)
    const w = g.weight(`${scope}/kernel`, transpose(weightOf(layer, "kernel"), [3, 2, 0, 1]));
    // Tessera's output size, written as ONNX pads (cropped rows) or output_padding (added rows)
    const pads = [0, 0, 0, 0];
    const outputPadding = [0, 0];
    for (let i = 0; i < 2; i++) {
      const s = layer.strides[i]!;
      const span = (layer.kernelSize[i]! - 1) * layer.dilationRate[i]! + 1;
      const extra = layer.outputPadding?.[i] ?? null;
      // crop = (size - 1) s + span - outSize, which does not depend on size
      let crop: number;
      if (extra === null) crop = layer.padding === "valid" ? Math.min(span - s, 0) : span - s;
      else crop = 2 * (layer.padding === "valid" ? 0 : Math.floor(span / 2)) - extra;
      if (crop >= 0) {
        pads[i] = Math.floor(crop / 2);
        pads[i + 2] = crop - Math.floor(crop / 2);
      } else outputPadding[i] = -crop;
    }
    const args = [x, w];
    const bias = optionalWeight(layer, "bias");
    if (bias !== null) args.push(g.weight(`${scope}/bias`, bias));
    const y = g.op(
      "ConvTranspose",
      args,
      {
        kernel_shape: layer.kernelSize,
        strides: layer.strides,
        dilations: layer.dilationRate,
        pads,
        output_padding: outputPadding,
      },
      scope,
    );
    return [
      fromChannelsFirst(g, emitActivation(g, layer, layer.activation, y, scope), 4, layer.dataFormat, scope),
    ];
  },
  DepthwiseConv2D: ({ g, layer: l, inputs }) => {
    const layer = l as DepthwiseConv2D;
    const x = toChannelsFirst(g, inputs[0]!, 4, layer.dataFormat, layer.name);
    const y = withBias(g, layer, depthwise(g, layer, x, weightOf(layer, "kernel")));
    const activated = emitActivation(g, layer, layer.activation, y, layer.name);
    return [fromChannelsFirst(g, activated, 4, layer.dataFormat, layer.name)];
  },
  SeparableConv2D: ({ g, layer: l, inputs }) => {
    const layer = l as SeparableConv2D;
    const scope = layer.name;
    const x = toChannelsFirst(g, inputs[0]!, 4, layer.dataFormat, scope);
    const d = depthwise(g, layer, x, weightOf(layer, "depthwise_kernel"));
    const pointwise = kernelToOnnx(g, `${scope}/pointwise_kernel`, weightOf(layer, "pointwise_kernel"));
    const y = withBias(g, layer, g.op("Conv", [d, pointwise], { kernel_shape: [1, 1] }, scope));
    return [
      fromChannelsFirst(g, emitActivation(g, layer, layer.activation, y, scope), 4, layer.dataFormat, scope),
    ];
  },
  MaxPooling1D: pool("MaxPool"),
  MaxPooling2D: pool("MaxPool"),
  AveragePooling1D: pool("AveragePool"),
  AveragePooling2D: pool("AveragePool"),
  GlobalMaxPooling1D: globalPool,
  GlobalMaxPooling2D: globalPool,
  GlobalAveragePooling1D: globalPool,
  GlobalAveragePooling2D: globalPool,
  ZeroPadding2D: ({ g, layer: l, inputs }) => {
    const layer = l as ZeroPadding2D;
    const [[top, bottom], [left, right]] = layer.padding;
    const pads =
      layer.dataFormat === "channels_last"
        ? [0, top, left, 0, 0, bottom, right, 0]
        : [0, 0, top, left, 0, 0, bottom, right];
    return [g.op("Pad", [inputs[0]!, g.ints(pads)], {}, layer.name)];
  },
  Cropping2D: ({ g, layer: l, inputs, inputShapes }) => {
    const layer = l as Cropping2D;
    const [[top, bottom], [left, right]] = layer.cropping;
    const axes = layer.dataFormat === "channels_last" ? [1, 2] : [2, 3];
    const sizes = axes.map((a) => inputShapes[0]![a] ?? null);
    // a negative end counts from the end; a zero crop runs to the end
    const end = (crop: number, size: number | null) => (crop > 0 ? -crop : (size ?? 2 ** 62));
    const ends = [end(bottom, sizes[0]!), end(right, sizes[1]!)];
    return [g.op("Slice", [inputs[0]!, g.ints([top, left]), g.ints(ends), g.ints(axes)], {}, layer.name)];
  },
  UpSampling2D: ({ g, layer: l, inputs }) => {
    const layer = l as UpSampling2D;
    const x = toChannelsFirst(g, inputs[0]!, 4, layer.dataFormat, layer.name);
    const scales = g.floatInitializer(
      `${layer.name}/scales`,
      Float32Array.of(1, 1, layer.size[0]!, layer.size[1]!),
      [4],
    );
    const attrs: Record<string, AttrValue> =
      layer.interpolation === "nearest"
        ? { mode: "nearest", coordinate_transformation_mode: "asymmetric", nearest_mode: "floor" }
        : { mode: "linear", coordinate_transformation_mode: "half_pixel" };
    const y = g.op("Resize", [x, "", scales], attrs, layer.name);
    return [fromChannelsFirst(g, y, 4, layer.dataFormat, layer.name)];
  },
};
