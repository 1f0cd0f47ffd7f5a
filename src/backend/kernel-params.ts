// backend/kernel-params: the names and parameter records the kernel table's entries take (op
// lists, GEMM, recurrent, attention, normalisation, window, optimizer and convolution parameters).
// Re-exported by backend/kernels, where the table itself is declared.
import type { FloatArray } from "../core/dtype.js";

/** Elementwise unary primitives. Inputs and outputs are contiguous and of equal length. */
export const UNARY_OPS = [
  "neg",
  "abs",
  "exp",
  "log",
  "log1p",
  "expm1",
  "sqrt",
  "rsqrt",
  "square",
  "reciprocal",
  "sin",
  "cos",
  "tan",
  "tanh",
  "sigmoid",
  "relu",
  "softplus",
  "erf",
  "sign",
  "floor",
  "ceil",
  "round",
  "isNaN",
  "isFinite",
  "logicalNot",
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/** Elementwise binary primitives with NumPy broadcasting (comparisons and logic write 0/1). */
export const BINARY_OPS = [
  "add",
  "sub",
  "mul",
  "div",
  "pow",
  "maximum",
  "minimum",
  "mod",
  "atan2",
  "equal",
  "notEqual",
  "less",
  "lessEqual",
  "greater",
  "greaterEqual",
  "logicalAnd",
  "logicalOr",
  "logicalXor",
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

/** Reductions over the middle axis of an [outer, size, inner] view. arg* write indices. */
export const REDUCE_OPS = ["sum", "prod", "max", "min", "argmax", "argmin", "any", "all"] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

/** Activations a GEMM epilogue may fuse after the bias add. */
export type EpilogueActivation = "none" | "relu" | "sigmoid" | "tanh";

/**
 * Batched matrix product out[b] = op(A[b]) @ op(B[b]) (+ bias, then activation).
 * Per batch, A is m x k (k x m if transA) and B is k x n (n x k if transB), both row-major and
 * contiguous; out is m x n contiguous, batches packed back to back. A batch stride of 0
 * broadcasts one matrix across batches. `bias` (length n) is added to every row.
 */
export interface MatmulParams {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  aBatchStride: number;
  bBatchStride: number;
  bias?: FloatArray | undefined;
  activation?: EpilogueActivation | undefined;
}

/** Describes a strided view: element i of the view is at data[offset + sum(index_d * strides_d)]. */
export interface StridedView {
  offset: number;
  strides: readonly number[];
}

/**
 * A sliding window over a channels-last batch x (N, inH, inW, C) producing an (N, outH, outW, ...)
 * grid: output cell (oh, ow), window tap (kh, kw) reads input row oh * strideH + kh * dilationH -
 * padTop and column ow * strideW + kw * dilationW - padLeft; taps outside the input read as padding.
 * Used by im2col/col2im (convolution) and the pooling kernels (dilation 1).
 */
export interface WindowGeometry {
  batch: number;
  inH: number;
  inW: number;
  channels: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
  outH: number;
  outW: number;
}

// ---- optimizer updates (adamUpdate, sgdUpdate, rmspropUpdate, adagradUpdate, adamaxUpdate,
// nadamUpdate, adadeltaUpdate) ----
// Each kernel updates one parameter and its slot arrays in place, element by element, in the
// parameter's precision: double for a Float64Array (exactly what a JS loop over the typed arrays
// does), float32 operations for a Float32Array (inputs and scalars rounded to float32, then every
// operation rounded, no fused multiply-adds). All arrays have the parameter's length; `grad` is
// only read. `weightDecay` is this step's decoupled
// decay factor (learning rate x weight decay, 0 for none): when it is not 0 each element first
// becomes p - p * weightDecay, is stored, and the update reads the stored value back.

/** Adam / AdamW scalars; `step` counts from 1 (bias corrections use beta^step). */
export interface AdamParams {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  step: number;
  weightDecay: number;
}

/** SGD scalars; momentum 0 with a null velocity is plain SGD. */
export interface SgdParams {
  lr: number;
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
}

/** RMSprop scalars (epsilon inside the square root). */
export interface RmspropParams {
  lr: number;
  rho: number;
  momentum: number;
  epsilon: number;
  weightDecay: number;
}

/** Adagrad scalars (epsilon inside the square root). */
export interface AdagradParams {
  lr: number;
  epsilon: number;
  weightDecay: number;
}

/** Adamax scalars; `step` counts from 1. */
export interface AdamaxParams {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  step: number;
  weightDecay: number;
}

/**
 * Nadam scalars of step t (counting from 1): the momentum schedule values mu_t and mu_{t+1}, the
 * product uProduct = mu_1 ... mu_t, and beta2^t.
 */
export interface NadamParams {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  momentum: number;
  nextMomentum: number;
  uProduct: number;
  beta2Power: number;
  weightDecay: number;
}

/** Adadelta scalars (epsilon inside both square roots). */
export interface AdadeltaParams {
  lr: number;
  rho: number;
  epsilon: number;
  weightDecay: number;
}

/**
 * How a fused convolution pass is computed (all give the same result up to rounding): "gemm" builds
 * the patch rows (im2col) of a block of output pixels and multiplies them by the kernel matrix;
 * "direct" loops over the kernel taps without patch rows; "auto" lets the backend choose per pass
 * and shape by a fixed rule (reproducible); "measure" lets it time both per pass and shape on first
 * use. The reference ignores it: it is the specification, not a fast path.
 */
export type ConvAlgorithm = "auto" | "measure" | "gemm" | "direct";

/**
 * A fused, ungrouped 2-D convolution of x (N, inH, inW, C) with a kernel (KH, KW, C, F) over the
 * window `geometry` (channels = C): out (N, outH, outW, F) = activation(patches(x) @ kernel + bias),
 * patches as im2col writes them.
 */
export interface ConvParams {
  geometry: WindowGeometry;
  filters: number;
  activation: EpilogueActivation;
  algorithm: ConvAlgorithm;
}
