// ops/window: sliding-window geometry shared by convolution and pooling (output sizes and padding
// for "valid", "same" and "causal"), and the im2col / col2im ops, each the other's gradient.
// Shape letters: N batch, H height, W width, C channels, K = KH * KW kernel taps, OH/OW output grid.

import { record } from "../autograd/backward.js";
import type { WindowGeometry } from "../backend/kernels.js";
import { kernels } from "../backend/registry.js";
import { allocate, allocateUninit, type FloatArray } from "../core/dtype.js";
import { ShapeError, ValueError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { requireFloat } from "./operand.js";

/** How a window treats the border: "valid" (no padding), "same" (output = ceil(in / stride)), "causal" (1-D: pad the start only). */
export type WindowPadding = "valid" | "same" | "causal";

/** One spatial axis of a window: its output size and the padding before the first input element. */
export interface AxisWindow {
  outSize: number;
  padBefore: number;
}

/** A size-n tuple from a number or a list of n positive integers (strides, dilation, pool sizes). */
export function spatialTuple(
  op: string,
  key: string,
  value: number | readonly number[],
  n: number,
): number[] {
  const list = typeof value === "number" ? new Array<number>(n).fill(value) : [...value];
  if (list.length !== n || !list.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new ValueError(
      `${op}: ${key} must be a positive integer or a list of ${n} (got ${Array.isArray(value) ? `[${value.join(",")}]` : String(value)})`,
    );
  }
  return list;
}

/** options.padding for an op that takes only "valid" (the default) or "same". */
export function validOrSamePadding(op: string, padding: WindowPadding | undefined): "valid" | "same" {
  const value = padding ?? "valid";
  if (value !== "valid" && value !== "same")
    throw new ValueError(`${op}: padding must be "valid" or "same" (got ${JSON.stringify(value)})`);
  return value;
}

/**
 * Output size and leading padding of one axis. "same" pads max((out - 1) * stride + span - size, 0)
 * in total, the smaller half before (TensorFlow's rule); span = (kernel - 1) * dilation + 1.
 */
export function axisWindow(
  op: string,
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: WindowPadding,
): AxisWindow {
  const span = (kernel - 1) * dilation + 1;
  if (padding === "same") {
    const outSize = Math.ceil(size / stride);
    const total = Math.max((outSize - 1) * stride + span - size, 0);
    return { outSize, padBefore: Math.floor(total / 2) };
  }
  if (padding === "causal") return { outSize: Math.floor((size - 1) / stride) + 1, padBefore: span - 1 };
  if (padding !== "valid") {
    throw new ValueError(
      `${op}: padding must be "valid", "same" or "causal" (got ${JSON.stringify(padding)})`,
    );
  }
  if (size < span) {
    throw new ShapeError(
      `${op}: input size ${size} is smaller than the window (${kernel} taps, dilation ${dilation}) with "valid" padding`,
    );
  }
  return { outSize: Math.floor((size - span) / stride) + 1, padBefore: 0 };
}

/** Window geometry over x (N, H, W, C) from per-axis windows. */
export function makeGeometry(
  xShape: readonly number[],
  kernel: readonly [number, number],
  strides: readonly number[],
  dilation: readonly number[],
  rows: AxisWindow,
  cols: AxisWindow,
): WindowGeometry {
  return {
    batch: xShape[0]!,
    inH: xShape[1]!,
    inW: xShape[2]!,
    channels: xShape[3]!,
    kernelH: kernel[0],
    kernelW: kernel[1],
    strideH: strides[0]!,
    strideW: strides[1]!,
    dilationH: dilation[0]!,
    dilationW: dilation[1]!,
    padTop: rows.padBefore,
    padLeft: cols.padBefore,
    outH: rows.outSize,
    outW: cols.outSize,
  };
}

/** Checks that x is a float tensor of rank `rank` (channels-last, batch first). */
export function requireChannelsLast(op: string, x: Tensor, rank: number): void {
  requireFloat(op, x);
  const names = rank === 3 ? "(batch, width, channels)" : "(batch, height, width, channels)";
  if (x.rank !== rank)
    throw new ShapeError(`${op}: expected x of rank ${rank} ${names} (got ${formatShape(x.shape)})`);
}

/** Patch rows of x (N, H, W, C): (N * OH * OW, KH * KW * C). Gradient: col2im. */
export function im2col(x: Tensor, g: WindowGeometry): Tensor {
  requireChannelsLast("im2col", x, 4);
  const rowLength = g.kernelH * g.kernelW * g.channels;
  const rows = g.batch * g.outH * g.outW;
  const out = allocateUninit(x.dtype, rows * rowLength) as FloatArray;
  kernels().im2col(x.data as FloatArray, g, out);
  const y = new Tensor(out, [rows, rowLength]);
  return record("im2col", y, [x], (dy) => [col2im(dy, g)]);
}

/** The adjoint of im2col: patch rows (N * OH * OW, KH * KW * C) summed back into (N, H, W, C). Gradient: im2col. */
export function col2im(cols: Tensor, g: WindowGeometry): Tensor {
  requireFloat("col2im", cols);
  const rowLength = g.kernelH * g.kernelW * g.channels;
  const rows = g.batch * g.outH * g.outW;
  if (cols.rank !== 2 || cols.shape[0] !== rows || cols.shape[1] !== rowLength) {
    throw new ShapeError(
      `col2im: expected cols of shape [${rows},${rowLength}] (got ${formatShape(cols.shape)})`,
    );
  }
  const out = allocate(cols.dtype, g.batch * g.inH * g.inW * g.channels) as FloatArray;
  kernels().col2im(cols.data as FloatArray, g, out);
  const y = new Tensor(out, [g.batch, g.inH, g.inW, g.channels]);
  return record("col2im", y, [cols], (dy) => [im2col(dy, g)]);
}
