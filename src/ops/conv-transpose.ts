// ops/conv-transpose: the transposed ("deconvolution") 2-D convolution, the adjoint of conv2d with
// respect to its input: one GEMM x @ kernel^T into patch rows, then col2im sums the patches into
// the upsampled output. Its gradients follow from matmul's and col2im's (which is im2col).
// Shape letters: N batch, H/W input grid, C input channels, F filters, OH/OW output grid.

import type { WindowGeometry } from "../backend/kernels.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { add } from "./binary.js";
import { applyEpilogue, type ConvOptions } from "./conv.js";
import { matmul } from "./linalg.js";
import { type TensorLike, toTensor } from "./operand.js";
import { reshape } from "./shape.js";
import { col2im, requireChannelsLast, spatialTuple } from "./window.js";

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
  const padding = options.padding ?? "valid";
  if (padding !== "valid" && padding !== "same")
    throw new ValueError(`${op}: padding must be "valid" or "same" (got ${JSON.stringify(padding)})`);
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
  // (N * H * W, C) @ (KH * KW * F, C)^T = patch rows (N * H * W, KH * KW * F), ordered (kh, kw, f)
  const patches = matmul(reshape(x, [N * H * W, C]), reshape(w, [KH * KW * F, C]), { transposeB: true });
  let y = col2im(patches, g);
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
