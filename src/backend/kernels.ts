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

// ---- GEMM epilogue adjoint (epilogueBackward) ----
// The backward pass of matmul's fused bias + activation epilogue, from the saved output y.

/** A [rows, cols] epilogue output y = activation(z) and its activation. */
export interface EpilogueBackwardParams {
  rows: number;
  cols: number;
  activation: EpilogueActivation;
}

/** Activations the fused recurrent cell kernels apply; other activations take the composed path. */
export type CellActivation = "tanh" | "sigmoid" | "relu" | "linear" | "hard_sigmoid";

/** One recurrent step of B rows and H units with the cell's two activations. */
export interface CellParams {
  batch: number;
  units: number;
  activation: CellActivation;
  recurrentActivation: CellActivation;
}

/** A whole recurrence of `steps` cell steps, processed from the last input step when goBackwards. */
export interface SequenceParams extends CellParams {
  steps: number;
  goBackwards: boolean;
}

/**
 * Fused attention over q (B, N, Tq, Dk), k (B, N, Tk, Dk), v (B, N, Tk, Dv), contiguous unless
 * `layout` says otherwise, with B batch and N heads. Query i sees key j when (not causal or j <= i)
 * and the mask allows it; the bool mask is read at b * s0 + n * s1 + i * s2 + j * s3 (strides 0 on
 * broadcast axes).
 */
export interface AttentionParams {
  batch: number;
  heads: number;
  tq: number;
  tk: number;
  dk: number;
  dv: number;
  scale: number;
  causal: boolean;
  mask: Uint8Array | null;
  maskStrides: readonly [number, number, number, number];
  /** Where the operands' rows are; absent: contiguous (B, N, T, D). */
  layout?: AttentionLayout | undefined;
}

/** Element strides (batch, head, row) of one attention operand; its depth axis is contiguous. */
export type RowStrides = readonly [number, number, number];

/**
 * The layout of the attention operands: element (b, n, t, d) of q is at b * q[0] + n * q[1] +
 * t * q[2] + d, and so on. dq, dk, dv share q, k, v's layout and dOut shares out's; lse is always
 * contiguous (B, N, Tq). Heads-last (B, T, N, D) operands have strides (T N D, D, N D).
 */
export interface AttentionLayout {
  q: RowStrides;
  k: RowStrides;
  v: RowStrides;
  out: RowStrides;
}

// ---- normalisation and GELU (layerNorm, rmsNorm, gelu and their adjoints) ----
// The norm kernels normalise each row of a contiguous [rows, cols] view over its cols elements.
// Per-row statistics (mean, rstd = 1 / sqrt(variance + epsilon)) are written by the forward
// kernel in x's dtype and read back by the adjoint. Row statistics and the parameter gradients
// (sums over rows) accumulate in float64. Backward kernels overwrite dx, dgamma, dbeta, dscale.

