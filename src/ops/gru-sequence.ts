// ops/gru-sequence: a whole reset-after GRU layer's recurrence (Keras resetAfter: true, the cuDNN
// form) as one fused op. Per step: one GEMM h_prev U + b_rec, then the gruCell kernel; the gradient
// rule runs backpropagation through time with gruCellBackward, one GEMM per step for dh_prev and one
// GEMM over all steps for dU. Shapes: B batch, T steps, H units; gate blocks [z r h] (Keras order).
import { record } from "../autograd/backward.js";
import { kernels } from "../backend/registry.js";
import { allocate, type FloatArray } from "../core/dtype.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
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
 * Runs a reset-after GRU over xProj (B, T, 3H) = x W + b_in from h0 (B, H), with recurrent kernel
 * (H, 3H) and recurrent bias (3H) or null. Returns h after each processing step, (B, T, H).
 * @example
 * const hs = gruSequence(linear(x, w, bIn), u, bRec, zeros([B, H]));
 */
export function gruSequence(
  xProjInput: TensorLike,
  kernelInput: TensorLike,
  recurrentBiasInput: TensorLike | null,
  h0Input: TensorLike,
  options: RecurrentOptions = {},
): Tensor {
  const xProj = toTensor(xProjInput);
  const kernel = toTensor(kernelInput);
  const h0 = toTensor(h0Input);
  const bias = recurrentBiasInput === null ? null : toTensor(recurrentBiasInput);
  const setup = setupSequence("gruSequence", xProj, kernel, [h0], 3, options);
  const { batch: B, steps: T, units: H, timeOf, recurrentMask } = setup;
  const G = 3 * H;
  if (bias !== null) {
    if (bias.dtype !== xProj.dtype)
      throw new DTypeError(`gruSequence: recurrent bias must be ${xProj.dtype}`);
    if (bias.rank !== 1 || bias.size !== G)
      throw new ShapeError(`gruSequence: recurrent bias must be (${G}) (got ${formatShape(bias.shape)})`);
  }
  const dtype = xProj.dtype as "float32" | "float64";
  const params = {
    batch: B,
    units: H,
    activation: setup.activation,
    recurrentActivation: setup.recurrentActivation,
  };
  const k = kernels();
  const x = xProj.data as FloatArray; // (B, T, 3H)
  const u = kernel.data as FloatArray; // (H, 3H)
  const out = allocate(dtype, B * T * H); // (B, T, H)
  const gatesAll = allocate(dtype, T * B * G); // (T, B, 3H) [z r hh] per step
  const recAll = allocate(dtype, T * B * G); // (T, B, 3H) h_prev U + b_rec per step
  const hInAll = allocate(dtype, T * B * H); // (T, B, H) h_prev * recurrent mask
  const hPrevAll = allocate(dtype, T * B * H); // (T, B, H) h_prev
  const h = (h0.data as FloatArray).slice();
  const xStep = allocate(dtype, B * G); // (B, 3H) this step's input part
  const hNew = allocate(dtype, B * H);
  for (let s = 0; s < T; s++) {
    const t = timeOf(s);
    const hIn = hInAll.subarray(s * B * H, (s + 1) * B * H);
    maskedState(h, recurrentMask, hIn);
    const rec = recAll.subarray(s * B * G, (s + 1) * B * G);
    gemm(hIn, u, rec, B, G, H, bias === null ? {} : { bias: bias.data as FloatArray });
    for (let b = 0; b < B; b++) xStep.set(x.subarray((b * T + t) * G, (b * T + t + 1) * G), b * G);
    hPrevAll.set(h, s * B * H);
    k.gruCell(xStep, rec, h, gatesAll.subarray(s * B * G, (s + 1) * B * G), hNew, params);
    for (let b = 0; b < B; b++) {
      if (isActive(setup, b, t)) h.set(hNew.subarray(b * H, (b + 1) * H), b * H);
      out.set(h.subarray(b * H, (b + 1) * H), (b * T + s) * H);
    }
  }
  const y = new Tensor(out, [B, T, H]);
  const inputs = bias === null ? [xProj, kernel, h0] : [xProj, kernel, h0, bias];
  return record("gruSequence", y, inputs, (dy) => {
    const dOut = dy.data as FloatArray; // (B, T, H)
    const dx = allocate(dtype, B * T * G);
    const drecAll = allocate(dtype, T * B * G); // (T, B, 3H)
    const dxStep = allocate(dtype, B * G);
    const dh = allocate(dtype, B * H);
    const direct = allocate(dtype, B * H);
    const dhIn = allocate(dtype, B * H);
    for (let s = T - 1; s >= 0; s--) {
      const t = timeOf(s);
      for (let b = 0; b < B; b++) {
        const o = (b * T + s) * H;
        for (let j = 0; j < H; j++) dh[b * H + j] = dh[b * H + j]! + dOut[o + j]!;
      }
      const drec = drecAll.subarray(s * B * G, (s + 1) * B * G);
      k.gruCellBackward(
        gatesAll.subarray(s * B * G, (s + 1) * B * G),
        recAll.subarray(s * B * G, (s + 1) * B * G),
        hPrevAll.subarray(s * B * H, (s + 1) * B * H),
        dh,
        dxStep,
        drec,
        direct,
        params,
      );
      for (let b = 0; b < B; b++) {
        if (isActive(setup, b, t)) {
          dx.set(dxStep.subarray(b * G, (b + 1) * G), (b * T + t) * G);
        } else {
          drec.fill(0, b * G, (b + 1) * G);
          direct.set(dh.subarray(b * H, (b + 1) * H), b * H);
        }
      }
      gemm(drec, u, dhIn, B, H, G, { transB: true });
      combineStateGrad(direct, dhIn, recurrentMask, dh);
    }
    let dKernel: Tensor | null = null;
    if (kernel.requiresGrad) {
      const du = allocate(dtype, H * G);
      gemm(hInAll, drecAll, du, H, G, T * B, { transA: true });
      dKernel = new Tensor(du, [H, G]);
    }
    const grads: (Tensor | null)[] = [
      xProj.requiresGrad ? new Tensor(dx, [B, T, G]) : null,
      dKernel,
      h0.requiresGrad ? new Tensor(dh, [B, H]) : null,
    ];
    if (bias !== null) {
      let db: Tensor | null = null;
      if (bias.requiresGrad) {
        const sums = allocate(dtype, G);
        for (let r = 0; r < T * B; r++) for (let j = 0; j < G; j++) sums[j] = sums[j]! + drecAll[r * G + j]!;
        db = new Tensor(sums, [G]);
      }
      grads.push(db);
    }
    return grads;
  });
}
