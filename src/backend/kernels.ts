// backend/kernels: the kernel table every backend implements. Kernels see typed arrays and
// shapes, never Tensor. The reference table is complete (`Kernels`); fast tables are partial
// (`PartialKernels`) and the dispatcher falls back to the reference per kernel.
import type { FloatArray, TypedArray } from "../core/dtype.js";

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

export interface Kernels {
  /** out[i] = op(x[i]). x and out have the same dtype except isNaN/isFinite/logicalNot (bool out). */
  unary: { [K in UnaryOp]: (x: TypedArray, out: TypedArray) => void };
  /**
   * out[idx] = op(a[idx . aStrides], b[idx . bStrides]) over every index of outShape; out is
   * contiguous. Strides are broadcast strides (0 on broadcast dimensions), length = outShape.length.
   */
  binary: {
    [K in BinaryOp]: (
      a: TypedArray,
      aStrides: readonly number[],
      b: TypedArray,
      bStrides: readonly number[],
      out: TypedArray,
      outShape: readonly number[],
    ) => void;
  };
  /** out = cond ? a : b, broadcast like `binary`. */
  where(
    cond: Uint8Array,
    condStrides: readonly number[],
    a: TypedArray,
    aStrides: readonly number[],
    b: TypedArray,
    bStrides: readonly number[],
    out: TypedArray,
    outShape: readonly number[],
  ): void;
  /** Reduces the middle axis of x viewed as [outer, size, inner] into out [outer, inner]. */
  reduce: {
    [K in ReduceOp]: (x: TypedArray, outer: number, size: number, inner: number, out: TypedArray) => void;
  };
  /** Inclusive cumulative sum along the middle axis of [outer, size, inner]; reverse sums from the end. */
  cumsum(x: TypedArray, outer: number, size: number, inner: number, reverse: boolean, out: TypedArray): void;
  /** Softmax along the middle axis of [outer, size, inner]. */
  softmax(x: FloatArray, outer: number, size: number, inner: number, out: FloatArray): void;
  /** Log-softmax along the middle axis of [outer, size, inner]. */
  logSoftmax(x: FloatArray, outer: number, size: number, inner: number, out: FloatArray): void;
  /** Batched GEMM with optional fused bias + activation epilogue; see MatmulParams. */
  matmul(a: FloatArray, b: FloatArray, out: FloatArray, params: MatmulParams): void;
  /**
   * Copies every element of a `shape`-shaped strided view of src into a strided view of dst.
   * Strides may be 0 (broadcast) or negative (flip). Used for transpose, slice, concat, pad, tile.
   */
  stridedCopy(
    src: TypedArray,
    srcView: StridedView,
    dst: TypedArray,
    dstView: StridedView,
    shape: readonly number[],
  ): void;
  /**
   * Gathers along the middle axis: x is [outer, size, inner], indices (already validated to lie in
   * [0, size)) pick rows; out is [outer, indices.length, inner].
   */
  gather(
    x: TypedArray,
    outer: number,
    size: number,
    inner: number,
    indices: Int32Array,
    out: TypedArray,
  ): void;
  /**
   * The adjoint of gather: out [outer, size, inner] += updates [outer, indices.length, inner]
   * scattered at the given indices (repeats accumulate).
   */
  scatterAdd(
    updates: TypedArray,
    outer: number,
    size: number,
    inner: number,
    indices: Int32Array,
    out: TypedArray,
  ): void;
  /** Converts element types: float to int truncates toward zero, anything to bool is `!= 0` (NaN is true). */
  cast(x: TypedArray, out: TypedArray): void;
}

/** A fast backend may implement any subset; each missing entry falls back to the reference. */
export type PartialKernels = {
  [K in keyof Kernels]?: Kernels[K] extends (...args: never[]) => unknown ? Kernels[K] : Partial<Kernels[K]>;
};