/** A [rows, cols] view normalised row by row; epsilon is added to the variance (mean square). */
export interface NormParams {
  rows: number;
  cols: number;
  epsilon: number;
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
  /**
   * Layer norm of each row of x (rows, cols): y = (x - mean) rstd gamma + beta, with mean and
   * rstd = 1 / sqrt(var + epsilon) (population variance) written to mean and rstd (rows). gamma and
   * beta (cols) are optional: null means 1 and 0.
   */
  layerNorm(
    x: FloatArray,
    gamma: FloatArray | null,
    beta: FloatArray | null,
    out: FloatArray,
    mean: FloatArray,
    rstd: FloatArray,
    params: NormParams,
  ): void;
  /**
   * The adjoint of layerNorm from the saved mean and rstd: with g = dy gamma and xhat = (x - mean)
   * rstd, dx = rstd (g - mean_c(g) - xhat mean_c(g xhat)); dgamma = sum_rows dy xhat and dbeta =
   * sum_rows dy (each skipped when null). Overwrites dx, dgamma and dbeta.
   */
  layerNormBackward(
    dy: FloatArray,
    x: FloatArray,
    gamma: FloatArray | null,
    mean: FloatArray,
    rstd: FloatArray,
    dx: FloatArray,
    dgamma: FloatArray | null,
    dbeta: FloatArray | null,
    params: NormParams,
  ): void;
  /**
   * RMS norm of each row of x (rows, cols): y = x rstd scale with rstd = 1 / sqrt(mean(x^2) +
   * epsilon) written to rstd (rows); scale (cols) null means 1.
   */
  rmsNorm(
    x: FloatArray,
    scale: FloatArray | null,
    out: FloatArray,
    rstd: FloatArray,
    params: NormParams,
  ): void;
  /**
   * The adjoint of rmsNorm: with g = dy scale and xhat = x rstd, dx = rstd (g - xhat mean_c(g xhat))
   * and dscale = sum_rows dy xhat (skipped when null). Overwrites dx and dscale.
   */
  rmsNormBackward(
    dy: FloatArray,
    x: FloatArray,
    scale: FloatArray | null,
    rstd: FloatArray,
    dx: FloatArray,
    dscale: FloatArray | null,
    params: NormParams,
  ): void;
  /**
   * GELU: out = (x / 2) (1 + erf(x / sqrt 2)), or with `approximate` the tanh form
   * (x / 2) (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).
   */
  gelu(x: FloatArray, out: FloatArray, approximate: boolean): void;
  /** The adjoint of gelu: dx = dy gelu'(x) (overwrites dx). */
  geluBackward(x: FloatArray, dy: FloatArray, dx: FloatArray, approximate: boolean): void;
  /**
   * One LSTM step, pointwise part: pre-activations x + rec (B, 4H), blocks [i f g o], where x is the
   * input part (x W + b) and rec the recurrent part (h U), and c_prev (B, H) give the activated
   * gates (B, 4H), c = f c_prev + i g and h = o act(c), each (B, H).
   */
  lstmCell(
    x: FloatArray,
    rec: FloatArray,
    cPrev: FloatArray,
    gates: FloatArray,
    c: FloatArray,
    h: FloatArray,
    params: CellParams,
  ): void;
  /** The adjoint of lstmCell: from dh, dc (B, H) reaching h and c, writes dz (B, 4H) and dcPrev (B, H). */
  lstmCellBackward(
    gates: FloatArray,
    cPrev: FloatArray,
    c: FloatArray,
    dh: FloatArray,
    dc: FloatArray,
    dz: FloatArray,
    dcPrev: FloatArray,
    params: CellParams,
  ): void;
  /**
   * One reset-after GRU step, pointwise part: x = x W + b_in and rec = h_prev U + b_rec (B, 3H),
   * blocks [z r h], give gates [z r hh] (B, 3H) and h = z h_prev + (1 - z) hh (B, H).
   */
  gruCell(
    x: FloatArray,
    rec: FloatArray,
    hPrev: FloatArray,
    gates: FloatArray,
    h: FloatArray,
    params: CellParams,
  ): void;
  /**
   * The adjoint of gruCell: from dh (B, H) writes dx (B, 3H), drec (B, 3H) and the direct part
   * of dhPrev (dh z; the caller adds drec U^T).
   */
  gruCellBackward(
    gates: FloatArray,
    rec: FloatArray,
    hPrev: FloatArray,
    dh: FloatArray,
    dx: FloatArray,
    drec: FloatArray,
    dhPrev: FloatArray,
    params: CellParams,
  ): void;
  /**
   * A whole LSTM recurrence without masks, time-major: processing step s reads input time
   * t = s (t = T - 1 - s with goBackwards), computes rec = h_prev u (u (H, 4H); h0 at the first
   * step, else h of the previous processed step) and runs lstmCell on xProj[t] (T, B, 4H) with
   * c_prev likewise, writing gates[t] (T, B, 4H), c[t] and h[t] (T, B, H).
   */
  lstmSequence(
    xProj: FloatArray,
    u: FloatArray,
    h0: FloatArray,
    c0: FloatArray,
    h: FloatArray,
    c: FloatArray,
    gates: FloatArray,
    params: SequenceParams,
  ): void;
  /**
   * The adjoint of lstmSequence (backpropagation through time): dhOut, dcOut (T, B, H) reach
   * h[t] and c[t] from outside; writes dz (T, B, 4H), the gradient of xProj, and overwrites dh0,
   * dc0 (B, H) with the gradients reaching h0 and c0. The caller forms du from dz and the states.
   */
  lstmSequenceBackward(
    gates: FloatArray,
    c: FloatArray,
    c0: FloatArray,
    u: FloatArray,
    dhOut: FloatArray,
    dcOut: FloatArray,
    dz: FloatArray,
    dh0: FloatArray,
    dc0: FloatArray,
    params: SequenceParams,
  ): void;
  /**
   * A whole reset-after GRU recurrence without masks, time-major: processing step s reads input
   * time t = s (T - 1 - s with goBackwards), writes rec[t] = h_prev u + bias (u (H, 3H), bias (3H)
   * or null) and runs gruCell on xProj[t], writing gates[t] (T, B, 3H) and h[t] (T, B, H).
   */
  gruSequence(
    xProj: FloatArray,
    u: FloatArray,
    bias: FloatArray | null,
    h0: FloatArray,
    h: FloatArray,
    gates: FloatArray,
    rec: FloatArray,
    params: SequenceParams,
  ): void;
  /**
   * The adjoint of gruSequence: dhOut (T, B, H) reaches h[t] from outside; writes dx (T, B, 3H)
   * (the gradient of xProj), drec (T, B, 3H) (of rec, for the caller's du and bias gradient) and
   * overwrites dh0 (B, H) with the gradient reaching h0.
   */
  gruSequenceBackward(
    gates: FloatArray,
    rec: FloatArray,
    h: FloatArray,
    h0: FloatArray,
    u: FloatArray,
    dhOut: FloatArray,
    dx: FloatArray,
    drec: FloatArray,
    dh0: FloatArray,
    params: SequenceParams,
  ): void;
  /**
   * Blockwise softmax(q k^T scale + mask) v into out (B, N, Tq, Dv), and each row's log-sum-exp of
   * its visible scaled scores into lse (B, N, Tq) (-Infinity, and a zero row, when none is visible).
   * Scratch memory is bounded by one block of scores, never Tq x Tk.
   */
  attention(
    q: FloatArray,
    k: FloatArray,
    v: FloatArray,
    out: FloatArray,
    lse: FloatArray,
    params: AttentionParams,
  ): void;
  /** The adjoint of attention, recomputing probabilities per block from lse; overwrites dq, dk, dv. */
  attentionBackward(
    q: FloatArray,
    k: FloatArray,
    v: FloatArray,
    out: FloatArray,
    lse: FloatArray,
    dOut: FloatArray,
    dq: FloatArray,
    dk: FloatArray,
    dv: FloatArray,
    params: AttentionParams,
  ): void;
  /** Batched GEMM with optional fused bias + activation epilogue; see MatmulParams. */
  matmul(a: FloatArray, b: FloatArray, out: FloatArray, params: MatmulParams): void;
  /**
   * The adjoint of the GEMM epilogue y = activation(z + bias) over a [rows, cols] view:
   * dz = dy act'(y) with relu' = [y > 0], sigmoid' = y (1 - y), tanh' = (1 - y)(1 + y), each
   * element computed in float64 as dy * act'(y) and rounded once (dy * 1 for "none"); dz may be
   * dy itself, and may be null (nothing written) when activation is "none". When dBias is non-null,
   * dBias[c] = sum over rows of the rounded dz[r, c], accumulated in float64 in row order.
   * y is not read for "none". Overwrites dz and dBias.
   */
  epilogueBackward(
    y: FloatArray,
    dy: FloatArray,
    dz: FloatArray | null,
    dBias: FloatArray | null,
    params: EpilogueBackwardParams,
  ): void;
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
  /**
   * One Adam step (see AdamParams; vHat non-null is AMSGrad):
   *   m += (g - m)(1 - beta1);  v += (g^2 - v)(1 - beta2);  (vHat: v = vHat = max(vHat, v))
   *   p -= alpha m / (sqrt(v) + eps),  alpha = lr sqrt(1 - beta2^step) / (1 - beta1^step)
   */
  adamUpdate(
    param: FloatArray,
    grad: FloatArray,
    m: FloatArray,
    v: FloatArray,
    vHat: FloatArray | null,
    params: AdamParams,
  ): void;
  /**
   * One SGD step. velocity null: p -= lr g. Otherwise velocity = momentum velocity - lr g, then
   * p += velocity (nesterov: p += momentum velocity - lr g).
   */
  sgdUpdate(param: FloatArray, grad: FloatArray, velocity: FloatArray | null, params: SgdParams): void;
  /**
   * One RMSprop step: v = rho v + (1 - rho) g^2; centered (averageGradient non-null):
   * a = rho a + (1 - rho) g, d = v - a^2 + eps, else d = v + eps; inc = lr g / sqrt(d);
   * momentum slot non-null: mo = momentum mo + inc, p -= mo; else p -= inc.
   */
  rmspropUpdate(
    param: FloatArray,
    grad: FloatArray,
    velocity: FloatArray,
    averageGradient: FloatArray | null,
    momentum: FloatArray | null,
    params: RmspropParams,
  ): void;
  /** One Adagrad step: acc += g^2; p -= lr g / sqrt(acc + eps). */
  adagradUpdate(param: FloatArray, grad: FloatArray, accumulator: FloatArray, params: AdagradParams): void;
  /**
   * One Adamax step: m += (g - m)(1 - beta1);  u = max(beta2 u, |g|);
   * p -= lr m / ((1 - beta1^step)(u + eps)).
   */
  adamaxUpdate(param: FloatArray, grad: FloatArray, m: FloatArray, u: FloatArray, params: AdamaxParams): void;
  /**
   * One Nadam step: m += (g - m)(1 - beta1);  v += (g^2 - v)(1 - beta2);
   * mHat = mu_{t+1} m / (1 - uProduct mu_{t+1}) + (1 - mu_t) g / (1 - uProduct);
   * p -= lr mHat / (sqrt(v / (1 - beta2^t)) + eps).
   */
  nadamUpdate(param: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray, params: NadamParams): void;
  /**
   * One Adadelta step: Eg = rho Eg + (1 - rho) g^2;  d = -sqrt(Ed + eps) / sqrt(Eg + eps) g;
   * Ed = rho Ed + (1 - rho) d^2;  p += lr d.
   */
  adadeltaUpdate(
    param: FloatArray,
    grad: FloatArray,
    accumulatedGrad: FloatArray,
    accumulatedDelta: FloatArray,
    params: AdadeltaParams,
  ): void;
}

/** A fast backend may implement any subset; each missing entry falls back to the reference. */
export type PartialKernels = {
  [K in keyof Kernels]?: Kernels[K] extends (...args: never[]) => unknown ? Kernels[K] : Partial<Kernels[K]>;
};
