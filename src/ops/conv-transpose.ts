// ops/conv-transpose: the transposed ("deconvolution") 2-D convolution, the adjoint of conv2d with
// respect to its input: the input-gradient pass of the fused conv kernel (conv2dBackward: x @
// kernel^T into patch rows summed back, blockwise, into the upsampled output). Its gradients are
// the other two passes: conv2d of dy for x, and conv2dBackward's kernel gradient for the kernel.
// Shape letters: N batch, H/W input grid, C input channels, F filters, OH/OW output grid.

import { record } from "../autograd/backward.js";
import type { ConvParams, WindowGeometry } from "../backend/kernels.js";
import { kernels } from "../backend/registry.js";
import { allocate, type FloatArray } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { add } from "./binary.js";
import { type ConvOptions, getConvAlgorithm } from "./conv.js";
import { applyEpilogue, matmul } from "./linalg.js";
import { type TensorLike, toTensor } from "./operand.js";
import { reshape } from "./shape.js";
import { col2im, requireChannelsLast, spatialTuple, validOrSamePadding } from "./window.js";

export interface ConvTransposeOptions extends ConvOptions {
  /** Extra rows/columns on the bottom/right of the output, each < its stride (Keras outputPadding). */
  outputPadding?: number | readonly number[] | null;
}

/**
 * Output length along one axis, Keras's deconv_output_length (span = dilated kernel size):
 * without outputPadding, "valid" gives size * stride + max(span - stride, 0) and "same" size * stride;
 * with it, (size - 1) * stride + span - 2 * pad + outputPadding, pad = 0 ("valid") or span // 2 ("same").
 */
export function transposedLength(
  size: number,
  span: number,
  stride: number,
  padding: "valid" | "same",
  outputPadding: number | null,
): number {
  if (outputPadding === null)
    return padding === "valid" ? size * stride + Math.max(span - stride, 0) : size * stride;
  const pad = padding === "valid" ? 0 : Math.floor(span / 2);
  return (size - 1) * stride + span - 2 * pad + outputPadding;
}

/**
 * The input gradient of the conv2d with geometry g (input (N, OH, OW, F), output grid (H, W), C
 * filters, kernel (KH, KW, F, C)) at dy = x, with its own gradient rule.
 */
function transposedConv(x: Tensor, w: Tensor, g: WindowGeometry): Tensor {
  const C = x.shape[3]!;
  const params: ConvParams = { geometry: g, filters: C, activation: "none", algorithm: getConvAlgorithm() };
  const xd = x.data as FloatArray;
  const wd = w.data as FloatArray;
  const out = allocate(x.dtype, g.batch * g.inH * g.inW * g.channels) as FloatArray;
  // with no kernel gradient and no activation the kernel reads neither its x nor its y: out stands in
  kernels().conv2dBackward(out, wd, xd, xd, out, null, null, params);
  const y = new Tensor(out, [g.batch, g.inH, g.inW, g.channels]);
  return record(
    "conv2dTranspose",
    y,
    [x, w],
    (dy) => {
      const dyd = dy.data as FloatArray;
      let dx: Tensor | null = null;
      if (x.requiresGrad) {
        const data = allocate(x.dtype, x.size) as FloatArray;
        kernels().conv2d(dyd, wd, null, data, params);
        dx = new Tensor(data, x.shape);
      }
      let dw: Tensor | null = null;
      if (w.requiresGrad) {
        const data = allocate(x.dtype, w.size) as FloatArray;
        kernels().conv2dBackward(dyd, wd, xd, xd, null, data, null, params);
        dw = new Tensor(data, w.shape);
      }
      return [dx, dw];
    },
    ([xIn, wIn]) => transposedComposed(xIn!, wIn!, g),
  );
}

/**
 * transposedConv in recorded ops: the conv2d's input gradient col2im(x (R, C) @ kernel (K F, C)^T),
 * the form a second derivative goes through.
 */
