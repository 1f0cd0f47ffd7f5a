// ops/conv: channels-last convolutions. An ungrouped convolution is one fused kernel (conv2d: patch
// rows times the kernel matrix, bias and activation, without materialising the patch matrix where
// the backend can) with one gradient rule (conv2dBackward); a depthwise one (one input channel per
// group) likewise (depthwiseConv2d). A 1x1 stride-1 ungrouped convolution is a plain linear over
// pixels, and other grouped convolutions are im2col followed by a batched GEMM with one batch per
// group, their gradients following from im2col (col2im), matmul and transpose.
// Shape letters: N batch, H/W spatial, C input channels, F filters (output channels), G groups,
// K = KH * KW kernel taps, R = N * OH * OW patch rows.

import { record } from "../autograd/backward.js";
import type { ConvAlgorithm, ConvParams, EpilogueActivation, WindowGeometry } from "../backend/kernels.js";
import { kernels } from "../backend/registry.js";
import { allocate, allocateUninit, type FloatArray } from "../core/dtype.js";
import { envVariable, hostWarning } from "../core/env.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { add } from "./binary.js";
import { applyEpilogue, linear, matmul } from "./linalg.js";
import { type TensorLike, toTensor } from "./operand.js";
import { reshape, transpose } from "./shape.js";
import {
  type AxisWindow,
  axisWindow,
  im2col,
  makeGeometry,
  requireChannelsLast,
  spatialTuple,
  type WindowPadding,
} from "./window.js";

export interface ConvOptions {
  /** Step of the window per spatial axis (default 1). */
  strides?: number | readonly number[];
  /** "valid" (default) or "same"; conv1d also takes "causal". */
  padding?: WindowPadding;
  /** Spacing between kernel taps per spatial axis (default 1). */
  dilationRate?: number | readonly number[];
  /** Added to every output position, shape [F]. */
  bias?: TensorLike | null;
  /** Applied last; "relu", "sigmoid" and "tanh" are fused into the GEMM for ungrouped convolutions. */
  activation?: EpilogueActivation;
}

const ALGORITHMS: readonly ConvAlgorithm[] = ["auto", "measure", "gemm", "direct"];

/** TESSERA_CONV_ALGORITHM, or "auto" when unset; an unknown value warns once and means "auto". */
function envAlgorithm(): ConvAlgorithm {
  const value = envVariable("TESSERA_CONV_ALGORITHM");
  if (value === undefined) return "auto";
  const known = ALGORITHMS.find((a) => a === value);
  if (known !== undefined) return known;
  hostWarning(
    `TESSERA_CONV_ALGORITHM: expected one of ${ALGORITHMS.join(", ")} (got ${JSON.stringify(value)}); using "auto"`,
    "TESSERA_CONV_ALGORITHM",
  );
  return "auto";
}

let convAlgorithm: ConvAlgorithm = envAlgorithm();

/**
 * Chooses how fused convolutions run on backends with several algorithms: "auto" (default; a fixed
 * per-shape rule, so runs reproduce exactly), "measure" (the backend times both algorithms for each
 * pass and shape on first use and keeps the faster), or "gemm" / "direct" forced for every pass
 * (tests cover both paths this way). TESSERA_CONV_ALGORITHM sets the starting value.
 */
export function setConvAlgorithm(algorithm: ConvAlgorithm): void {
  if (!ALGORITHMS.includes(algorithm)) {
    throw new ValueError(
      `setConvAlgorithm: expected one of ${ALGORITHMS.join(", ")} (got ${JSON.stringify(algorithm)})`,
    );
  }
  convAlgorithm = algorithm;
}

/** The convolution algorithm setting (see setConvAlgorithm). */
export function getConvAlgorithm(): ConvAlgorithm {
  return convAlgorithm;
}

/**
 * y = activation(conv(x, w) + bias) as one kernel, with one gradient rule: ungrouped (conv2d
 * kernels) or depthwise (groups = C, kernel (KH, KW, 1, C * M): the depthwiseConv2d kernels).
 */
function fusedConv(
  x: Tensor,
  w: Tensor,
  g: WindowGeometry,
  bias: Tensor | null,
  activation: EpilogueActivation,
  depthwise: boolean,
): Tensor {
  const F = w.shape[3]!;
  const params: ConvParams = { geometry: g, filters: F, activation, algorithm: convAlgorithm };
  const out = allocateUninit(x.dtype, g.batch * g.outH * g.outW * F) as FloatArray;
  const forward = depthwise ? kernels().depthwiseConv2d : kernels().conv2d;
  forward(x.data as FloatArray, w.data as FloatArray, bias ? (bias.data as FloatArray) : null, out, params);
  const y = new Tensor(out, [g.batch, g.outH, g.outW, F]);
  const inputs = bias ? [x, w, bias] : [x, w];
  return record(
    depthwise ? "depthwiseConv2d" : "conv2d",
    y,
    inputs,
    (dy) => {
      const dx = x.requiresGrad ? (allocateUninit(x.dtype, x.size) as FloatArray) : null;
      const dw = w.requiresGrad ? (allocateUninit(x.dtype, w.size) as FloatArray) : null;
      const db = bias?.requiresGrad ? (allocate(x.dtype, F) as FloatArray) : null;
      const backward = depthwise ? kernels().depthwiseConv2dBackward : kernels().conv2dBackward;
      backward(x.data as FloatArray, w.data as FloatArray, out, dy.data as FloatArray, dx, dw, db, params);
      const grads = [dx && new Tensor(dx, x.shape), dw && new Tensor(dw, w.shape)];
      if (bias) grads.push(db && new Tensor(db, [F]));
      return grads;
    },
    ([xIn, wIn, bIn]) => {
      const groups = depthwise ? g.channels : 1;
      return reshape(composedConv(im2col(xIn!, g), wIn!, groups, bIn ?? null, activation), y.shape);
    },
  );
}

