// backend/fused/attention: the attention fused op: scaled dot-product attention, softmax(Q K^T * scale + mask) V,
// computed blockwise with an online softmax (FlashAttention): the scores of one query block
// against one key block are the only scores alive, so memory stays O(block^2 + T D) per head,
// never O(T^2). The forward pass also writes each row's log-sum-exp so the backward pass can
// recompute any block's probabilities exactly without storing them.
// Shapes: q (B, N, Tq, Dk), k (B, N, Tk, Dk), v (B, N, Tk, Dv), out (B, N, Tq, Dv), lse (B, N, Tq),
// with B batch, N heads, Tq / Tk query / key lengths, contiguous or as params.layout places them.
// A row with no visible key gives zeros. Native: native/src/attention-*.cc, whose sizes, scale, mask
// strides and operand strides travel in one reused Float64Array (packAttention).
import type { FloatArray } from "../../core/dtype.js";
import { defineFusedOp } from "./define.js";

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

/**
 * Blockwise softmax(q k^T scale + mask) v into out (B, N, Tq, Dv), and each row's log-sum-exp of
 * its visible scaled scores into lse (B, N, Tq) (-Infinity, and a zero row, when none is visible).
 * Scratch memory is bounded by one block of scores, never Tq x Tk.
 */
export type AttentionKernel = (
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  out: FloatArray,
  lse: FloatArray,
  params: AttentionParams,
) => void;

/** The adjoint of attention, recomputing probabilities per block from lse; overwrites dq, dk, dv. */
export type AttentionBackwardKernel = (
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
) => void;

const Q_BLOCK = 32; // query rows per tile
const K_BLOCK = 64; // keys per tile

/** The operands' layout: params.layout, or contiguous (B, N, T, D). */
export function attentionLayout(params: AttentionParams): AttentionLayout {
  if (params.layout !== undefined) return params.layout;
  const { heads, tq, tk, dk, dv } = params;
  const rows = (t: number, d: number): RowStrides => [heads * t * d, t * d, d];
  return { q: rows(tq, dk), k: rows(tk, dk), v: rows(tk, dv), out: rows(tq, dv) };
}

/** Where the rows of head h of batch b start in an operand with these strides. */
function base(s: RowStrides, b: number, h: number): number {
  return b * s[0] + h * s[1];
}

/** Whether query i may attend to key j (causal order and the boolean mask). */
function visible(params: AttentionParams, maskBase: number, i: number, j: number): boolean {
  if (params.causal && j > i) return false;
  const { mask, maskStrides } = params;
  return mask === null || mask[maskBase + i * maskStrides[2] + j * maskStrides[3]] !== 0;
}

/** The last key index + 1 that any query of rows [i0, i0 + rows) can see. */
function keyEnd(params: AttentionParams, i0: number, rows: number): number {
  return params.causal ? Math.min(params.tk, i0 + rows) : params.tk;
}

