// ops/pool: channels-last max and average pooling, 1-D and 2-D. One kernel forward; the max-pool
// gradient routes dy to the argmax the forward kernel recorded, the average-pool gradient spreads
// dy evenly over each window's taps inside the input (padding is never counted, as in Keras).
// Shape letters: N batch, H/W spatial, C channels, OH/OW pooled grid.

import { record } from "../autograd/backward.js";
import { noGrad } from "../autograd/mode.js";
import type { WindowGeometry } from "../backend/kernels.js";
import { kernels } from "../backend/registry.js";
import { allocate, allocateUninit, type FloatArray } from "../core/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { div } from "./binary.js";
import { greater, where } from "./compare.js";
import { type TensorLike, toTensor } from "./operand.js";
import { max, sum } from "./reduce.js";
import { reshape } from "./shape.js";
import {
  type AxisWindow,
  axisWindow,
  im2col,
  makeGeometry,
  requireChannelsLast,
  spatialTuple,
  validOrSamePadding,
} from "./window.js";

export interface PoolOptions {
  /** Step of the window per spatial axis (default: the pool size). */
  strides?: number | readonly number[] | null;
  /** "valid" (default) or "same". */
  padding?: "valid" | "same";
}

type PoolKind = "maxPool" | "avgPool";

function geometry2d(
  op: string,
  x: Tensor,
  poolSize: number | readonly number[],
  options: PoolOptions,
): WindowGeometry {
  const padding = validOrSamePadding(op, options.padding);
  const size = spatialTuple(op, "poolSize", poolSize, 2);
  const strides = spatialTuple(op, "strides", options.strides ?? size, 2);
  const rows = axisWindow(op, x.shape[1]!, size[0]!, strides[0]!, 1, padding);
  const cols = axisWindow(op, x.shape[2]!, size[1]!, strides[1]!, 1, padding);
  return makeGeometry(x.shape, [size[0]!, size[1]!], strides, [1, 1], rows, cols);
}

/** Runs one pooling kernel on x (N, H, W, C) and records its gradient. */
function pool(kind: PoolKind, x: Tensor, g: WindowGeometry): Tensor {
  const out = allocateUninit(x.dtype, g.batch * g.outH * g.outW * g.channels) as FloatArray;
  // max pooling records the argmax its gradient routes dy to
  const argmax = kind === "maxPool" ? allocateUninit("int32", out.length) : null;
  if (argmax !== null) kernels().maxPool(x.data as FloatArray, g, out, argmax);
  else kernels().avgPool(x.data as FloatArray, g, out);
  const y = new Tensor(out, [g.batch, g.outH, g.outW, g.channels]);
  return record(
    kind,
    y,
    [x],
    (dy) => {
      // the adjoint kernels overwrite dx entirely (zeros where no window reaches)
      const dx = allocateUninit(dy.dtype, x.size) as FloatArray;
      if (argmax !== null) kernels().maxPoolBackward(dy.data as FloatArray, argmax, g, dx);
      else kernels().avgPoolBackward(dy.data as FloatArray, g, dx);
      return [new Tensor(dx, x.shape)];
    },
    ([input]) => composedPool(kind, input!, g),
  );
}

/**
 * Pooling in recorded ops over the im2col taps (N, OH OW, K, C): the form a second derivative goes
 * through. Taps in the padding are excluded: masked to the lowest value for max, left out of the
 * count for the mean (Keras).
 */
function composedPool(kind: PoolKind, x: Tensor, g: WindowGeometry): Tensor {
  const K = g.kernelH * g.kernelW;
  const cells = g.outH * g.outW;
  const taps = reshape(im2col(x, g), [g.batch, cells, K, g.channels]);
  // (OH OW, K, 1): 1 where a tap falls inside the input
  const inside = noGrad(() => {
    const ones = new Tensor(allocate(x.dtype, g.inH * g.inW).fill(1), [1, g.inH, g.inW, 1]);
    return reshape(im2col(ones, { ...g, batch: 1, channels: 1 }), [cells, K, 1]);
  });
  const y =
    kind === "maxPool"
      ? max(
          where(greater(inside, 0), taps, x.dtype === "float64" ? -Number.MAX_VALUE : -3.4028234663852886e38),
          2,
        )
      : div(sum(taps, 2), sum(inside, 1));
  return reshape(y, [g.batch, g.outH, g.outW, g.channels]);
}

function pool2d(
  kind: PoolKind,
  op: string,
  input: TensorLike,
  poolSize: number | readonly number[],
  options: PoolOptions,
): Tensor {
  const x = toTensor(input);
  requireChannelsLast(op, x, 4);
  return pool(kind, x, geometry2d(op, x, poolSize, options));
}

function pool1d(
  kind: PoolKind,
  op: string,
  input: TensorLike,
  poolSize: number | readonly number[],
  options: PoolOptions,
): Tensor {
  const x = toTensor(input);
  requireChannelsLast(op, x, 3);
  const padding = validOrSamePadding(op, options.padding);
  const size = spatialTuple(op, "poolSize", poolSize, 1)[0]!;
  const stride = spatialTuple(op, "strides", options.strides ?? size, 1)[0]!;
  const [N, W, C] = x.shape as [number, number, number];
  const single: AxisWindow = { outSize: 1, padBefore: 0 };
  const cols = axisWindow(op, W, size, stride, 1, padding);
  const x4 = reshape(x, [N, 1, W, C]);
  const y = pool(kind, x4, makeGeometry(x4.shape, [1, size], [1, stride], [1, 1], single, cols));
  return reshape(y, [N, cols.outSize, C]);
}

/**
 * Max over poolSize windows of x (N, H, W, C); strides default to the pool size.
 * @example
 * maxPool2d(randn([8, 28, 28, 32]), 2).shape; // [8, 14, 14, 32]
 */
export function maxPool2d(
  input: TensorLike,
  poolSize: number | readonly number[],
  options: PoolOptions = {},
): Tensor {
  return pool2d("maxPool", "maxPool2d", input, poolSize, options);
}

/** Mean over poolSize windows of x (N, H, W, C), counting only taps inside the input. */
export function avgPool2d(
  input: TensorLike,
  poolSize: number | readonly number[],
  options: PoolOptions = {},
): Tensor {
  return pool2d("avgPool", "avgPool2d", input, poolSize, options);
}

/** Max over windows of x (N, W, C) along W. */
export function maxPool1d(
  input: TensorLike,
  poolSize: number | readonly number[],
  options: PoolOptions = {},
): Tensor {
  return pool1d("maxPool", "maxPool1d", input, poolSize, options);
}

/** Mean over windows of x (N, W, C) along W, counting only taps inside the input. */
export function avgPool1d(
  input: TensorLike,
  poolSize: number | readonly number[],
  options: PoolOptions = {},
): Tensor {
  return pool1d("avgPool", "avgPool1d", input, poolSize, options);
}
