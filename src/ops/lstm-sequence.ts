// ops/lstm-sequence: a whole LSTM layer's recurrence as one fused op. Per step: one GEMM
// (h_prev U), then the lstmCell kernel (gates fused) writing h and c straight into the output. The
// input projection x W + b is the caller's single GEMM over all steps (xProj). The gradient rule
// runs backpropagation through time with the lstmCellBackward kernel, one GEMM per step for
// dh_prev, and GEMMs over all steps for dU; dxProj is the stacked per-step gradient itself.
// Shapes (time-major): T steps, B batch, H units; gate blocks [i f g o] (Keras order).
import { record } from "../autograd/backward.js";
import { referenceKernels } from "../backend/reference/index.js";
import { kernels } from "../backend/registry.js";
import { allocate, type FloatArray } from "../core/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { type CellScratch, lstmCellBackwardComposed, lstmCellComposed } from "./lstm-cell-composed.js";
import { type TensorLike, toTensor } from "./operand.js";
import {
  addInto,
  carryMaskedRows,
  combineStateGrad,
  gemm,
  isActive,
  maskedState,
  previousState,
  type RecurrentOptions,
  recurrentKernelGrad,
  scratchArray,
  setupSequence,
} from "./recurrent-shared.js";

/**
 * Runs an LSTM over xProj (T, B, 4H) = x W + b from states h0, c0 (B, H) with recurrent kernel
 * (H, 4H). Returns (2, T, B, H): h and c after consuming each input step, indexed by input time
 * (with goBackwards the last processed step is t = 0); a masked step repeats the state before it.
 * Differentiable in xProj, the kernel and both initial states.
 * @example
 * const states = lstmSequence(linear(xTimeMajor, w, b), u, zeros([B, H]), zeros([B, H]));
 * const hs = slice(states, [0]); // (T, B, H)
 */