const attentionKernel: AttentionKernel = (q, k, v, out, lse, params) => {
  const { batch, heads, tq, dk, dv, scale, maskStrides } = params;
  const layout = attentionLayout(params);
  const [qRows, kRows, vRows, oRows] = [layout.q[2], layout.k[2], layout.v[2], layout.out[2]];
  const scores = new Float64Array(Q_BLOCK * K_BLOCK); // (Q_BLOCK, K_BLOCK) one tile
  const rowMax = new Float64Array(Q_BLOCK); // running max m_i
  const rowSum = new Float64Array(Q_BLOCK); // running sum l_i of exp(s - m_i)
  const acc = new Float64Array(Q_BLOCK * dv); // running sum of exp(s - m_i) v_j
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const n = b * heads + h;
      const qBase = base(layout.q, b, h);
      const kBase = base(layout.k, b, h);
      const vBase = base(layout.v, b, h);
      const oBase = base(layout.out, b, h);
      const maskBase = b * maskStrides[0] + h * maskStrides[1];
      for (let i0 = 0; i0 < tq; i0 += Q_BLOCK) {
        const rows = Math.min(Q_BLOCK, tq - i0);
        rowMax.fill(Number.NEGATIVE_INFINITY);
        rowSum.fill(0);
        acc.fill(0);
        const jEnd = keyEnd(params, i0, rows);
        for (let j0 = 0; j0 < jEnd; j0 += K_BLOCK) {
          const cols = Math.min(K_BLOCK, jEnd - j0);
          for (let r = 0; r < rows; r++) {
            const i = i0 + r;
            const qRow = qBase + i * qRows;
            let tileMax = Number.NEGATIVE_INFINITY;
            for (let c = 0; c < cols; c++) {
              const j = j0 + c;
              if (!visible(params, maskBase, i, j)) {
                scores[r * K_BLOCK + c] = Number.NEGATIVE_INFINITY;
                continue;
              }
              const kRow = kBase + j * kRows;
              let dot = 0;
              for (let d = 0; d < dk; d++) dot += q[qRow + d]! * k[kRow + d]!;
              const s = dot * scale;
              scores[r * K_BLOCK + c] = s;
              if (s > tileMax) tileMax = s;
            }
            if (tileMax === Number.NEGATIVE_INFINITY) continue; // nothing visible in this tile
            const mOld = rowMax[r]!;
            const mNew = Math.max(mOld, tileMax);
            const alpha = Math.exp(mOld - mNew); // 0 while the row had nothing yet
            let l = rowSum[r]! * alpha;
            const a = r * dv;
            for (let d = 0; d < dv; d++) acc[a + d] = acc[a + d]! * alpha;
            for (let c = 0; c < cols; c++) {
              const p = Math.exp(scores[r * K_BLOCK + c]! - mNew);
              if (p === 0) continue;
              l += p;
              const vRow = vBase + (j0 + c) * vRows;
              for (let d = 0; d < dv; d++) acc[a + d] = acc[a + d]! + p * v[vRow + d]!;
            }
            rowSum[r] = l;
            rowMax[r] = mNew;
          }
        }
        for (let r = 0; r < rows; r++) {
          const i = i0 + r;
          const l = rowSum[r]!;
          const o = oBase + i * oRows;
          if (l === 0) {
            out.fill(0, o, o + dv);
            lse[n * tq + i] = Number.NEGATIVE_INFINITY;
            continue;
          }
          for (let d = 0; d < dv; d++) out[o + d] = acc[r * dv + d]! / l;
          lse[n * tq + i] = rowMax[r]! + Math.log(l);
        }
      }
    }
  }
};