/**
 * The convolution over patch rows (R, K * C) in recorded ops, (R, F): one linear for a single group,
 * a batched GEMM with one batch per group otherwise. Also the form a second derivative of the
 * fused kernels goes through.
 */
function composedConv(
  patches: Tensor,
  w: Tensor,
  groups: number,
  bias: Tensor | null,
  activation: EpilogueActivation,
): Tensor {
  const [KH, KW, Cg, F] = w.shape as [number, number, number, number];
  const K = KH * KW;
  if (groups === 1) return linear(patches, reshape(w, [K * Cg, F]), bias, activation);
  const R = patches.shape[0]!;
  const Fg = F / groups;
  // (G, R, K * Cg) @ (G, K * Cg, Fg) = (G, R, Fg), then back to (R, F) with f = group * Fg + j
  const p = reshape(transpose(reshape(patches, [R, K, groups, Cg]), [2, 0, 1, 3]), [groups, R, K * Cg]);
  const wg = reshape(transpose(reshape(w, [K, Cg, groups, Fg]), [2, 0, 1, 3]), [groups, K * Cg, Fg]);
  let y = reshape(transpose(matmul(p, wg), [1, 0, 2]), [R, F]);
  if (bias !== null) y = add(y, bias);
  return applyEpilogue(y, activation);
}

function biasOf(op: string, x: Tensor, options: ConvOptions, filters: number): Tensor | null {
  if (options.bias === undefined || options.bias === null) return null;
  const bias = toTensor(options.bias);
  if (bias.dtype !== x.dtype)
    throw new DTypeError(`${op}: bias dtype ${bias.dtype} differs from x dtype ${x.dtype}`);
  if (bias.rank !== 1 || bias.size !== filters) {
    throw new ShapeError(`${op}: bias must have shape [${filters}] (got ${formatShape(bias.shape)})`);
  }
  return bias;
}

function requireKernel(op: string, x: Tensor, w: Tensor, rank: number, layout: string): void {
  if (w.dtype !== x.dtype)
    throw new DTypeError(`${op}: kernel dtype ${w.dtype} differs from x dtype ${x.dtype}`);
  if (w.rank !== rank)
    throw new ShapeError(`${op}: expected a kernel of rank ${rank} ${layout} (got ${formatShape(w.shape)})`);
}

/**
 * y (N, OH, OW, F) = activation(patches(x) @ kernel + bias) for x (N, H, W, C) and kernel
 * (KH, KW, C / G, F); the group count G = C / kernel.shape[2].
 */
function convolve(
  op: string,
  x: Tensor,
  w: Tensor,
  g: WindowGeometry,
  bias: Tensor | null,
  activation: EpilogueActivation,
): Tensor {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const [KH, KW, Cg, F] = w.shape as [number, number, number, number];
  if (Cg === 0 || C % Cg !== 0) {
    throw new ShapeError(
      `${op}: input channels ${C} are not a multiple of the kernel's input channels ${Cg} (x ${formatShape(x.shape)}, kernel ${formatShape(w.shape)})`,
    );
  }
  const groups = C / Cg;
  if (F % groups !== 0) {
    throw new ShapeError(
      `${op}: filters ${F} are not a multiple of the ${groups} groups (kernel ${formatShape(w.shape)})`,
    );
  }
  const K = KH * KW;
  const pointwise = K === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0;
  if (groups === 1 && !pointwise) return fusedConv(x, w, g, bias, activation, false);
  if (groups > 1 && Cg === 1) return fusedConv(x, w, g, bias, activation, true);
  // (R, K * C), rows ordered (kh, kw, c); a 1x1 stride-1 convolution needs no copy
  const patches = pointwise ? reshape(x, [N * H * W, C]) : im2col(x, g);
  const y = composedConv(patches, w, groups, bias, activation);
  return reshape(y, [N, g.outH, g.outW, F]);
}