export function lstmSequence(
  xProjInput: TensorLike,
  kernelInput: TensorLike,
  h0Input: TensorLike,
  c0Input: TensorLike,
  options: RecurrentOptions = {},
): Tensor {
  const xProj = toTensor(xProjInput);
  const kernel = toTensor(kernelInput);
  const h0 = toTensor(h0Input);
  const c0 = toTensor(c0Input);
  const setup = setupSequence("lstmSequence", xProj, kernel, [h0, c0], 4, options);
  const { batch: B, steps: T, units: H, timeOf, recurrentMask } = setup;
  const G = 4 * H;
  const N = B * H; // one state block
  const dtype = xProj.dtype as "float32" | "float64";
  const params = {
    batch: B,
    units: H,
    activation: setup.activation,
    recurrentActivation: setup.recurrentActivation,
  };
  const k = kernels();
  // without a fused cell kernel, a backend with fast elementwise kernels runs the composed cell
  const composed =
    k.lstmCell === referenceKernels.lstmCell &&
    k.unary.tanh !== referenceKernels.unary.tanh &&
    k.unary.sigmoid !== referenceKernels.unary.sigmoid &&
    setup.activation === "tanh" &&
    setup.recurrentActivation === "sigmoid";
  const scratch: CellScratch | null = composed
    ? { sig: allocate(dtype, B * G), tanh: allocate(dtype, B * G), state: allocate(dtype, N) }
    : null;
  const x = xProj.data as FloatArray; // (T, B, 4H)
  const u = kernel.data as FloatArray; // (H, 4H)
  const h0d = h0.data as FloatArray;
  const c0d = c0.data as FloatArray;
  const out = allocate(dtype, 2 * T * N); // (2, T, B, H)
  const hAll = out.subarray(0, T * N);
  const cAll = out.subarray(T * N);
  const gatesAll = allocate(dtype, T * B * G); // (T, B, 4H) activated gates
  const hInAll = recurrentMask === null ? null : allocate(dtype, T * N); // h_prev * recurrent mask
  const rec = scratchArray("lstmSequence.rec", dtype, B * G); // (B, 4H) h_prev U
  for (let s = 0; s < T; s++) {
    const t = timeOf(s);
    const hPrev = previousState(setup, s, h0d, hAll);
    const cPrev = previousState(setup, s, c0d, cAll);
    let hIn = hPrev;
    if (hInAll !== null) {
      hIn = hInAll.subarray(t * N, (t + 1) * N);
      maskedState(hPrev, recurrentMask, hIn);
    }
    gemm(hIn, u, rec, B, G, H);
    const h = hAll.subarray(t * N, (t + 1) * N);
    const c = cAll.subarray(t * N, (t + 1) * N);
    const xt = x.subarray(t * B * G, (t + 1) * B * G);
    const gates = gatesAll.subarray(t * B * G, (t + 1) * B * G);
    if (scratch !== null) lstmCellComposed(k, xt, rec, cPrev, gates, c, h, B, H, scratch);
    else k.lstmCell(xt, rec, cPrev, gates, c, h, params);
    carryMaskedRows(setup, t, hPrev, h);
    carryMaskedRows(setup, t, cPrev, c);
  }
  const y = new Tensor(out, [2, T, B, H]);
  return record("lstmSequence", y, [xProj, kernel, h0, c0], (dy) => {
    const dOut = dy.data as FloatArray; // (2, T, B, H)
    const dzAll = allocate(dtype, T * B * G); // (T, B, 4H) = dxProj
    const dh = allocate(dtype, N); // gradient reaching the state after the current step
    let dc = allocate(dtype, N);
    let dcPrev = allocate(dtype, N);
    // without masks dh_prev is dz U^T alone: the GEMM writes it in place
    const plain = setup.mask === null && recurrentMask === null;
    const direct = plain ? null : allocate(dtype, N); // part of dh_prev that skips the cell (masked rows)
    const dhIn = plain ? dh : allocate(dtype, N);
    for (let s = T - 1; s >= 0; s--) {
      const t = timeOf(s);
      addInto(dh, dOut.subarray(t * N, (t + 1) * N));
      addInto(dc, dOut.subarray((T + t) * N, (T + t + 1) * N));
      const dz = dzAll.subarray(t * B * G, (t + 1) * B * G);
      const c = cAll.subarray(t * N, (t + 1) * N);
      const gates = gatesAll.subarray(t * B * G, (t + 1) * B * G);
      const cPrev = previousState(setup, s, c0d, cAll);
      if (scratch !== null) lstmCellBackwardComposed(k, gates, cPrev, c, dh, dc, dz, dcPrev, B, H, scratch);
      else k.lstmCellBackward(gates, cPrev, c, dh, dc, dz, dcPrev, params);
      if (direct !== null) {
        direct.fill(0);
        if (setup.mask !== null) {
          for (let b = 0; b < B; b++) {
            if (isActive(setup, b, t)) continue;
            // a masked step passes the state through: its gradient flows on unchanged
            const row = b * H;
            dz.fill(0, b * G, (b + 1) * G);
            direct.set(dh.subarray(row, row + H), row);
            dcPrev.set(dc.subarray(row, row + H), row);
          }
        }
      }
      gemm(dz, u, dhIn, B, H, G, { transB: true });
      if (direct !== null) combineStateGrad(direct, dhIn, recurrentMask, dh);
      const next = dcPrev;
      dcPrev = dc;
      dc = next;
    }
    const dKernel = kernel.requiresGrad
      ? new Tensor(recurrentKernelGrad(setup, dzAll, G, h0d, hAll, hInAll, dtype), [H, G])
      : null;
    return [
      xProj.requiresGrad ? new Tensor(dzAll, [T, B, G]) : null,
      dKernel,
      h0.requiresGrad ? new Tensor(dh, [B, H]) : null,
      c0.requiresGrad ? new Tensor(dc, [B, H]) : null,
    ];
  });
}
