// ops/attention: scaled dot-product attention, softmax(Q K^T * scale + mask) V. The fused op calls
// the blockwise attention kernel (online softmax; memory per head bounded by one block of scores,
// never Tq x Tk) and its recomputing adjoint. attentionProbabilities is the composed form that
// materialises the (B, N, Tq, Tk) probabilities, for callers that must return or drop out scores.
// Shapes: B batch, N heads, Tq / Tk query / key lengths, Dk key depth, Dv value depth; operands are
// (B, N, T, D), or heads-last (B, T, N, D) with layout "BTND", which the kernels read in place.
import { record } from "../autograd/backward.js";
import type { AttentionLayout, AttentionParams, RowStrides } from "../backend/kernels.js";
import { kernelRoutes, kernels } from "../backend/registry.js";
import { allocate, allocateUninit, type FloatArray } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { broadcastShapes, broadcastStrides, formatShape, shapesEqual } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { softmax } from "./activation.js";
import { tiledAttention, tiledAttentionBackward } from "./attention-tiled.js";
import { mul } from "./binary.js";
import { cast } from "./cast.js";
import { logicalAnd, notEqual, where } from "./compare.js";
import { matmul } from "./linalg.js";
import { requireFloat, type TensorLike, toTensor } from "./operand.js";
import { reshape, transpose } from "./shape.js";

export interface AttentionOptions {
  /**
   * Which keys each query may see: broadcastable to (B, N, Tq, Tk), true (or non-zero) = visible.
   * A (B, 1, 1, Tk) padding mask costs O(B Tk) memory, however long the sequences.
   */
  mask?: TensorLike | null;
  /** Query i sees keys j <= i only (top-left aligned, as Keras and PyTorch). */
  causal?: boolean;
  /** Score scale; default 1 / sqrt(Dk). */
  scale?: number;
  /**
   * Axis order of q, k, v and the output: "BNTD" (default) is (B, N, T, D); "BTND" is (B, T, N, D),
   * the layout of a multi-head projection, which the fused kernels read and write in place (no
   * transposes). The mask still broadcasts to (B, N, Tq, Tk).
   */
  layout?: "BNTD" | "BTND";
}

/** Swaps the head and time axes: (B, N, T, D) <-> (B, T, N, D). */
const SWAP_HEADS = [0, 2, 1, 3];

interface Prepared {
  q: Tensor;
  k: Tensor;
  v: Tensor;
  params: AttentionParams;
  /** Shape of the output, the query's leading axes with Dv last. */
  outShape: number[];
  mask: Tensor | null;
}

