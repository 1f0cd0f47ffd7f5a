// backend/kernels: the kernel table every backend implements. Kernels see typed arrays and
// shapes, never Tensor. The primitives are declared here; the fused entries are derived from the
// fused-op definitions (backend/fused). The reference table is complete (`Kernels`); fast tables
// are partial (`PartialKernels`) and the registry falls back to the reference per kernel.
import type { FloatArray, TypedArray } from "../core/dtype.js";
import type { FusedKernels } from "./fused/index.js";
import type {
  BinaryOp,
  ConvParams,
  MatmulParams,
  ReduceOp,
  StridedView,
  UnaryOp,
  WindowGeometry,
} from "./kernel-params.js";

export type * from "./fused/index.js";
export * from "./kernel-params.js";

/**
 * The complete table: the primitives below and the fused kernels. (Optimizer updates are not in
 * it: each rule lives beside its optimizer, see backend/optimizer-update.)
 */
export interface Kernels extends PrimitiveKernels, FusedKernels {}

/** The primitive kernels: elementwise, reductions, GEMM, data movement, windows, convolution. */
export interface PrimitiveKernels {
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
  /**
   * Patches of x (N, inH, inW, C) as rows: out is (N * outH * outW, kernelH * kernelW * C), each row
   * ordered (kh, kw, c); padding taps are 0.
   */
  im2col(x: FloatArray, geometry: WindowGeometry, out: FloatArray): void;
  /** The adjoint of im2col: out (N, inH, inW, C) = sum of every patch row scattered back (taps in padding dropped). */
  col2im(cols: FloatArray, geometry: WindowGeometry, out: FloatArray): void;
  /**
   * Max over each window (padding taps ignored) of x (N, inH, inW, C) into out (N, outH, outW, C);
   * argmax receives the flat index into x of each maximum (the first one on ties, NaN wins).
   */
  maxPool(x: FloatArray, geometry: WindowGeometry, out: FloatArray, argmax: Int32Array): void;
  /**
   * The adjoint of maxPool: out (N, inH, inW, C) = 0, then out[argmax[i]] += dy[i] for dy (N, outH,
   * outW, C). Every argmax of image n lies inside image n (or is -1: nothing to add).
   */
  maxPoolBackward(dy: FloatArray, argmax: Int32Array, geometry: WindowGeometry, out: FloatArray): void;
  /** Mean over each window of the taps inside the input (padding is not counted) into out (N, outH, outW, C). */
  avgPool(x: FloatArray, geometry: WindowGeometry, out: FloatArray): void;
  /** The adjoint of avgPool: out (N, inH, inW, C) receives each dy spread evenly over its window's inside taps. */
  avgPoolBackward(dy: FloatArray, geometry: WindowGeometry, out: FloatArray): void;
  /** Fused convolution forward (see ConvParams); bias (F) may be null. Overwrites out. */
  conv2d(
    x: FloatArray,
    kernel: FloatArray,
    bias: FloatArray | null,
    out: FloatArray,
    params: ConvParams,
  ): void;
  /**
   * The adjoint of conv2d given its output y and dy (both (N, outH, outW, F)): with dz = dy * act'(z)
   * taken through y (relu: dy where y > 0, else 0; sigmoid: dy y (1 - y); tanh: dy (1 - y^2)),
   * dx (N, inH, inW, C) = col2im(dz @ kernel^T), dKernel (KH, KW, C, F) = patches(x)^T @ dz and
   * dBias (F) = the sum of dz over pixels. A null output is not computed; the others are overwritten.
   */
  conv2dBackward(
    x: FloatArray,
    kernel: FloatArray,
    y: FloatArray,
    dy: FloatArray,
    dx: FloatArray | null,
    dKernel: FloatArray | null,
    dBias: FloatArray | null,
    params: ConvParams,
  ): void;
  /**
   * Fused depthwise convolution forward: x (N, inH, inW, C), kernel (KH, KW, C, M), params.filters
   * = C * M; output channel c * M + m = activation(sum over taps of x[tap, c] * kernel[kh, kw, c, m]
   * + bias[c * M + m]). params.algorithm is ignored (one algorithm). Overwrites out.
   */
  depthwiseConv2d(
    x: FloatArray,
    kernel: FloatArray,
    bias: FloatArray | null,
    out: FloatArray,
    params: ConvParams,
  ): void;
  /** The adjoint of depthwiseConv2d, as conv2dBackward is of conv2d (dKernel (KH, KW, C, M)). */
  depthwiseConv2dBackward(
    x: FloatArray,
    kernel: FloatArray,
    y: FloatArray,
    dy: FloatArray,
    dx: FloatArray | null,
    dKernel: FloatArray | null,
    dBias: FloatArray | null,
    params: ConvParams,
  ): void;
}

/** A fast backend may implement any subset; each missing entry falls back to the reference. */
export type PartialKernels = {
  [K in keyof Kernels]?: Kernels[K] extends (...args: never[]) => unknown ? Kernels[K] : Partial<Kernels[K]>;
};
