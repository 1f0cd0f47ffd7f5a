// ops/gru-sequence: a whole reset-after GRU layer's recurrence (Keras resetAfter: true, the cuDNN
// form) as one fused op. Without masks the backend's gruSequence / gruSequenceBackward kernels run
// the whole time loop (native: one call, batch rows split over threads). With masks the loop runs
// here: per step one GEMM h_prev U + b_rec, then the gruCell kernel writing h straight into the
// output, and back through time with gruCellBackward and one GEMM per step for dh_prev. dU and the
// bias gradient are GEMMs and a reduction over all steps.
// Shapes (time-major): T steps, B batch, H units; gate blocks [z r h] (Keras order).
import { record } from "../autograd/backward.js";
import type { CellParams, Kernels } from "../backend/kernels.js";
import { kernels } from "../backend/registry.js";
import { allocate, allocateUninit, type FloatArray } from "../core/dtype.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { type TensorLike, toTensor } from "./operand.js";
import { gruComposed } from "./recurrent-composed.js";
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
  type SequenceSetup,
  setupSequence,
} from "./recurrent-shared.js";

/** What the per-step loops share (the path taken with a step mask or a recurrent mask). */
interface GruSteps {
  k: Kernels;
  setup: SequenceSetup;
  params: CellParams;
  x: FloatArray; // (T, B, 3H)
  u: FloatArray; // (H, 3H)
  biasData: FloatArray | null;
  h0: FloatArray;
  hAll: FloatArray; // (T, B, H)
  gatesAll: FloatArray; // (T, B, 3H) [z r hh]
  recAll: FloatArray; // (T, B, 3H) h_prev U + b_rec
  hInAll: FloatArray | null;
  dtype: "float32" | "float64";
}

/** The forward time loop, one GEMM and one gruCell call per step. */
function forwardSteps(ctx: GruSteps): void {
  const { k, setup, params, x, u, biasData, h0, hAll, gatesAll, recAll, hInAll } = ctx;
  const { batch: B, steps: T, units: H, recurrentMask } = setup;
  const G = 3 * H;
  const N = B * H;
  for (let s = 0; s < T; s++) {
    const t = setup.timeOf(s);
    const hPrev = previousState(setup, s, h0, hAll);
    let hIn = hPrev;
    if (hInAll !== null) {
      hIn = hInAll.subarray(t * N, (t + 1) * N);
      maskedState(hPrev, recurrentMask, hIn);
    }
    const rec = recAll.subarray(t * B * G, (t + 1) * B * G);
    gemm(hIn, u, rec, B, G, H, biasData === null ? {} : { bias: biasData });
    const h = hAll.subarray(t * N, (t + 1) * N);
    k.gruCell(
      x.subarray(t * B * G, (t + 1) * B * G),
      rec,
      hPrev,
      gatesAll.subarray(t * B * G, (t + 1) * B * G),
      h,
      params,
    );
    carryMaskedRows(setup, t, hPrev, h);
  }
}

/** Backpropagation through time step by step: fills dxAll and drecAll, leaves dh0's gradient in dh. */
function backwardSteps(
  ctx: GruSteps,
  dOut: FloatArray,
  dxAll: FloatArray,
  drecAll: FloatArray,
  dh: FloatArray,
): void {
  const { k, setup, params, u, h0, hAll, gatesAll, recAll, dtype } = ctx;
  const { batch: B, steps: T, units: H, recurrentMask } = setup;
  const G = 3 * H;
  const N = B * H;
  const direct = allocate(dtype, N);
  const dhIn = allocate(dtype, N);
  for (let s = T - 1; s >= 0; s--) {
    const t = setup.timeOf(s);
    addInto(dh, dOut.subarray(t * N, (t + 1) * N));
    const dx = dxAll.subarray(t * B * G, (t + 1) * B * G);
    const drec = drecAll.subarray(t * B * G, (t + 1) * B * G);
    const gates = gatesAll.subarray(t * B * G, (t + 1) * B * G);
    const rec = recAll.subarray(t * B * G, (t + 1) * B * G);
    k.gruCellBackward(gates, rec, previousState(setup, s, h0, hAll), dh, dx, drec, direct, params);
    if (setup.mask !== null) {
      for (let b = 0; b < B; b++) {
        if (isActive(setup, b, t)) continue;
        dx.fill(0, b * G, (b + 1) * G);
        drec.fill(0, b * G, (b + 1) * G);
        direct.set(dh.subarray(b * H, (b + 1) * H), b * H);
      }
    }
    gemm(drec, u, dhIn, B, H, G, { transB: true });
    combineStateGrad(direct, dhIn, recurrentMask, dh);
  }
}

