// ops/attention-tiled: the blockwise (FlashAttention) algorithm of the attention kernels, written
// over other kernels: the score and value products of a tile run as batched GEMMs (the backend's
// matmul) over a group of heads, the exponentials through its exp kernel, and only the row
// bookkeeping (max, sum, masks) in plain loops. A backend with a fast GEMM but no fused attention
// kernel runs this; its scratch memory is a fixed budget of tiles, never Tq x Tk per head. It
// computes exactly what the attention / attentionBackward kernels specify (see kernels.ts).
// Shapes: q (B, N, Tq, Dk), k (B, N, Tk, Dk), v (B, N, Tk, Dv); heads are flattened to BN.
import type { AttentionParams, Kernels } from "../backend/kernels.js";
import { allocate, type FloatArray } from "../core/dtype.js";

/** Tile sizes and the scratch budget (in elements of one score tile group). */
export interface TileOptions {
  queryBlock?: number;
  keyBlock?: number;
  /** Largest heads x queryBlock x keyBlock score scratch (default 65536). */
  budget?: number;
}

interface Plan {
  qb: number;
  kb: number;
  group: number;
}

function plan(params: AttentionParams, options: TileOptions): Plan {
  const qb = Math.min(options.queryBlock ?? 64, params.tq);
  const kb = Math.min(options.keyBlock ?? 128, params.tk);
  const group = Math.max(
    1,
    Math.min(params.batch * params.heads, Math.floor((options.budget ?? 65536) / (qb * kb))),
  );
  return { qb, kb, group };
}

/** out (g, m, n) = op(a)(g, m, k) @ op(b)(g, k, n) with per-head strides. */
function batched(
  k: Kernels,
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
  g: number,
  m: number,
  n: number,
  depth: number,
  aStride: number,
  bStride: number,
  transA: boolean,
  transB: boolean,
): void {
  k.matmul(a, b, out, {
    batch: g,
    m,
    n,
    k: depth,
    transA,
    transB,
    aBatchStride: aStride,
    bBatchStride: bStride,
  });
}

/** Where query i of head n (= b * heads + h) starts in the mask; key j adds j * maskStrides[3]. */
function maskRow(params: AttentionParams, n: number, i: number): number {
  const s = params.maskStrides;
  const b = Math.floor(n / params.heads);
  return b * s[0] + (n - b * params.heads) * s[1] + i * s[2];
}

/**
 * Scales the scores of one tile row in place, -Infinity where hidden (causal order, mask); returns
 * how many leading columns can be visible (the causal limit), past which every entry is hidden.
 */
function scoreRow(
  params: AttentionParams,
  scores: FloatArray,
  row: number,
  cols: number,
  i: number,
  j0: number,
  mRow: number,
  shift: number,
): number {
  const limit = params.causal ? Math.max(0, Math.min(cols, i - j0 + 1)) : cols;
  const { mask, scale } = params;
  const s3 = params.maskStrides[3];
  if (mask === null) {
    for (let c = 0; c < limit; c++) scores[row + c] = scores[row + c]! * scale - shift;
  } else {
    for (let c = 0; c < limit; c++) {
      scores[row + c] =
        mask[mRow + (j0 + c) * s3] === 0 ? Number.NEGATIVE_INFINITY : scores[row + c]! * scale - shift;
    }
  }
  scores.fill(Number.NEGATIVE_INFINITY, row + limit, row + cols);
  return limit;
}

