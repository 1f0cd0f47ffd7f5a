// ops/lstm-sequence: a whole LSTM layer's recurrence as one fused op. Per step: one GEMM
// (h_prev U), then the lstmCell kernel (gates fused). The input projection x W + b is the caller's
// single GEMM over all steps (xProj). The gradient rule runs backpropagation through time with the
// lstmCellBackward kernel, one GEMM per step for dh_prev, and one GEMM over all steps for dU.
// Shapes: B batch, T steps, H units; gate blocks [i f g o] (Keras order).
import { record } from "../autograd/backward.js";
import { kernels } from "../backend/registry.js";
import { allocate, type FloatArray } from "../core/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { type TensorLike, toTensor } from "./operand.js";
import {
  combineStateGrad,
  gemm,
  isActive,
  maskedState,
  type RecurrentOptions,
  setupSequence,
} from "./recurrent-shared.js";

/**
 * Runs an LSTM over xProj (B, T, 4H) = x W + b from states h0, c0 (B, H) with recurrent kernel
 * (H, 4H). Returns (B, T, 2, H): h_t and c_t after each processing step (masked steps repeat the
 * previous state). Differentiable in xProj, the kernel and both initial states.
 * @example
 * const states = lstmSequence(linear(x, w, b), u, zeros([B, H]), zeros([B, H]));
 * const outputs = slice(states, [null, null, 0]); // (B, T, H)
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
  const dtype = xProj.dtype as "float32" | "float64";
  const params = {
    batch: B,
    units: H,
    activation: setup.activation,
    recurrentActivation: setup.recurrentActivation,
  };
  const k = kernels();
  const x = xProj.data as FloatArray; // (B, T, 4H)
  const u = kernel.data as FloatArray; // (H, 4H)
  const out = allocate(dtype, B * T * 2 * H); // (B, T, 2, H)
  const gatesAll = allocate(dtype, T * B * G); // (T, B, 4H) activated gates per step
  const hInAll = allocate(dtype, T * B * H); // (T, B, H) h_prev * recurrent mask per step
  const cPrevAll = allocate(dtype, T * B * H); // (T, B, H) c_prev per step
  const cNewAll = allocate(dtype, T * B * H); // (T, B, H) c computed at each step (before masking)
  const h = (h0.data as FloatArray).slice(); // (B, H) current state
  const c = (c0.data as FloatArray).slice();
  const z = allocate(dtype, B * G); // (B, 4H)
  const hNew = allocate(dtype, B * H);
  for (let s = 0; s < T; s++) {
    const t = timeOf(s);
    const hIn = hInAll.subarray(s * B * H, (s + 1) * B * H);
    maskedState(h, recurrentMask, hIn);
    gemm(hIn, u, z, B, G, H);
    for (let b = 0; b < B; b++) {
      const xRow = (b * T + t) * G;
      for (let j = 0; j < G; j++) z[b * G + j] = z[b * G + j]! + x[xRow + j]!;
    }
    cPrevAll.set(c, s * B * H);
    const gates = gatesAll.subarray(s * B * G, (s + 1) * B * G);
    const cNew = cNewAll.subarray(s * B * H, (s + 1) * B * H);
    k.lstmCell(z, c, gates, cNew, hNew, params);
    for (let b = 0; b < B; b++) {
      if (isActive(setup, b, t)) {
        h.set(hNew.subarray(b * H, (b + 1) * H), b * H);
        c.set(cNew.subarray(b * H, (b + 1) * H), b * H);
      }
      const o = (b * T + s) * 2 * H;
      out.set(h.subarray(b * H, (b + 1) * H), o);
      out.set(c.subarray(b * H, (b + 1) * H), o + H);
    }
  }
  const y = new Tensor(out, [B, T, 2, H]);
  return record("lstmSequence", y, [xProj, kernel, h0, c0], (dy) => {
    const dOut = dy.data as FloatArray; // (B, T, 2, H)
    const dx = allocate(dtype, B * T * G);
    const dzAll = allocate(dtype, T * B * G); // (T, B, 4H)
    const dh = allocate(dtype, B * H); // gradient reaching the state after step s
    const dc = allocate(dtype, B * H);
    const dcPrev = allocate(dtype, B * H);
    const direct = allocate(dtype, B * H); // part of dh_prev that skips the cell (masked rows)
    const dhIn = allocate(dtype, B * H);
    for (let s = T - 1; s >= 0; s--) {
      const t = timeOf(s);
      for (let b = 0; b < B; b++) {
        const o = (b * T + s) * 2 * H;
        for (let j = 0; j < H; j++) {
          dh[b * H + j] = dh[b * H + j]! + dOut[o + j]!;
          dc[b * H + j] = dc[b * H + j]! + dOut[o + H + j]!;
        }
      }
      const dz = dzAll.subarray(s * B * G, (s + 1) * B * G);
      k.lstmCellBackward(
        gatesAll.subarray(s * B * G, (s + 1) * B * G),
        cPrevAll.subarray(s * B * H, (s + 1) * B * H),
        cNewAll.subarray(s * B * H, (s + 1) * B * H),
        dh,
        dc,
        dz,
        dcPrev,
        params,
      );
      for (let b = 0; b < B; b++) {
        const row = b * H;
        if (isActive(setup, b, t)) {
          direct.fill(0, row, row + H);
          dx.set(dz.subarray(b * G, (b + 1) * G), (b * T + t) * G);
        } else {
          // a masked step passes the state through: its gradient flows on unchanged
          dz.fill(0, b * G, (b + 1) * G);
          direct.set(dh.subarray(row, row + H), row);
          dcPrev.set(dc.subarray(row, row + H), row);
        }
      }
      gemm(dz, u, dhIn, B, H, G, { transB: true });
      combineStateGrad(direct, dhIn, recurrentMask, dh);
      dc.set(dcPrev);
    }
    // dU = sum_s hIn_s^T dz_s: one GEMM over every step's rows
    let dKernel: Tensor | null = null;
    if (kernel.requiresGrad) {
      const du = allocate(dtype, H * G);
      gemm(hInAll, dzAll, du, H, G, T * B, { transA: true });
      dKernel = new Tensor(du, [H, G]);
    }
    return [
      xProj.requiresGrad ? new Tensor(dx, [B, T, G]) : null,
      dKernel,
      h0.requiresGrad ? new Tensor(dh, [B, H]) : null,
      c0.requiresGrad ? new Tensor(dc, [B, H]) : null,
    ];
  });
}