/**
 * 2-D convolution (cross-correlation, as in every DL framework) of channels-last x (N, H, W, C)
 * with kernel (KH, KW, C / groups, F); groups = C / kernel.shape[2]. Output (N, OH, OW, F).
 * @example
 * conv2d(randn([8, 28, 28, 1]), randn([3, 3, 1, 32]), { padding: "same" }); // [8, 28, 28, 32]
 */
export function conv2d(input: TensorLike, kernelInput: TensorLike, options: ConvOptions = {}): Tensor {
  const op = "conv2d";
  const x = toTensor(input);
  const w = toTensor(kernelInput);
  requireChannelsLast(op, x, 4);
  requireKernel(op, x, w, 4, "(KH, KW, C / groups, F)");
  const padding = options.padding ?? "valid";
  if (padding === "causal") throw new ValueError(`${op}: "causal" padding is only defined for conv1d`);
  const strides = spatialTuple(op, "strides", options.strides ?? 1, 2);
  const dilation = spatialTuple(op, "dilationRate", options.dilationRate ?? 1, 2);
  const [KH, KW] = w.shape as [number, number];
  const rows = axisWindow(op, x.shape[1]!, KH, strides[0]!, dilation[0]!, padding);
  const cols = axisWindow(op, x.shape[2]!, KW, strides[1]!, dilation[1]!, padding);
  const g = makeGeometry(x.shape, [KH, KW], strides, dilation, rows, cols);
  return convolve(op, x, w, g, biasOf(op, x, options, w.shape[3]!), options.activation ?? "none");
}

/**
 * 1-D convolution of x (N, W, C) with kernel (KW, C / groups, F); padding may be "causal"
 * (output t sees inputs up to t only). Output (N, OW, F).
 */
export function conv1d(input: TensorLike, kernelInput: TensorLike, options: ConvOptions = {}): Tensor {
  const op = "conv1d";
  const x = toTensor(input);
  const w = toTensor(kernelInput);
  requireChannelsLast(op, x, 3);
  requireKernel(op, x, w, 3, "(KW, C / groups, F)");
  const stride = spatialTuple(op, "strides", options.strides ?? 1, 1)[0]!;
  const dilation = spatialTuple(op, "dilationRate", options.dilationRate ?? 1, 1)[0]!;
  const [N, W, C] = x.shape as [number, number, number];
  const [KW, Cg, F] = w.shape as [number, number, number];
  const single: AxisWindow = { outSize: 1, padBefore: 0 };
  const cols = axisWindow(op, W, KW, stride, dilation, options.padding ?? "valid");
  const x4 = reshape(x, [N, 1, W, C]);
  const g = makeGeometry(x4.shape, [1, KW], [1, stride], [1, dilation], single, cols);
  const y = convolve(
    op,
    x4,
    reshape(w, [1, KW, Cg, F]),
    g,
    biasOf(op, x, options, F),
    options.activation ?? "none",
  );
  return reshape(y, [N, cols.outSize, F]);
}

/**
 * Depthwise 2-D convolution: each input channel c is convolved with its own kernel[:, :, c, :]
 * (KH, KW, C, M), giving C * M output channels ordered c * M + m.
 */
export function depthwiseConv2d(
  input: TensorLike,
  kernelInput: TensorLike,
  options: ConvOptions = {},
): Tensor {
  const op = "depthwiseConv2d";
  const x = toTensor(input);
  const w = toTensor(kernelInput);
  requireChannelsLast(op, x, 4);
  requireKernel(op, x, w, 4, "(KH, KW, C, multiplier)");
  const [KH, KW, C, M] = w.shape as [number, number, number, number];
  if (C !== x.shape[3]) {
    throw new ShapeError(
      `${op}: kernel channels ${C} differ from input channels ${x.shape[3]} (x ${formatShape(x.shape)}, kernel ${formatShape(w.shape)})`,
    );
  }
  // as a grouped convolution: G = C groups of one input channel, filters f = c * M + m
  return conv2d(x, reshape(w, [KH, KW, 1, C * M]), options);
}

/**
 * Depthwise convolution followed by a 1x1 convolution: depthwise kernel (KH, KW, C, M), pointwise
 * kernel (1, 1, C * M, F). Strides, padding and dilation apply to the depthwise step; bias and
 * activation to the result.
 */
export function separableConv2d(
  input: TensorLike,
  depthwiseKernel: TensorLike,
  pointwiseKernel: TensorLike,
  options: ConvOptions = {},
): Tensor {
  const { bias, activation, ...window } = options;
  const depthwise = depthwiseConv2d(input, depthwiseKernel, window);
  const pw = toTensor(pointwiseKernel);
  const channels = depthwise.shape[3]!;
  if (pw.rank !== 4 || pw.shape[0] !== 1 || pw.shape[1] !== 1 || pw.shape[2] !== channels) {
    throw new ShapeError(
      `separableConv2d: expected a pointwise kernel of shape [1,1,${channels},F] (got ${formatShape(pw.shape)})`,
    );
  }
  return conv2d(depthwise, pw, { bias: bias ?? null, activation: activation ?? "none" });
}