/** Views rank-3 (B, T, D) operands as one head; checks shapes and the mask. */
function prepare(
  op: string,
  qIn: TensorLike,
  kIn: TensorLike,
  vIn: TensorLike,
  options: AttentionOptions,
): Prepared {
  let q = toTensor(qIn);
  let k = toTensor(kIn);
  let v = toTensor(vIn);
  requireFloat(op, q);
  if (k.dtype !== q.dtype || v.dtype !== q.dtype)
    throw new DTypeError(`${op}: dtypes differ (got q ${q.dtype}, k ${k.dtype}, v ${v.dtype})`);
  const layoutName = options.layout ?? "BNTD";
  if (layoutName !== "BNTD" && layoutName !== "BTND")
    throw new ValueError(`${op}: layout must be "BNTD" or "BTND" (got ${String(layoutName)})`);
  const headsLast = layoutName === "BTND";
  const rank = q.rank;
  if (headsLast && (rank !== 4 || k.rank !== 4 || v.rank !== 4)) {
    throw new ShapeError(
      `${op}: expected q, k, v of rank 4 (B, T, N, D) for layout BTND (got ${formatShape(q.shape)}, ${formatShape(k.shape)}, ${formatShape(v.shape)})`,
    );
  }
  if ((rank !== 3 && rank !== 4) || k.rank !== rank || v.rank !== rank) {
    throw new ShapeError(
      `${op}: expected q, k, v of rank 4 (B, N, T, D) or 3 (B, T, D) (got ${formatShape(q.shape)}, ${formatShape(k.shape)}, ${formatShape(v.shape)})`,
    );
  }
  const outShape = [...q.shape.slice(0, -1), v.shape[rank - 1]!];
  if (rank === 3) {
    q = reshape(q, [q.shape[0]!, 1, q.shape[1]!, q.shape[2]!]);
    k = reshape(k, [k.shape[0]!, 1, k.shape[1]!, k.shape[2]!]);
    v = reshape(v, [v.shape[0]!, 1, v.shape[1]!, v.shape[2]!]);
  }
  // h and t: where the head and time axes are
  const [h, t] = headsLast ? [2, 1] : [1, 2];
  const batch = q.shape[0]!;
  const heads = q.shape[h]!;
  const tq = q.shape[t]!;
  const dk = q.shape[3]!;
  const tk = k.shape[t]!;
  const dv = v.shape[3]!;
  if (
    k.shape[0] !== batch ||
    v.shape[0] !== batch ||
    k.shape[h] !== heads ||
    v.shape[h] !== heads ||
    k.shape[3] !== dk ||
    v.shape[t] !== tk
  ) {
    const names = headsLast
      ? ["(B, Tq, N, Dk)", "(B, Tk, N, Dk)", "(B, Tk, N, Dv)"]
      : ["(B, N, Tq, Dk)", "(B, N, Tk, Dk)", "(B, N, Tk, Dv)"];
    throw new ShapeError(
      `${op}: q ${names[0]}, k ${names[1]} and v ${names[2]} do not fit (got ${formatShape(q.shape)}, ${formatShape(k.shape)}, ${formatShape(v.shape)})`,
    );
  }
  const scale = options.scale ?? 1 / Math.sqrt(dk);
  if (!Number.isFinite(scale)) throw new ValueError(`${op}: scale must be finite (got ${scale})`);
  let mask: Tensor | null = null;
  let maskStrides: [number, number, number, number] = [0, 0, 0, 0];
  if (options.mask != null) {
    let m = toTensor(options.mask);
    if (m.dtype !== "bool") m = notEqual(m, 0);
    const target = [batch, heads, tq, tk];
    if (m.rank > 4 || !shapesEqual(broadcastShapes(op, m.shape, target), target)) {
      throw new ShapeError(
        `${op}: mask ${formatShape(m.shape)} does not broadcast to (B, N, Tq, Tk) = ${formatShape(target)}`,
      );
    }
    mask = m;
    maskStrides = broadcastStrides(m.shape, target) as [number, number, number, number];
  }
  const params: AttentionParams = {
    batch,
    heads,
    tq,
    tk,
    dk,
    dv,
    scale,
    causal: options.causal ?? false,
    mask: mask === null ? null : (mask.data as Uint8Array),
    maskStrides,
    layout: headsLast ? headsLastLayout(heads, tq, tk, dk, dv) : undefined,
  };
  return { q, k, v, params, outShape, mask };
}

/** Strides of (B, T, N, D) operands: element (b, n, t, d) at b T N D + n D + t N D + d. */
function headsLastLayout(heads: number, tq: number, tk: number, dk: number, dv: number): AttentionLayout {
  const rows = (time: number, depth: number): RowStrides => [time * heads * depth, depth, heads * depth];
  return { q: rows(tq, dk), k: rows(tk, dk), v: rows(tk, dv), out: rows(tq, dv) };
}

/**
 * Fused attention softmax(q k^T * scale + mask) v for q (B, N, Tq, Dk), k (B, N, Tk, Dk),
 * v (B, N, Tk, Dv) (or rank 3 without the head axis). Memory beyond inputs and output is one
 * block of scores plus a log-sum-exp per query row; the gradient recomputes blocks. A query that
 * sees no key gets a zero output (and zero gradient).
 * @example
 * const y = scaledDotProductAttention(q, k, v, { causal: true }); // (B, N, T, Dv)
 */
