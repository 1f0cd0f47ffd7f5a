// ops/lstm-sequence: a whole LSTM layer's recurrence as one fused op. Without masks the backend's
// lstmSequence kernel runs the whole time loop (the native one in one call, batch rows split over
// threads) and lstmSequenceBackward the backpropagation through time (ops/lstm-sequence-whole,
// which also reuses the arrays only its gradient rule reads). With a step mask or a
// recurrent (dropout) mask the loop runs here: per step one GEMM (h_prev U), then the lstmCell
// kernel (gates fused) writing h and c straight into the output, and back through time with
// lstmCellBackward and one GEMM per step for dh_prev. The input projection x W + b is the
// caller's single GEMM over all steps (xProj); dU is GEMMs over all steps; dxProj is the stacked
// per-step gradient itself. Shapes (time-major): T steps, B batch, H units; gate blocks [i f g o].
import { record } from "../autograd/backward.js";
import type { CellParams, Kernels } from "../backend/kernels.js";
import { kernelRoutes, kernels } from "../backend/registry.js";
import { allocate, type FloatArray } from "../core/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { slice } from "./indexing.js";
import { type CellScratch, lstmCellBackwardComposed, lstmCellComposed } from "./lstm-cell-composed.js";
import { lstmSequenceWhole } from "./lstm-sequence-whole.js";
import { type TensorLike, toTensor } from "./operand.js";
import { lstmComposed } from "./recurrent-composed.js";
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
  scratchArray,
  setupSequence,
} from "./recurrent-shared.js";

/** lstmSequence's options: the recurrent ones, and which states come back. */
export interface LstmSequenceOptions extends RecurrentOptions {
  /**
   * Return only h and c after the last processed step, (2, B, H), instead of every step's
   * (2, T, B, H): what a layer that returns no sequence needs. Default false.
   */
  finalStates?: boolean;
}

/** What the per-step loops share (the path taken with masks or a composed cell). */
interface StepContext {
  k: Kernels;
  setup: SequenceSetup;
  params: CellParams;
  scratch: CellScratch | null;
  x: FloatArray; // (T, B, 4H)
  u: FloatArray; // (H, 4H)
  h0: FloatArray;
  c0: FloatArray;
  hAll: FloatArray; // (T, B, H)
  cAll: FloatArray;
  gatesAll: FloatArray; // (T, B, 4H)
  hInAll: FloatArray | null; // (T, B, H) h_prev * recurrent mask
  dtype: "float32" | "float64";
}

