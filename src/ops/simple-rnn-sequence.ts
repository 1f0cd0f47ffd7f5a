// ops/simple-rnn-sequence: a whole SimpleRNN layer's recurrence, h_t = act(xProj_t + h_prev U),
// as one fused op: one GEMM per step forward and backward, GEMMs over all steps for dU.
// Shapes (time-major): T steps, B batch, H units.
import { record } from "../autograd/backward.js";
import type { CellActivation } from "../backend/kernels.js";
import { kernels } from "../backend/registry.js";
import { allocate, type FloatArray } from "../core/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { type TensorLike, toTensor } from "./operand.js";
import { simpleRnnComposed } from "./recurrent-composed.js";
import {
  carryMaskedRows,
  combineStateGrad,
  gemm,
  isActive,
  maskedState,
  previousState,
  type RecurrentOptions,
  recurrentKernelGrad,
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
 * Runs a simple RNN over xProj (T, B, H) = x W + b from h0 (B, H) with recurrent kernel (H, H).
 * Returns h after consuming each input step, (T, B, H), indexed by input time.
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
  const N = B * H;
  const dtype = xProj.dtype as "float32" | "float64";
  const x = xProj.data as FloatArray; // (T, B, H)
  const u = kernel.data as FloatArray; // (H, H)
  const h0d = h0.data as FloatArray;
  const hAll = allocate(dtype, T * N); // (T, B, H)
  const hInAll = recurrentMask === null ? null : allocate(dtype, T * N);
  for (let s = 0; s < T; s++) {
    const t = timeOf(s);
    const hPrev = previousState(setup, s, h0d, hAll);
    let hIn = hPrev;
    if (hInAll !== null) {
      hIn = hInAll.subarray(t * N, (t + 1) * N);
      maskedState(hPrev, recurrentMask, hIn);
    }
    const h = hAll.subarray(t * N, (t + 1) * N);
    gemm(hIn, u, h, B, H, H);
    for (let i = 0; i < N; i++) h[i] = h[i]! + x[t * N + i]!;
    activate(activation, h);
    carryMaskedRows(setup, t, hPrev, h);
  }
  const y = new Tensor(hAll, [T, B, H]);
  return record(
    "simpleRnnSequence",
    y,
    [xProj, kernel, h0],
    (dy) => {
      const dOut = dy.data as FloatArray; // (T, B, H)
      const dzAll = allocate(dtype, T * N); // (T, B, H) gradient of the pre-activation = dxProj
      const dh = allocate(dtype, N);
      const direct = allocate(dtype, N);
      const dhIn = allocate(dtype, N);
      for (let s = T - 1; s >= 0; s--) {
        const t = timeOf(s);
        const dz = dzAll.subarray(t * N, (t + 1) * N);
        for (let b = 0; b < B; b++) {
          const active = isActive(setup, b, t);
          for (let j = 0; j < H; j++) {
            const i = b * H + j;
            const g = dh[i]! + dOut[t * N + i]!;
            if (active) {
              dz[i] = g * derivative(activation, hAll[t * N + i]!);
              direct[i] = 0;
            } else {
              direct[i] = g;
            }
          }
        }
        gemm(dz, u, dhIn, B, H, H, { transB: true });
        combineStateGrad(direct, dhIn, recurrentMask, dh);
      }
      const dKernel = kernel.requiresGrad
        ? new Tensor(recurrentKernelGrad(setup, dzAll, H, h0d, hAll, hInAll, dtype), [H, H])
        : null;
      return [
        xProj.requiresGrad ? new Tensor(dzAll, [T, B, H]) : null,
        dKernel,
        h0.requiresGrad ? new Tensor(dh, [B, H]) : null,
      ];
    },
    ([xIn, kIn, hIn]) => simpleRnnComposed(xIn!, kIn!, hIn!, options),
  );
}
