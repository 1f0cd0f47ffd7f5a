// backend/reference/recurrent-sequence: a whole LSTM or GRU recurrence without masks, and its
// backpropagation through time, as plain loops around the reference cell kernels: the
// specification of the sequence-level kernels a fast backend runs without a call per step.
// Shapes (time-major): T steps, B batch rows, H units, gate blocks [i f g o].
import type { FloatArray } from "../../core/dtype.js";
import type { Kernels, SequenceParams } from "../kernels.js";
import { gruCellBackwardKernel, gruCellKernel, lstmCellBackwardKernel, lstmCellKernel } from "./recurrent.js";

/** out (m, n) = a (m, k) @ b (k, n), or @ b^T with b stored (n, k). */
function product(
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
  m: number,
  n: number,
  k: number,
  transB: boolean,
) {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * k + p]! * (transB ? b[j * k + p]! : b[p * n + j]!);
      out[i * n + j] = sum;
    }
  }
}

/** The time index of processing step s (steps run backwards in time with goBackwards). */
function timeOf(s: number, p: SequenceParams): number {
  return p.goBackwards ? p.steps - 1 - s : s;
}

/** The state (N values) step s starts from: init at the first step, else the previous step's row. */
function stateBefore(
  s: number,
  init: FloatArray,
  states: FloatArray,
  N: number,
  p: SequenceParams,
): FloatArray {
  if (s === 0) return init;
  const prev = timeOf(s - 1, p);
  return states.subarray(prev * N, (prev + 1) * N);
}

/** A zeroed scratch array of n elements in like's precision. */
function scratchLike(like: FloatArray, n: number): FloatArray {
  return like instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}

export const lstmSequenceKernel: Kernels["lstmSequence"] = (xProj, u, h0, c0, h, c, gates, params) => {
  const { batch: B, units: H, steps: T } = params;
  const G = 4 * H;
  const N = B * H;
  const rec = scratchLike(xProj, B * G);
  for (let s = 0; s < T; s++) {
    const t = timeOf(s, params);
    const hPrev = stateBefore(s, h0, h, N, params);
    const cPrev = stateBefore(s, c0, c, N, params);
    product(hPrev, u, rec, B, G, H, false);
    lstmCellKernel(
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

export const lstmSequenceBackwardKernel: Kernels["lstmSequenceBackward"] = (
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
    lstmCellBackwardKernel(
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

export const gruSequenceKernel: Kernels["gruSequence"] = (xProj, u, bias, h0, h, gates, rec, params) => {
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
    gruCellKernel(
      xProj.subarray(z, z + B * G),
      recT,
      hPrev,
      gates.subarray(z, z + B * G),
      h.subarray(t * N, (t + 1) * N),
      params,
    );
  }
};

export const gruSequenceBackwardKernel: Kernels["gruSequenceBackward"] = (
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
    gruCellBackwardKernel(
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