/**
 * Runs a reset-after GRU over xProj (T, B, 3H) = x W + b_in from h0 (B, H), with recurrent kernel
 * (H, 3H) and recurrent bias (3H) or null. Returns h after consuming each input step, (T, B, H),
 * indexed by input time.
 * @example
 * const hs = gruSequence(linear(xTimeMajor, w, bIn), u, bRec, zeros([B, H]));
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
  const { batch: B, steps: T, units: H, recurrentMask } = setup;
  const G = 3 * H;
  const N = B * H;
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
  const x = xProj.data as FloatArray; // (T, B, 3H)
  const u = kernel.data as FloatArray; // (H, 3H)
  const h0d = h0.data as FloatArray;
  // without masks the backend's gruSequence kernel runs the whole time loop, writing every step
  const whole = setup.mask === null && recurrentMask === null;
  const output = whole ? allocateUninit : allocate;
  const hAll = output(dtype, T * N); // (T, B, H)
  const gatesAll = output(dtype, T * B * G); // (T, B, 3H) [z r hh]
  const recAll = output(dtype, T * B * G); // (T, B, 3H) h_prev U + b_rec
  const hInAll = recurrentMask === null ? null : allocate(dtype, T * N);
  const biasData = bias === null ? null : (bias.data as FloatArray);
  const sequenceParams = { ...params, steps: T, goBackwards: setup.goBackwards };
  const ctx: GruSteps = { k, setup, params, x, u, biasData, h0: h0d, hAll, gatesAll, recAll, hInAll, dtype };
  if (whole) k.gruSequence(x, u, biasData, h0d, hAll, gatesAll, recAll, sequenceParams);
  else forwardSteps(ctx);
  const y = new Tensor(hAll, [T, B, H]);
  const inputs = bias === null ? [xProj, kernel, h0] : [xProj, kernel, h0, bias];
  return record(
    "gruSequence",
    y,
    inputs,
    (dy) => {
      const dOut = dy.data as FloatArray; // (T, B, H)
      const dxAll = output(dtype, T * B * G); // (T, B, 3H) = dxProj
      const drecAll = output(dtype, T * B * G); // (T, B, 3H)
      const dh = allocate(dtype, N);
      if (whole)
        k.gruSequenceBackward(gatesAll, recAll, hAll, h0d, u, dOut, dxAll, drecAll, dh, sequenceParams);
      else backwardSteps(ctx, dOut, dxAll, drecAll, dh);
      const dKernel = kernel.requiresGrad
        ? new Tensor(recurrentKernelGrad(setup, drecAll, G, h0d, hAll, hInAll, dtype), [H, G])
        : null;
      const grads: (Tensor | null)[] = [
        xProj.requiresGrad ? new Tensor(dxAll, [T, B, G]) : null,
        dKernel,
        h0.requiresGrad ? new Tensor(dh, [B, H]) : null,
      ];
      if (bias !== null) {
        let db: Tensor | null = null;
        if (bias.requiresGrad) {
          const sums = allocate(dtype, G);
          k.reduce.sum(drecAll, 1, T * B, G, sums);
          db = new Tensor(sums, [G]);
        }
        grads.push(db);
      }
      return grads;
    },
    ([xIn, kIn, hIn, bIn]) => gruComposed(xIn!, kIn!, hIn!, bIn ?? null, options),
  );
}
