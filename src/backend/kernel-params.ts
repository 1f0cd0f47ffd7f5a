// backend/kernel-params: the names and parameter records the kernel table's entries take (op
// lists, GEMM, recurrent, attention, window and convolution parameters (the fused ops' records live in backend/fused)).
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