/** Forward: the `attention` kernel's contract (out and lse written). */
export function tiledAttention(
  k: Kernels,
  q: FloatArray,
  key: FloatArray,
  v: FloatArray,
  out: FloatArray,
  lse: FloatArray,
  params: AttentionParams,
  options: TileOptions = {},
): void {
  const { tq, tk, dk, dv, causal } = params;
  const heads = params.batch * params.heads;
  const { qb: QB, kb: KB, group: GROUP } = plan(params, options);
  const dtype = q instanceof Float64Array ? "float64" : "float32";
  const scores = allocate(dtype, GROUP * QB * KB); // (g, qb, kb)
  const pv = allocate(dtype, GROUP * QB * dv); // (g, qb, Dv) one tile's P V
  const acc = new Float64Array(GROUP * QB * dv);
  const rowMax = new Float64Array(GROUP * QB);
  const rowSum = new Float64Array(GROUP * QB);
  for (let n0 = 0; n0 < heads; n0 += GROUP) {
    const g = Math.min(GROUP, heads - n0);
    for (let i0 = 0; i0 < tq; i0 += QB) {
      const qb = Math.min(QB, tq - i0);
      rowMax.fill(Number.NEGATIVE_INFINITY);
      rowSum.fill(0);
      acc.fill(0);
      const jEnd = causal ? Math.min(tk, i0 + qb) : tk;
      for (let j0 = 0; j0 < jEnd; j0 += KB) {
        const kb = Math.min(KB, jEnd - j0);
        // S = Q_blk K_blk^T for every head of the group: (g, qb, kb)
        batched(
          k,
          q.subarray((n0 * tq + i0) * dk),
          key.subarray((n0 * tk + j0) * dk),
          scores,
          g,
          qb,
          kb,
          dk,
          tq * dk,
          tk * dk,
          false,
          true,
        );
        for (let h = 0; h < g; h++) {
          for (let r = 0; r < qb; r++) {
            const row = (h * qb + r) * kb;
            const stat = h * QB + r;
            const limit = scoreRow(params, scores, row, kb, i0 + r, j0, maskRow(params, n0 + h, i0 + r), 0);
            let m = Number.NEGATIVE_INFINITY;
            for (let c = 0; c < limit; c++) if (scores[row + c]! > m) m = scores[row + c]!;
            const mNew = Math.max(rowMax[stat]!, m);
            // shift by the running max; a row with nothing visible yet keeps -inf (exp gives 0)
            if (mNew !== Number.NEGATIVE_INFINITY)
              for (let c = 0; c < limit; c++) scores[row + c] = scores[row + c]! - mNew;
            if (mNew !== rowMax[stat]) {
              const alpha = rowMax[stat] === Number.NEGATIVE_INFINITY ? 0 : Math.exp(rowMax[stat]! - mNew);
              rowSum[stat] = rowSum[stat]! * alpha;
              for (let d = 0; d < dv; d++) acc[stat * dv + d] = acc[stat * dv + d]! * alpha;
              rowMax[stat] = mNew;
            }
          }
        }
        const tile = scores.subarray(0, g * qb * kb);
        k.unary.exp(tile, tile);
        for (let h = 0; h < g; h++) {
          for (let r = 0; r < qb; r++) {
            let l = 0;
            const row = (h * qb + r) * kb;
            for (let c = 0; c < kb; c++) l += scores[row + c]!;
            rowSum[h * QB + r] = rowSum[h * QB + r]! + l;
          }
        }
        // acc += P V_blk: (g, qb, kb) @ (g, kb, Dv)
        batched(k, tile, v.subarray((n0 * tk + j0) * dv), pv, g, qb, dv, kb, qb * kb, tk * dv, false, false);
        for (let h = 0; h < g; h++)
          for (let r = 0; r < qb; r++)
            for (let d = 0; d < dv; d++)
              acc[(h * QB + r) * dv + d] = acc[(h * QB + r) * dv + d]! + pv[(h * qb + r) * dv + d]!;
      }
      for (let h = 0; h < g; h++) {
        for (let r = 0; r < qb; r++) {
          const stat = h * QB + r;
          const l = rowSum[stat]!;
          const o = ((n0 + h) * tq + i0 + r) * dv;
          if (l === 0) {
            out.fill(0, o, o + dv);
            lse[(n0 + h) * tq + i0 + r] = Number.NEGATIVE_INFINITY;
            continue;
          }
          for (let d = 0; d < dv; d++) out[o + d] = acc[stat * dv + d]! / l;
          lse[(n0 + h) * tq + i0 + r] = rowMax[stat]! + Math.log(l);
        }
      }
    }
  }
}

