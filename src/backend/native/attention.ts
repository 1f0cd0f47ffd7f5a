// backend/native/attention: the fused attention kernels of the addon (native/src/attention-napi.cc)
// as a partial kernel table; an addon built before they existed leaves them to the reference. The
// sizes, scale, mask strides and operand strides travel in one reused Float64Array (meta).
import type { FloatArray } from "../../core/dtype.js";
import type { AttentionParams, PartialKernels, RowStrides } from "../kernels.js";
import type { NativeAddon } from "./addon.js";

/** The attention exports of the addon (optional: older builds lack them). */
export interface AttentionAddon {
  /** meta: see packAttention. */
  attention?(
    q: FloatArray,
    k: FloatArray,
    v: FloatArray,
    out: FloatArray,
    lse: FloatArray,
    mask: Uint8Array | null,
    meta: Float64Array,
  ): void;
  attentionBackward?(
    q: FloatArray,
    k: FloatArray,
    v: FloatArray,
    out: FloatArray,
    lse: FloatArray,
    dOut: FloatArray,
    dq: FloatArray,
    dk: FloatArray,
    dv: FloatArray,
    mask: Uint8Array | null,
    meta: Float64Array,
  ): void;
}

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

/** The attention kernels this addon exports. */
export function attentionKernels(addon: NativeAddon): PartialKernels {
  const { attention, attentionBackward } = addon as NativeAddon & AttentionAddon;
  const table: PartialKernels = {};
  if (attention)
    table.attention = (q, k, v, out, lse, p) =>
      attention.call(addon, q, k, v, out, lse, p.mask, packAttention(p));
  if (attentionBackward)
    table.attentionBackward = (q, k, v, out, lse, dOut, dq, dk, dv, p) =>
      attentionBackward.call(addon, q, k, v, out, lse, dOut, dq, dk, dv, p.mask, packAttention(p));
  return table;
}