// With P = exp(S - lse) recomputed per pair and D_i = sum_d dO_id O_id:
// dV_j += P_ij dO_i; dP_ij = dO_i . v_j; dS_ij = P_ij (dP_ij - D_i);
// dQ_i += scale dS_ij k_j; dK_j += scale dS_ij q_i.
const attentionBackwardKernel: AttentionBackwardKernel = (
  q,
  k,
  v,
  out,
  lse,
  dOut,
  dq,
  dkOut,
  dvOut,
  params,
) => {
  const { batch, heads, tq, tk, dk, dv, scale, maskStrides } = params;
  const layout = attentionLayout(params);
  const [qRows, kRows, vRows, oRows] = [layout.q[2], layout.k[2], layout.v[2], layout.out[2]];
  const rowDot = new Float64Array(tq); // D_i
  const dqAcc = new Float64Array(tq * dk);
  const dkAcc = new Float64Array(tk * dk);
  const dvAcc = new Float64Array(tk * dv);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const n = b * heads + h;
      const qBase = base(layout.q, b, h);
      const kBase = base(layout.k, b, h);
      const vBase = base(layout.v, b, h);
      const oBase = base(layout.out, b, h);
      const maskBase = b * maskStrides[0] + h * maskStrides[1];
      dqAcc.fill(0);
      dkAcc.fill(0);
      dvAcc.fill(0);
      for (let i = 0; i < tq; i++) {
        let s = 0;
        for (let d = 0; d < dv; d++) s += dOut[oBase + i * oRows + d]! * out[oBase + i * oRows + d]!;
        rowDot[i] = s;
      }
      for (let i0 = 0; i0 < tq; i0 += Q_BLOCK) {
        const rows = Math.min(Q_BLOCK, tq - i0);
        const jEnd = keyEnd(params, i0, rows);
        for (let j0 = 0; j0 < jEnd; j0 += K_BLOCK) {
          const cols = Math.min(K_BLOCK, jEnd - j0);
          for (let r = 0; r < rows; r++) {
            const i = i0 + r;
            const rowLse = lse[n * tq + i]!;
            if (rowLse === Number.NEGATIVE_INFINITY) continue;
            const qRow = qBase + i * qRows;
            const oRow = oBase + i * oRows;
            for (let c = 0; c < cols; c++) {
              const j = j0 + c;
              if (!visible(params, maskBase, i, j)) continue;
              const kRow = kBase + j * kRows;
              const vRow = vBase + j * vRows;
              let dot = 0;
              for (let d = 0; d < dk; d++) dot += q[qRow + d]! * k[kRow + d]!;
              const p = Math.exp(dot * scale - rowLse);
              let dp = 0;
              for (let d = 0; d < dv; d++) {
                const g = dOut[oRow + d]!;
                dp += g * v[vRow + d]!;
                dvAcc[j * dv + d] = dvAcc[j * dv + d]! + p * g;
              }
              const ds = p * (dp - rowDot[i]!) * scale;
              for (let d = 0; d < dk; d++) {
                dqAcc[i * dk + d] = dqAcc[i * dk + d]! + ds * k[kRow + d]!;
                dkAcc[j * dk + d] = dkAcc[j * dk + d]! + ds * q[qRow + d]!;
              }
            }
          }
        }
      }
      for (let i = 0; i < tq; i++)
        for (let d = 0; d < dk; d++) dq[qBase + i * qRows + d] = dqAcc[i * dk + d]!;
      for (let j = 0; j < tk; j++) {
        for (let d = 0; d < dk; d++) dkOut[kBase + j * kRows + d] = dkAcc[j * dk + d]!;
        for (let d = 0; d < dv; d++) dvOut[vBase + j * vRows + d] = dvAcc[j * dv + d]!;
      }
    }
  }
};

/** Numbers in meta, in native/src/attention-napi.cc order. */
export const ATTENTION_META_LENGTH = 24;

const meta = new Float64Array(ATTENTION_META_LENGTH);

/** Writes one operand's (batch, head, row) strides at meta[at]. */
function setStrides(at: number, strides: RowStrides): void {
  meta[at] = strides[0];
  meta[at + 1] = strides[1];
  meta[at + 2] = strides[2];
}

/** The (batch, head, row) strides of a contiguous (B, N, rows, depth) operand at meta[at]. */
function setContiguous(at: number, heads: number, rows: number, depth: number): void {
  meta[at] = heads * rows * depth;
  meta[at + 1] = rows * depth;
  meta[at + 2] = depth;
}

/**
 * Packs [batch, heads, tq, tk, dk, dv, scale, causal, mask strides (4), then the (batch, head, row)
 * strides of q, k, v and out] (params.layout, or contiguous (B, N, T, D)).
 */
export function packAttention(p: AttentionParams): Float64Array {
  const { batch, heads, tq, tk, dk, dv, layout } = p;
  meta[0] = batch;
  meta[1] = heads;
  meta[2] = tq;
  meta[3] = tk;
  meta[4] = dk;
  meta[5] = dv;
  meta[6] = p.scale;
  meta[7] = p.causal ? 1 : 0;
  for (let i = 0; i < 4; i++) meta[8 + i] = p.maskStrides[i]!;
  if (layout === undefined) {
    setContiguous(12, heads, tq, dk);
    setContiguous(15, heads, tk, dk);
    setContiguous(18, heads, tk, dv);
    setContiguous(21, heads, tq, dv);
  } else {
    setStrides(12, layout.q);
    setStrides(15, layout.k);
    setStrides(18, layout.v);
    setStrides(21, layout.out);
  }
  return meta;
}

export const attention = defineFusedOp({
  name: "attention",
  reference: attentionKernel,
  vjp: attentionBackwardKernel,
  positional: {
    forward: (p) => [p.mask, packAttention(p)],
    backward: (p) => [p.mask, packAttention(p)],
  },
});