function transposedComposed(x: Tensor, w: Tensor, g: WindowGeometry): Tensor {
  const [KH, KW, F, C] = w.shape as [number, number, number, number];
  const rows = reshape(x, [g.batch * g.outH * g.outW, C]);
  return col2im(matmul(rows, reshape(w, [KH * KW * F, C]), { transposeB: true }), g);
}

/**
 * Transposed 2-D convolution of x (N, H, W, C) with kernel (KH, KW, F, C) (Keras's layout), giving
 * (N, OH, OW, F). With "same" padding and no outputPadding, OH = H * stride.
 * @example
 * conv2dTranspose(randn([1, 4, 4, 8]), randn([3, 3, 2, 8]), { strides: 2, padding: "same" }); // [1, 8, 8, 2]
 */
export function conv2dTranspose(
  input: TensorLike,
  kernelInput: TensorLike,
  options: ConvTransposeOptions = {},
): Tensor {
  const op = "conv2dTranspose";
  const x = toTensor(input);
  const w = toTensor(kernelInput);
  requireChannelsLast(op, x, 4);
  if (w.dtype !== x.dtype)
    throw new DTypeError(`${op}: kernel dtype ${w.dtype} differs from x dtype ${x.dtype}`);
  const [N, H, W, C] = x.shape as [number, number, number, number];
  if (w.rank !== 4 || w.shape[3] !== C) {
    throw new ShapeError(
      `${op}: expected a kernel of shape (KH, KW, F, ${C}) for x ${formatShape(x.shape)} (got ${formatShape(w.shape)})`,
    );
  }
  const [KH, KW, F] = w.shape as [number, number, number];
  const padding = validOrSamePadding(op, options.padding);
  const strides = spatialTuple(op, "strides", options.strides ?? 1, 2);
  const dilation = spatialTuple(op, "dilationRate", options.dilationRate ?? 1, 2);
  const extra =
    options.outputPadding === undefined || options.outputPadding === null
      ? null
      : typeof options.outputPadding === "number"
        ? [options.outputPadding, options.outputPadding]
        : [...options.outputPadding];
  if (
    extra !== null &&
    (extra.length !== 2 || extra.some((e, i) => !Number.isInteger(e) || e < 0 || e >= strides[i]!))
  ) {
    throw new ValueError(
      `${op}: outputPadding must be non-negative integers smaller than the strides [${strides.join(",")}] (got [${extra.join(",")}])`,
    );
  }
  const spans = [(KH - 1) * dilation[0]! + 1, (KW - 1) * dilation[1]! + 1];
  const outSize = [H, W].map((size, i) =>
    transposedLength(size, spans[i]!, strides[i]!, padding, extra === null ? null : extra[i]!),
  );
  if (outSize.some((s) => s < 1))
    throw new ShapeError(`${op}: output size [${outSize.join(",")}] is empty for x ${formatShape(x.shape)}`);
  // the conv2d whose input gradient this is: input (OH, OW, F), output grid (H, W), TensorFlow's padding
  const padBefore = [H, W].map((size, i) =>
    padding === "valid" ? 0 : Math.floor(Math.max((size - 1) * strides[i]! + spans[i]! - outSize[i]!, 0) / 2),
  );
  const g: WindowGeometry = {
    batch: N,
    inH: outSize[0]!,
    inW: outSize[1]!,
    channels: F,
    kernelH: KH,
    kernelW: KW,
    strideH: strides[0]!,
    strideW: strides[1]!,
    dilationH: dilation[0]!,
    dilationW: dilation[1]!,
    padTop: padBefore[0]!,
    padLeft: padBefore[1]!,
    outH: H,
    outW: W,
  };
  let y = transposedConv(x, w, g);
  if (options.bias !== undefined && options.bias !== null) {
    const bias = toTensor(options.bias);
    if (bias.dtype !== x.dtype || bias.rank !== 1 || bias.size !== F) {
      throw new ShapeError(
        `${op}: bias must be a ${x.dtype} tensor of shape [${F}] (got ${bias.dtype} ${formatShape(bias.shape)})`,
      );
    }
    y = add(y, bias);
  }
  return applyEpilogue(y, options.activation ?? "none");
}
