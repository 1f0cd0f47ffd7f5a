// backend/fused/gru-sequence: the gruSequence fused op: a whole reset-after GRU recurrence without
// masks and its backpropagation through time, as plain loops around the gruCell reference kernels
// (the specification of native/src/recurrent-sequence.cc).
// Shapes (time-major): T steps, B batch rows, H units, gate blocks [z r h].
import type { FloatArray } from "../../core/dtype.js";
import { product, type SequenceParams, sequenceTail, stateBefore, timeOf } from "./cell-shared.js";
import { defineFusedOp, scratchLike } from "./define.js";
import { gruCell } from "./gru-cell.js";

/**
 * A whole reset-after GRU recurrence without masks, time-major: processing step s reads input
 * time t = s (T - 1 - s with goBackwards), writes rec[t] = h_prev u + bias (u (H, 3H), bias (3H)
 * or null) and runs gruCell on xProj[t], writing gates[t] (T, B, 3H) and h[t] (T, B, H).
 */
export type GruSequenceKernel = (
  xProj: FloatArray,
  u: FloatArray,
  bias: FloatArray | null,
  h0: FloatArray,
  h: FloatArray,
  gates: FloatArray,
  rec: FloatArray,
  params: SequenceParams,
) => void;

/**
 * The adjoint of gruSequence: dhOut (T, B, H) reaches h[t] from outside; writes dx (T, B, 3H)
 * (the gradient of xProj), drec (T, B, 3H) (of rec, for the caller's du and bias gradient) and
 * overwrites dh0 (B, H) with the gradient reaching h0.
 */
export type GruSequenceBackwardKernel = (
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
) => void;

const gruSequenceKernel: GruSequenceKernel = (xProj, u, bias, h0, h, gates, rec, params) => {
  const { batch: B, units: H, steps: T } = params;
  const G = 3 * H;
  const N = B * H;
  for (let s = 0; s < T; s++) {
    const t = timeOf(s, params);
    const hPrev = stateBefore(s, h0, h, N, params);
    const recT = rec.subarray(t * B * G, (t + 1) * B * G);
    product(hPrev, u, recT, B, G, H, false);
    if (bias !== null) for (let i = 0; i < B * G; i++) recT[i] = recT[i]! + bias[i % G]!;
    const z = t * B * G;
    gruCell.reference(
      xProj.subarray(z, z + B * G),
      recT,
      hPrev,
      gates.subarray(z, z + B * G),
      h.subarray(t * N, (t + 1) * N),
      params,
    );
  }
};

const gruSequenceBackwardKernel: GruSequenceBackwardKernel = (
  gates,
  rec,
  h,
  h0,
  u,
  dhOut,
  dx,
  drec,
  dh0,
  params,
) => {
  const { batch: B, units: H, steps: T } = params;
  const G = 3 * H;
  const N = B * H;
  // dh0 holds the gradient reaching the state after the step being processed
  const direct = scratchLike(dh0, N);
  dh0.fill(0);
  for (let s = T - 1; s >= 0; s--) {
    const t = timeOf(s, params);
    for (let i = 0; i < N; i++) dh0[i] = dh0[i]! + dhOut[t * N + i]!;
    const hPrev = stateBefore(s, h0, h, N, params);
    const z = t * B * G;
    const drecT = drec.subarray(z, z + B * G);
    gruCell.vjp(
      gates.subarray(z, z + B * G),
      rec.subarray(z, z + B * G),
      hPrev,
      dh0,
      dx.subarray(z, z + B * G),
      drecT,
      direct,
      params,
    );
    product(drecT, u, dh0, B, H, G, true); // dh_prev = drec U^T + the direct part
    for (let i = 0; i < N; i++) dh0[i] = dh0[i]! + direct[i]!;
  }
};

export const gruSequence = defineFusedOp({
  name: "gruSequence",
  reference: gruSequenceKernel,
  vjp: gruSequenceBackwardKernel,
  positional: { forward: sequenceTail, backward: sequenceTail },
});
