// backend/fused/lstm-sequence: the lstmSequence fused op: a whole LSTM recurrence without masks and
// its backpropagation through time, as plain loops around the lstmCell reference kernels (the
// specification of native/src/recurrent-sequence.cc, which runs the time loop in one call).
// Shapes (time-major): T steps, B batch rows, H units, gate blocks [i f g o].
import type { FloatArray } from "../../core/dtype.js";
import { product, type SequenceParams, sequenceTail, stateBefore, timeOf } from "./cell-shared.js";
import { defineFusedOp, scratchLike } from "./define.js";
import { lstmCell } from "./lstm-cell.js";

/**
 * A whole LSTM recurrence without masks, time-major: processing step s reads input time
 * t = s (t = T - 1 - s with goBackwards), computes rec = h_prev u (u (H, 4H); h0 at the first
 * step, else h of the previous processed step) and runs lstmCell on xProj[t] (T, B, 4H) with
 * c_prev likewise, writing gates[t] (T, B, 4H), c[t] and h[t] (T, B, H).
 */
export type LstmSequenceKernel = (
  xProj: FloatArray,
  u: FloatArray,
  h0: FloatArray,
  c0: FloatArray,
  h: FloatArray,
  c: FloatArray,
  gates: FloatArray,
  params: SequenceParams,
) => void;

/**
 * The adjoint of lstmSequence (backpropagation through time): dhOut, dcOut (T, B, H) reach
 * h[t] and c[t] from outside; writes dz (T, B, 4H), the gradient of xProj, and overwrites dh0,
 * dc0 (B, H) with the gradients reaching h0 and c0. The caller forms du from dz and the states.
 */
export type LstmSequenceBackwardKernel = (
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
) => void;

const lstmSequenceKernel: LstmSequenceKernel = (xProj, u, h0, c0, h, c, gates, params) => {
  const { batch: B, units: H, steps: T } = params;
  const G = 4 * H;
  const N = B * H;
  const rec = scratchLike(xProj, B * G);
  for (let s = 0; s < T; s++) {
    const t = timeOf(s, params);
    const hPrev = stateBefore(s, h0, h, N, params);
    const cPrev = stateBefore(s, c0, c, N, params);
    product(hPrev, u, rec, B, G, H, false);
    lstmCell.reference(
      xProj.subarray(t * B * G, (t + 1) * B * G),
      rec,
      cPrev,
      gates.subarray(t * B * G, (t + 1) * B * G),
      c.subarray(t * N, (t + 1) * N),
      h.subarray(t * N, (t + 1) * N),
      params,
    );
  }
};

const lstmSequenceBackwardKernel: LstmSequenceBackwardKernel = (
  gates,
  c,
  c0,
  u,
  dhOut,
  dcOut,
  dz,
  dh0,
  dc0,
  params,
) => {
  const { batch: B, units: H, steps: T } = params;
  const G = 4 * H;
  const N = B * H;
  // dh0 / dc0 hold the gradient reaching the state after the step being processed
  const dcPrev = scratchLike(dh0, N);
  dh0.fill(0);
  dc0.fill(0);
  for (let s = T - 1; s >= 0; s--) {
    const t = timeOf(s, params);
    for (let i = 0; i < N; i++) {
      dh0[i] = dh0[i]! + dhOut[t * N + i]!;
      dc0[i] = dc0[i]! + dcOut[t * N + i]!;
    }
    const cPrev = stateBefore(s, c0, c, N, params);
    const dzT = dz.subarray(t * B * G, (t + 1) * B * G);
    lstmCell.vjp(
      gates.subarray(t * B * G, (t + 1) * B * G),
      cPrev,
      c.subarray(t * N, (t + 1) * N),
      dh0,
      dc0,
      dzT,
      dcPrev,
      params,
    );
    product(dzT, u, dh0, B, H, G, true); // dh_prev = dz U^T
    dc0.set(dcPrev);
  }
};

export const lstmSequence = defineFusedOp({
  name: "lstmSequence",
  reference: lstmSequenceKernel,
  vjp: lstmSequenceBackwardKernel,
  positional: { forward: sequenceTail, backward: sequenceTail },
});
