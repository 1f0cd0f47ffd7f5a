// ops/simple-rnn-sequence: a whole SimpleRNN layer's recurrence, h_t = act(xProj_t + h_prev U),
// as one fused op: one GEMM per step forward and backward, one GEMM over all steps for dU.
// Shapes: B batch, T steps, H units.
import { record } from "../autograd/backward.js";
import type { CellActivation } from "../backend/kernels.js";
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

/** Applies the activation in place (the elementwise kernels for tanh / sigmoid / relu). */
function activate(kind: CellActivation, x: FloatArray): void {
  const k = kernels();
  if (kind === "tanh") k.unary.tanh(x, x);
  else if (kind === "sigmoid") k.unary.sigmoid(x, x);
  else if (kind === "relu") k.unary.relu(x, x);
  else if (kind === "hard_sigmoid")
    for (let i = 0; i < x.length; i++) x[i] = Math.min(Math.max(x[i]! / 6 + 0.5, 0), 1);
}

/** act'(x) through y = act(x). */
function derivative(kind: CellActivation, y: number): number {
  if (kind === "tanh") return 1 - y * y;
  if (kind === "sigmoid") return y * (1 - y);
  if (kind === "relu") return y > 0 ? 1 : 0;
  if (kind === "hard_sigmoid") return y > 0 && y < 1 ? 1 / 6 : 0;
  return 1;
}

/**
 * Runs a simple RNN over xProj (B, T, H) = x W + b from h0 (B, H) with recurrent kernel (H, H).
 * Returns h after each processing step, (B, T, H).
 */
export function simpleRnnSequence(
  xProjInput: TensorLike,
  kernelInput: TensorLike,
  h0Input: TensorLike,
  options: RecurrentOptions = {},
): Tensor {
  const xProj = toTensor(xProjInput);
  const kernel = toTensor(kernelInput);
  const h0 = toTensor(h0Input);
  const setup = setupSequence("simpleRnnSequence", xProj, kernel, [h0], 1, options);
  const { batch: B, steps: T, units: H, timeOf, recurrentMask, activation } = setup;
  const dtype = xProj.dtype as "float32" | "float64";
  const x = xProj.data as FloatArray; // (B, T, H)
  const u = kernel.data as FloatArray; // (H, H)
  const out = allocate(dtype, B * T * H);
  const hNewAll = allocate(dtype, T * B * H); // (T, B, H) activated output of each step
  const hInAll = allocate(dtype, T * B * H); // (T, B, H) h_prev * recurrent mask
  const h = (h0.data as FloatArray).slice();
  for (let s = 0; s < T; s++) {
    const t = timeOf(s);
    const hIn = hInAll.subarray(s * B * H, (s + 1) * B * H);
    maskedState(h, recurrentMask, hIn);
    const hNew = hNewAll.subarray(s * B * H, (s + 1) * B * H);
    gemm(hIn, u, hNew, B, H, H);
    for (let b = 0; b < B; b++) {
      const xRow = (b * T + t) * H;
      for (let j = 0; j < H; j++) hNew[b * H + j] = hNew[b * H + j]! + x[xRow + j]!;
    }
    activate(activation, hNew);
    for (let b = 0; b < B; b++) {
      if (isActive(setup, b, t)) h.set(hNew.subarray(b * H, (b + 1) * H), b * H);
      out.set(h.subarray(b * H, (b + 1) * H), (b * T + s) * H);
    }
  }
  const y = new Tensor(out, [B, T, H]);
  return record("simpleRnnSequence", y, [xProj, kernel, h0], (dy) => {
    const dOut = dy.data as FloatArray;
    const dx = allocate(dtype, B * T * H);
    const dzAll = allocate(dtype, T * B * H); // (T, B, H) gradient of the pre-activation
    const dh = allocate(dtype, B * H);
    const direct = allocate(dtype, B * H);
    const dhIn = allocate(dtype, B * H);
    for (let s = T - 1; s >= 0; s--) {
      const t = timeOf(s);
      const dz = dzAll.subarray(s * B * H, (s + 1) * B * H);
      const hNew = hNewAll.subarray(s * B * H, (s + 1) * B * H);
      for (let b = 0; b < B; b++) {
        const active = isActive(setup, b, t);
        for (let j = 0; j < H; j++) {
          const i = b * H + j;
          const g = dh[i]! + dOut[(b * T + s) * H + j]!;
          if (active) {
            const d = g * derivative(activation, hNew[i]!);
            dz[i] = d;
            dx[(b * T + t) * H + j] = d;
            direct[i] = 0;
          } else {
            dz[i] = 0;
            direct[i] = g;
          }
        }
      }
      gemm(dz, u, dhIn, B, H, H, { transB: true });
      combineStateGrad(direct, dhIn, recurrentMask, dh);
    }
    let dKernel: Tensor | null = null;
    if (kernel.requiresGrad) {
      const du = allocate(dtype, H * H);
      gemm(hInAll, dzAll, du, H, H, T * B, { transA: true });
      dKernel = new Tensor(du, [H, H]);
    }
    return [
      xProj.requiresGrad ? new Tensor(dx, [B, T, H]) : null,
      dKernel,
      h0.requiresGrad ? new Tensor(dh, [B, H]) : null,
    ];
  });
}