/** The forward time loop, one GEMM and one cell kernel call per step. */
function forwardSteps(ctx: StepContext): void {
  const { k, setup, params, scratch, x, u, h0, c0, hAll, cAll, gatesAll, hInAll } = ctx;
  const { batch: B, steps: T, units: H, recurrentMask } = setup;
  const G = 4 * H;
  const N = B * H;
  const rec = scratchArray("lstmSequence.rec", ctx.dtype, B * G); // (B, 4H) h_prev U
  for (let s = 0; s < T; s++) {
    const t = setup.timeOf(s);
    const hPrev = previousState(setup, s, h0, hAll);
    const cPrev = previousState(setup, s, c0, cAll);
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
}

/** Backpropagation through time step by step: fills dzAll, writes the gradients reaching h0, c0. */
function backwardSteps(
  ctx: StepContext,
  dOut: FloatArray,
  dzAll: FloatArray,
  dh: FloatArray,
  dc0: FloatArray,
): void {
  const { k, setup, params, scratch, u, c0, cAll, gatesAll } = ctx;
  const { batch: B, steps: T, units: H, recurrentMask } = setup;
  const G = 4 * H;
  const N = B * H;
  let dc = dc0;
  let dcPrev = allocate(ctx.dtype, N);
  // without masks dh_prev is dz U^T alone: the GEMM writes it in place
  const plain = setup.mask === null && recurrentMask === null;
  const direct = plain ? null : allocate(ctx.dtype, N); // part of dh_prev that skips the cell (masked rows)
  const dhIn = plain ? dh : allocate(ctx.dtype, N);
  for (let s = T - 1; s >= 0; s--) {
    const t = setup.timeOf(s);
    addInto(dh, dOut.subarray(t * N, (t + 1) * N));
    addInto(dc, dOut.subarray((T + t) * N, (T + t + 1) * N));
    const dz = dzAll.subarray(t * B * G, (t + 1) * B * G);
    const c = cAll.subarray(t * N, (t + 1) * N);
    const gates = gatesAll.subarray(t * B * G, (t + 1) * B * G);
    const cPrev = previousState(setup, s, c0, cAll);
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
  if (dc !== dc0) dc0.set(dc);
}

/**
 * Whether lstmSequence runs on the backend's whole-sequence kernels with these options: no step or
 * recurrent mask, and a fused cell (without one, the registry routes a backend with fast
 * elementwise kernels to the composed cell, for the default activations, which it covers).
 */
export function runsWholeSequence(options: RecurrentOptions): boolean {
  const composed =
    kernelRoutes().lstmCell === "composed" &&
    (options.activation ?? "tanh") === "tanh" &&
    (options.recurrentActivation ?? "sigmoid") === "sigmoid";
  return !composed && options.mask == null && options.recurrentMask == null;
}

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
  options: LstmSequenceOptions = {},
): Tensor {
  const xProj = toTensor(xProjInput);
  const kernel = toTensor(kernelInput);
  const h0 = toTensor(h0Input);
  const c0 = toTensor(c0Input);
  const setup = setupSequence("lstmSequence", xProj, kernel, [h0, c0], 4, options);
  const { batch: B, steps: T, units: H, recurrentMask } = setup;
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
  // without a fused cell kernel, the registry routes a backend with fast elementwise kernels to
  // the composed cell (for the default activations, which it covers)
  const composed =
    kernelRoutes().lstmCell === "composed" &&
    setup.activation === "tanh" &&
    setup.recurrentActivation === "sigmoid";
  const scratch: CellScratch | null = composed
    ? { sig: allocate(dtype, B * G), tanh: allocate(dtype, B * G), state: allocate(dtype, N) }
    : null;
  const finalStates = options.finalStates ?? false;
  if (runsWholeSequence(options))
    return lstmSequenceWhole({ xProj, kernel, h0, c0, setup, options, finalStates, projection: null });
  const out = allocate(dtype, 2 * T * N); // (2, T, B, H)
  const ctx: StepContext = {
    k,
    setup,
    params,
    scratch,
    x: xProj.data as FloatArray,
    u: kernel.data as FloatArray,
    h0: h0.data as FloatArray,
    c0: c0.data as FloatArray,
    hAll: out.subarray(0, T * N),
    cAll: out.subarray(T * N),
    gatesAll: allocate(dtype, T * B * G), // (T, B, 4H) activated gates
    hInAll: recurrentMask === null ? null : allocate(dtype, T * N),
    dtype,
  };
  forwardSteps(ctx);
  const y = record(
    "lstmSequence",
    new Tensor(out, [2, T, B, H]),
    [xProj, kernel, h0, c0],
    (dy) => {
      const dOut = dy.data as FloatArray; // (2, T, B, H)
      const dzAll = allocate(dtype, T * B * G); // (T, B, 4H) = dxProj
      const dh = allocate(dtype, N); // gradient reaching h0
      const dc = allocate(dtype, N); // gradient reaching c0
      backwardSteps(ctx, dOut, dzAll, dh, dc);
      const dKernel = kernel.requiresGrad
        ? new Tensor(recurrentKernelGrad(setup, dzAll, G, ctx.h0, ctx.hAll, ctx.hInAll, dtype), [H, G])
        : null;
      return [
        xProj.requiresGrad ? new Tensor(dzAll, [T, B, G]) : null,
        dKernel,
        h0.requiresGrad ? new Tensor(dh, [B, H]) : null,
        c0.requiresGrad ? new Tensor(dc, [B, H]) : null,
      ];
    },
    ([xIn, kIn, hIn, cIn]) => lstmComposed(xIn!, kIn!, hIn!, cIn!, options),
  );
  // (2, B, H) at the last processed step
  return finalStates ? slice(y, [null, setup.goBackwards ? 0 : T - 1]) : y;
}