export function scaledDotProductAttention(
  qIn: TensorLike,
  kIn: TensorLike,
  vIn: TensorLike,
  options: AttentionOptions = {},
): Tensor {
  const { q, k, v, params, outShape } = prepare("scaledDotProductAttention", qIn, kIn, vIn, options);
  const { batch, heads, tq, dv } = params;
  // a backend with its own attention kernel runs it; the registry routes one with only a fast GEMM
  // to the same blockwise algorithm over its GEMM and exp kernels; the reference runs its kernel
  const active = kernels();
  const tiled = kernelRoutes().attention === "tiled";
  if (tiled && params.layout !== undefined) {
    // the GEMM-tiled form needs (B, N, T, D) heads: transpose in and out
    const heads4 = (x: Tensor) => transpose(x, SWAP_HEADS);
    const y = scaledDotProductAttention(heads4(q), heads4(k), heads4(v), { ...options, layout: "BNTD" });
    return transpose(y, SWAP_HEADS);
  }
  const dtype = q.dtype as "float32" | "float64";
  const out = allocateUninit(dtype, batch * heads * tq * dv);
  const lse = allocate(dtype, batch * heads * tq);
  const qd = q.data as FloatArray;
  const kd = k.data as FloatArray;
  const vd = v.data as FloatArray;
  if (tiled) tiledAttention(active, qd, kd, vd, out, lse, params);
  else active.attention(qd, kd, vd, out, lse, params);
  const y = new Tensor(out, params.layout === undefined ? [batch, heads, tq, dv] : [batch, tq, heads, dv]);
  const recorded = record(
    "scaledDotProductAttention",
    y,
    [q, k, v],
    (dy) => {
      const dq = allocateUninit(dtype, q.size);
      const dk = allocateUninit(dtype, k.size);
      const dvOut = allocateUninit(dtype, v.size);
      const dOut = dy.data as FloatArray;
      if (tiled) tiledAttentionBackward(active, qd, kd, vd, out, lse, dOut, dq, dk, dvOut, params);
      else active.attentionBackward(qd, kd, vd, out, lse, dOut, dq, dk, dvOut, params);
      return [new Tensor(dq, q.shape), new Tensor(dk, k.shape), new Tensor(dvOut, v.shape)];
    },
    ([qIn4, kIn4, vIn4]) => composedAttention(qIn4!, kIn4!, vIn4!, options),
  );
  return outShape.length === 4 ? recorded : reshape(recorded, outShape);
}

/**
 * softmax(q k^T * scale + mask) v in recorded ops for rank-4 operands: the form a second derivative
 * goes through (it materialises the (B, N, Tq, Tk) probabilities).
 */
function composedAttention(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions): Tensor {
  const probs = attentionProbabilities(q, k, options); // (B, N, Tq, Tk)
  if (options.layout !== "BTND") return matmul(probs, v);
  return transpose(matmul(probs, transpose(v, SWAP_HEADS)), SWAP_HEADS);
}

/**
 * The attention probabilities softmax(q k^T * scale + mask), composed from matmul, where and
 * softmax: (B, N, Tq, Tk), O(Tq Tk) memory. Rows that see no key are all zeros, as in the fused op.
 */
export function attentionProbabilities(
  qIn: TensorLike,
  kIn: TensorLike,
  options: AttentionOptions = {},
): Tensor {
  let q = toTensor(qIn);
  let k = toTensor(kIn);
  if (options.layout === "BTND") {
    q = transpose(q, SWAP_HEADS);
    k = transpose(k, SWAP_HEADS);
    options = { ...options, layout: "BNTD" };
  }
  // k stands in for v: prepare() only reads v's shape, and k has the (B, N, Tk, .) layout it wants
  const { q: q4, k: k4, params, mask } = prepare("attentionProbabilities", q, k, k, options);
  const scores = mul(matmul(q4, k4, { transposeB: true }), params.scale); // (B, N, Tq, Tk)
  let visible: Tensor | null = mask;
  if (params.causal) {
    const causal = allocate("bool", params.tq * params.tk);
    for (let i = 0; i < params.tq; i++)
      for (let j = 0; j <= Math.min(i, params.tk - 1); j++) causal[i * params.tk + j] = 1;
    const c = new Tensor(causal, [params.tq, params.tk]);
    visible = visible === null ? c : logicalAnd(visible, c);
  }
  if (visible === null)
    return q.rank === 3
      ? reshape(
          softmax(scores),
          scores.shape.filter((_, i) => i !== 1),
        )
      : softmax(scores);
  // masked scores get the dtype's lowest value (not -Infinity: a fully masked row must not give NaN)
  const lowest = q.dtype === "float64" ? -1.7976931348623157e308 : -3.4028234663852886e38;
  // a row with no visible key is uniform after the softmax; the product with `visible` zeroes it
  const result = mul(softmax(where(visible, scores, lowest)), cast(visible, q.dtype));
  return q.rank === 3
    ? reshape(
        result,
        result.shape.filter((_, i) => i !== 1),
      )
    : result;
}
