// ops/lstm-sequence-whole: lstmSequence's path without masks, where the backend's whole-sequence
// kernels run the time loop (lstmSequence forward, lstmSequenceBackward for backpropagation
// through time). What only the gradient rule reads, the activated gates (T, B, 4H) and, when the
// caller asks for the final states alone, every step's h and c (2, T, B, H), is handed back
// (takeSpare / giveSpare) once the rule has run, so that a training loop reuses the same few MB
// each step instead of asking the host for fresh memory that the garbage collector then chases.
// A second backward through the same graph recomputes them. With a projection (lstmFromInputs)
// the input projection xProj = x W + b is private too (scratch, recomputed if needed) and so is
// dxProj, which becomes dW = x^T dz, db = sum dz, dx = dz W^T here. Shapes (time-major): T steps,
// B batch, F features, H units; gate blocks [i f g o].
import { record } from "../autograd/backward.js";
import type { SequenceParams } from "../backend/kernels.js";
import { kernels } from "../backend/registry.js";
import { allocate, allocateUninit, type FloatArray } from "../core/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { slice } from "./indexing.js";
import { linear } from "./linalg.js";
import { lstmComposed } from "./recurrent-composed.js";
import {
  gemm,
  giveSpare,
  type RecurrentOptions,
  recurrentKernelGrad,
  type SequenceSetup,
  scratchArray,
  takeSpare,
  zeroScratch,
} from "./recurrent-shared.js";

const GATES_SLOT = "lstmSequence.gates";
const STATES_SLOT = "lstmSequence.states";

/** The input projection lstmFromInputs fused in: xProj = x W + b, kept private. */
export interface Projection {
  x: Tensor; // (T, B, F)
  kernel: Tensor; // (F, 4H)
  bias: Tensor | null; // (4H)
  /** Writes x W + b into xProj's array again (a later call may have reused it). */
  project: () => void;
}

/** What lstmSequence (or lstmFromInputs) checked and decided before taking this path. */
export interface WholeSequenceArgs {
  xProj: Tensor; // (T, B, 4H); with a projection, an unrecorded tensor over scratch memory
  kernel: Tensor; // (H, 4H)
  h0: Tensor; // (B, H)
  c0: Tensor; // (B, H)
  setup: SequenceSetup;
  options: RecurrentOptions;
  /** Return (2, B, H): h and c after the last processed step, instead of (2, T, B, H). */
  finalStates: boolean;
  projection: Projection | null;
}

/** The arrays the gradient rule reads: gates (T, B, 4H) and states (2, T, B, H). */
interface Saved {
  gates: FloatArray;
  states: FloatArray;
}