/** Backward: the `attentionBackward` kernel's contract (dq, dk, dv overwritten). */
export function tiledAttentionBackward(
  k: Kernels,
  q: FloatArray,
  key: FloatArray,
  v: FloatArray,
  out: FloatArray,
  lse: FloatArray,
  dOut: FloatArray,
  dq: FloatArray,
  dkOut: FloatArray,
  dvOut: FloatArray,
  params: AttentionParams,
  options: TileOptions = {},
): void {
  const { tq, tk, dk, dv, scale, causal } = params;
  const heads = params.batch * params.heads;
  const { qb: QB, kb: KB, group: GROUP } = plan(params, options);
  const dtype = q instanceof Float64Array ? "float64" : "float32";
  dq.fill(0);
  dkOut.fill(0);
  dvOut.fill(0);
  const rowDot = new Float64Array(heads * tq); // D_i = dO_i . O_i
  for (let i = 0; i < heads * tq; i++) {
    let s = 0;
    for (let d = 0; d < dv; d++) s += dOut[i * dv + d]! * out[i * dv + d]!;
    rowDot[i] = s;
  }
  const p = allocate(dtype, GROUP * QB * KB); // (g, qb, kb) probabilities, then dS
  const dp = allocate(dtype, GROUP * QB * KB); // (g, qb, kb)
  const tmpK = allocate(dtype, GROUP * KB * Math.max(dk, dv)); // (g, kb, D) partial dK / dV
  const tmpQ = allocate(dtype, GROUP * QB * dk); // (g, qb, Dk) partial dQ
  for (let n0 = 0; n0 < heads; n0 += GROUP) {
    const g = Math.min(GROUP, heads - n0);
    for (let i0 = 0; i0 < tq; i0 += QB) {
      const qb = Math.min(QB, tq - i0);
      const jEnd = causal ? Math.min(tk, i0 + qb) : tk;
      const qBlock = q.subarray((n0 * tq + i0) * dk);
      const doBlock = dOut.subarray((n0 * tq + i0) * dv);
      for (let j0 = 0; j0 < jEnd; j0 += KB) {
        const kb = Math.min(KB, jEnd - j0);
        const kBlock = key.subarray((n0 * tk + j0) * dk);
        const vBlock = v.subarray((n0 * tk + j0) * dv);
        const tile = p.subarray(0, g * qb * kb);
        // P = exp(S scale - lse), 0 where hidden
        batched(k, qBlock, kBlock, tile, g, qb, kb, dk, tq * dk, tk * dk, false, true);
        for (let h = 0; h < g; h++) {
          for (let r = 0; r < qb; r++) {
            const rowLse = lse[(n0 + h) * tq + i0 + r]!;
            const row = (h * qb + r) * kb;
            if (rowLse === Number.NEGATIVE_INFINITY) tile.fill(Number.NEGATIVE_INFINITY, row, row + kb);
            else scoreRow(params, tile, row, kb, i0 + r, j0, maskRow(params, n0 + h, i0 + r), rowLse);
          }
        }
        k.unary.exp(tile, tile);
        // dV_blk += P^T dO_blk: (g, kb, Dv)
        const dvTile = tmpK.subarray(0, g * kb * dv);
        batched(k, tile, doBlock, dvTile, g, kb, dv, qb, qb * kb, tq * dv, true, false);
        addInto(k, dvOut, dvTile, g, kb * dv, (n0 * tk + j0) * dv, tk * dv);
        // dP = dO_blk V_blk^T; dS = P (dP - D) scale
        const dpTile = dp.subarray(0, g * qb * kb);
        batched(k, doBlock, vBlock, dpTile, g, qb, kb, dv, tq * dv, tk * dv, false, true);
        for (let h = 0; h < g; h++) {
          for (let r = 0; r < qb; r++) {
            const dRow = rowDot[(n0 + h) * tq + i0 + r]!;
            const row = (h * qb + r) * kb;
            for (let c = 0; c < kb; c++) tile[row + c] = tile[row + c]! * (dpTile[row + c]! - dRow) * scale;
          }
        }
        // dQ_blk += dS K_blk: (g, qb, Dk); dK_blk += dS^T Q_blk: (g, kb, Dk)
        const dqTile = tmpQ.subarray(0, g * qb * dk);
        batched(k, tile, kBlock, dqTile, g, qb, dk, kb, qb * kb, tk * dk, false, false);
        addInto(k, dq, dqTile, g, qb * dk, (n0 * tq + i0) * dk, tq * dk);
        const dkTile = tmpK.subarray(0, g * kb * dk);
        batched(k, tile, qBlock, dkTile, g, kb, dk, qb, qb * kb, tq * dk, true, false);
        addInto(k, dkOut, dkTile, g, kb * dk, (n0 * tk + j0) * dk, tk * dk);
      }
    }
  }
}

/** target[base + h * stride + e] += tile[h * size + e] for each of g heads. */
function addInto(
  k: Kernels,
  target: FloatArray,
  tile: FloatArray,
  g: number,
  size: number,
  base: number,
  stride: number,
): void {
  if (stride === size) {
    // the heads' rows are back to back: one elementwise add in place
    const region = target.subarray(base, base + g * size);
    k.binary.add(region, [1], tile, [1], region, [g * size]);
    return;
  }
  for (let h = 0; h < g; h++) {
    const t = base + h * stride;
    const s = h * size;
    for (let e = 0; e < size; e++) target[t + e] = target[t + e]! + tile[s + e]!;
  }
}