/** lstmSequence without masks on the whole-sequence kernels (see the file header). */
export function lstmSequenceWhole(a: WholeSequenceArgs): Tensor {
  const { xProj, kernel, h0, c0, setup, finalStates, projection } = a;
  const { batch: B, steps: T, units: H } = setup;
  const G = 4 * H;
  const N = B * H; // one state block
  const dtype = xProj.dtype as "float32" | "float64";
  const k = kernels();
  const params: SequenceParams = {
    batch: B,
    units: H,
    activation: setup.activation,
    recurrentActivation: setup.recurrentActivation,
    steps: T,
    goBackwards: setup.goBackwards,
  };
  const x = xProj.data as FloatArray;
  const u = kernel.data as FloatArray;
  const h0d = h0.data as FloatArray;
  const c0d = c0.data as FloatArray;
  const last = setup.goBackwards ? 0 : T - 1; // input time of the last processed step

  /** Runs the forward kernel into `saved` (every element overwritten). */
  const forward = (saved: Saved): void => {
    k.lstmSequence(
      x,
      u,
      h0d,
      c0d,
      saved.states.subarray(0, T * N),
      saved.states.subarray(T * N),
      saved.gates,
      params,
    );
  };

  const gates = takeSpare(GATES_SLOT, dtype, T * B * G) ?? allocateUninit(dtype, T * B * G);
  // with every step returned, the states are the caller's output and never handed back
  const states = finalStates
    ? (takeSpare(STATES_SLOT, dtype, 2 * T * N) ?? allocateUninit(dtype, 2 * T * N))
    : allocateUninit(dtype, 2 * T * N);
  let saved: Saved | null = { gates, states };
  forward(saved);
  let y: Tensor;
  if (finalStates) {
    const out = allocateUninit(dtype, 2 * N); // (2, B, H)
    // the h and c blocks at the last step, through a kernel (inference plans replay kernels only)
    const src = { offset: last * N, strides: [T * N, 1] };
    k.stridedCopy(states, src, out, { offset: 0, strides: [N, 1] }, [2, N]);
    y = new Tensor(out, [2, B, H]);
  } else {
    y = new Tensor(states, [2, T, B, H]);
  }

  /** Hands the saved arrays back (only those no caller can reach); the rule recomputes after. */
  const giveBack = (): void => {
    if (saved === null) return;
    giveSpare(GATES_SLOT, dtype, saved.gates);
    if (finalStates) giveSpare(STATES_SLOT, dtype, saved.states);
    saved = null;
  };

  const inputs = projection === null ? [xProj] : [projection.x, projection.kernel];
  if (projection?.bias) inputs.push(projection.bias);
  inputs.push(kernel, h0, c0);
  const result = record(
    "lstmSequence",
    y,
    inputs,
    (dy) => {
      let own = saved;
      if (own === null) {
        // a second pass through this graph: the first gave the arrays away, so recompute them
        // (into arrays of its own: y stays as the caller saw it)
        own = { gates: allocateUninit(dtype, T * B * G), states: allocateUninit(dtype, 2 * T * N) };
        projection?.project();
        forward(own);
      }
      // (T, B, 4H) = dxProj; private scratch when the projection's gradients are taken here
      const dzAll =
        projection === null
          ? allocateUninit(dtype, T * B * G)
          : scratchArray("lstmSequence.dz", dtype, T * B * G);
      // gradients reaching h0 and c0 (the kernel overwrites them); scratch when nobody wants them
      const dh = h0.requiresGrad ? allocateUninit(dtype, N) : scratchArray("lstmSequence.dh0", dtype, N);
      const dc = c0.requiresGrad ? allocateUninit(dtype, N) : scratchArray("lstmSequence.dc0", dtype, N);
      const dOut = dy.data as FloatArray;
      const hAll = own.states.subarray(0, T * N);
      const cAll = own.states.subarray(T * N);
      // with finalStates dy (2, B, H) reaches only the last processed step: place it in an
      // all-zero (2, T, B, H) scratch, and zero those two rows again afterwards
      const dStates = finalStates ? zeroScratch("lstmSequence.dStates", dtype, 2 * T * N) : dOut;
      if (finalStates) {
        dStates.set(dOut.subarray(0, N), last * N);
        dStates.set(dOut.subarray(N, 2 * N), (T + last) * N);
      }
      try {
        k.lstmSequenceBackward(
          own.gates,
          cAll,
          c0d,
          u,
          dStates.subarray(0, T * N),
          dStates.subarray(T * N),
          dzAll,
          dh,
          dc,
          params,
        );
      } finally {
        if (finalStates) {
          dStates.fill(0, last * N, (last + 1) * N);
          dStates.fill(0, (T + last) * N, (T + last + 1) * N);
        }
      }
      const dKernel = kernel.requiresGrad
        ? new Tensor(recurrentKernelGrad(setup, dzAll, G, h0d, hAll, null, dtype), [H, G])
        : null;
      giveBack();
      const stateGrads = [
        dKernel,
        h0.requiresGrad ? new Tensor(dh, [B, H]) : null,
        c0.requiresGrad ? new Tensor(dc, [B, H]) : null,
      ];
      if (projection === null)
        return [xProj.requiresGrad ? new Tensor(dzAll, [T, B, G]) : null, ...stateGrads];
      return [...projectionGrads(projection, dzAll, T * B, G, dtype), ...stateGrads];
    },
    (all) => {
      const [kIn, hIn, cIn] = all.slice(-3) as [Tensor, Tensor, Tensor];
      const xIn = projection === null ? all[0]! : linear(all[0]!, all[1]!, projection.bias ? all[2]! : null);
      const every = lstmComposed(xIn, kIn, hIn, cIn, a.options);
      return finalStates ? slice(every, [null, last]) : every;
    },
  );
  // not recorded (inference, or nothing needs a gradient): no rule will read them
  if (result.gradNode === null) giveBack();
  return result;
}

/** dx = dz W^T (rows, F), dW = x^T dz (F, G), db = column sums of dz (G), each when wanted. */
function projectionGrads(
  p: Projection,
  dz: FloatArray,
  rows: number,
  G: number,
  dtype: "float32" | "float64",
): (Tensor | null)[] {
  const F = p.kernel.shape[0]!;
  const x = p.x.data as FloatArray;
  const w = p.kernel.data as FloatArray;
  let dx: Tensor | null = null;
  if (p.x.requiresGrad) {
    const out = allocateUninit(dtype, rows * F);
    gemm(dz, w, out, rows, F, G, { transB: true });
    dx = new Tensor(out, p.x.shape);
  }
  let dw: Tensor | null = null;
  if (p.kernel.requiresGrad) {
    const out = allocateUninit(dtype, F * G);
    gemm(x, dz, out, F, G, rows, { transA: true });
    dw = new Tensor(out, [F, G]);
  }
  const grads = [dx, dw];
  if (p.bias !== null) {
    let db: Tensor | null = null;
    if (p.bias.requiresGrad) {
      const sums = allocate(dtype, G);
      kernels().reduce.sum(dz, 1, rows, G, sums);
      db = new Tensor(sums, [G]);
    }
    grads.push(db);
  }
  return grads;
}
