// ops/recurrent-shared: argument checks and small helpers the fused recurrent sequence ops
// (simpleRnnSequence, lstmSequence, gruSequence) share. Shapes: B batch, T time steps, H units,
// G gate blocks (1 simple RNN, 3 GRU, 4 LSTM). Everything is time-major (T, B, ...), as cuDNN and
// PyTorch keep it: one step's rows are contiguous, and all steps' rows stack into one GEMM operand.
import type { CellActivation } from "../backend/kernels.js";

/** Re-exported so that layers name the fusable cell activations through ops/, never backend/. */
export type { CellActivation };

import { kernels } from "../backend/registry.js";
import { allocate, type FloatArray } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { requireFloat } from "./operand.js";

/** Options every fused recurrent sequence op takes. */
export interface RecurrentOptions {
  /** (B, T) bool: at a false step a row keeps its previous state (Keras masking). */
  mask?: Tensor | null;
  /** Process time steps from last to first (the outputs stay indexed by input time). */
  goBackwards?: boolean;
  /** (B, H) multiplier of h_prev inside the recurrent product only (recurrent dropout). */
  recurrentMask?: Tensor | null;
  /** Candidate / output activation (default "tanh"). */
  activation?: CellActivation;
  /** Gate activation (default "sigmoid"; unused by the simple RNN). */
  recurrentActivation?: CellActivation;
}

export const CELL_ACTIVATIONS: readonly CellActivation[] = [
  "tanh",
  "sigmoid",
  "relu",
  "linear",
  "hard_sigmoid",
];

/** What the sequence ops agree on once their inputs are checked. */
export interface SequenceSetup {
  batch: number;
  steps: number;
  units: number;
  /** Input time index of processing step s. */
  timeOf: (s: number) => number;
  goBackwards: boolean;
  /** (B * T) 0/1 by [b, t], or null when every step counts. */
  mask: Uint8Array | null;
  /** (B * H) recurrent-dropout multipliers, or null. */
  recurrentMask: FloatArray | null;
  activation: CellActivation;
  recurrentActivation: CellActivation;
}

/** Checks xProj (T, B, G*H), the recurrent kernel (H, G*H) and the initial states (B, H). */
export function setupSequence(
  op: string,
  xProj: Tensor,
  kernel: Tensor,
  states: readonly Tensor[],
  gates: number,
  options: RecurrentOptions,
): SequenceSetup {
  requireFloat(op, xProj);
  if (xProj.rank !== 3 || xProj.shape[0]! < 1)
    throw new ShapeError(`${op}: xProj must be (T >= 1, B, ${gates}H) (got ${formatShape(xProj.shape)})`);
  const [steps, batch, width] = xProj.shape as [number, number, number];
  if (kernel.rank !== 2 || kernel.shape[1] !== width || kernel.shape[0]! * gates !== width) {
    throw new ShapeError(
      `${op}: recurrent kernel must be (H, ${gates}H) matching xProj ${formatShape(xProj.shape)} (got ${formatShape(kernel.shape)})`,
    );
  }
  const units = kernel.shape[0]!;
  for (const t of [kernel, ...states]) {
    if (t.dtype !== xProj.dtype)
      throw new DTypeError(`${op}: dtypes differ (got xProj ${xProj.dtype} and ${t.dtype})`);
  }
  for (const s of states) {
    if (s.rank !== 2 || s.shape[0] !== batch || s.shape[1] !== units) {
      throw new ShapeError(
        `${op}: initial states must be (${batch}, ${units}) (got ${formatShape(s.shape)})`,
      );
    }
  }
  let mask: Uint8Array | null = null;
  if (options.mask != null) {
    const m = options.mask;
    if (m.dtype !== "bool" || m.rank !== 2 || m.shape[0] !== batch || m.shape[1] !== steps) {
      throw new ShapeError(
        `${op}: mask must be a bool (${batch}, ${steps}) tensor (got ${m.dtype} ${formatShape(m.shape)})`,
      );
    }
    mask = m.data as Uint8Array;
  }
  let recurrentMask: FloatArray | null = null;
  if (options.recurrentMask != null) {
    const r = options.recurrentMask;
    if (r.dtype !== xProj.dtype || r.rank !== 2 || r.shape[0] !== batch || r.shape[1] !== units) {
      throw new ShapeError(
        `${op}: recurrentMask must be ${xProj.dtype} (${batch}, ${units}) (got ${r.dtype} ${formatShape(r.shape)})`,
      );
    }
    recurrentMask = r.data as FloatArray;
  }
  const activation = options.activation ?? "tanh";
  const recurrentActivation = options.recurrentActivation ?? "sigmoid";
  for (const a of [activation, recurrentActivation]) {
    if (!CELL_ACTIVATIONS.includes(a))
      throw new ValueError(`${op}: activation must be one of ${CELL_ACTIVATIONS.join(", ")} (got ${a})`);
  }
  const backwards = options.goBackwards ?? false;
  return {
    batch,
    steps,
    units,
    timeOf: backwards ? (s) => steps - 1 - s : (s) => s,
    goBackwards: backwards,
    mask,
    recurrentMask,
    activation,
    recurrentActivation,
  };
}

/** Whether row b takes the new state at input time t. */
export function isActive(setup: SequenceSetup, b: number, t: number): boolean {
  return setup.mask === null || setup.mask[b * setup.steps + t] !== 0;
}

/** out (m, n) = a (m, k) @ b (k, n), or with b transposed (b stored (n, k)), plus an optional bias. */
export function gemm(
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
  m: number,
  n: number,
  k: number,
  options: { transA?: boolean; transB?: boolean; bias?: FloatArray } = {},
): void {
  kernels().matmul(a, b, out, {
    batch: 1,
    m,
    n,
    k,
    transA: options.transA ?? false,
    transB: options.transB ?? false,
    aBatchStride: 0,
    bBatchStride: 0,
    bias: options.bias,
  });
}

const FLAT: readonly number[] = [1];

const scratchArrays = new Map<string, FloatArray>();

/**
 * A reused per-step work array of `length` elements (contents undefined), one per slot name and
 * dtype: for buffers that never leave one synchronous call (a fresh array of B x 4H floats costs
 * an mmap and its page faults on every call). Valid until the next call with the same slot.
 */
export function scratchArray(slot: string, dtype: "float32" | "float64", length: number): FloatArray {
  const key = `${slot}:${dtype}`;
  const cached = scratchArrays.get(key);
  if (cached !== undefined && cached.length >= length) return cached.subarray(0, length);
  const fresh = allocate(dtype, length);
  scratchArrays.set(key, fresh);
  return fresh;
}

const zeroArrays = new Map<string, FloatArray>();

/**
 * A reused all-zero array of `length` elements, one per slot name and dtype. NOTE: the caller may
 * write into it only for the length of one synchronous call and must zero what it wrote before
 * returning (also when throwing): the next caller relies on every element being 0.
 */
export function zeroScratch(slot: string, dtype: "float32" | "float64", length: number): FloatArray {
  const key = `${slot}:${dtype}`;
  const cached = zeroArrays.get(key);
  if (cached !== undefined && cached.length >= length) return cached.subarray(0, length);
  const fresh = allocate(dtype, length);
  zeroArrays.set(key, fresh);
  return fresh;
}

/** At most one spare per slot and dtype (the latest given), so varying shapes hold no more. */
const spareArrays = new Map<string, FloatArray>();

/**
 * A forward buffer that a previous call's backward rule gave back (giveSpare), or undefined (none,
 * or one of another length): arrays of several MB that only an op's own gradient rule ever reads
 * (the gates an LSTM saves for backpropagation through time). Reusing them, instead of a fresh
 * array per training step, keeps that external memory from piling up between garbage collections.
 * Contents unspecified.
 */
export function takeSpare(
  slot: string,
  dtype: "float32" | "float64",
  length: number,
): FloatArray | undefined {
  const key = `${slot}:${dtype}`;
  const spare = spareArrays.get(key);
  if (spare === undefined || spare.length !== length) return undefined;
  spareArrays.delete(key);
  return spare;
}

/**
 * Hands `array` back for takeSpare. NOTE: the caller guarantees nothing reads it afterwards (the
 * rule that saved it drops its reference and recomputes it should it run again).
 */
export function giveSpare(slot: string, dtype: "float32" | "float64", array: FloatArray): void {
  spareArrays.set(`${slot}:${dtype}`, array);
}

/** dst += src over dst's length, on the backend's elementwise kernel (no JS loop per element). */
export function addInto(dst: FloatArray, src: FloatArray): void {
  kernels().binary.add(dst, FLAT, src, FLAT, dst, [dst.length]);
}

/** hIn = h * recurrentMask (or a copy of h), the operand of the recurrent GEMM. */
export function maskedState(h: FloatArray, recurrentMask: FloatArray | null, hIn: FloatArray): void {
  if (recurrentMask === null) hIn.set(h);
  else kernels().binary.mul(h, FLAT, recurrentMask, FLAT, hIn, [hIn.length]);
}

/** dh = direct + dhIn * recurrentMask: the gradient reaching h_prev through both of its uses. */
export function combineStateGrad(
  direct: FloatArray,
  dhIn: FloatArray,
  recurrentMask: FloatArray | null,
  dh: FloatArray,
): void {
  const k = kernels();
  const shape = [dh.length];
  if (recurrentMask === null) {
    k.binary.add(direct, FLAT, dhIn, FLAT, dh, shape);
  } else {
    k.binary.mul(dhIn, FLAT, recurrentMask, FLAT, dh, shape);
    k.binary.add(dh, FLAT, direct, FLAT, dh, shape);
  }
}

/** Whether every element is 0 (a zero initial state adds nothing to dU). */
function allZero(a: FloatArray): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
  return true;
}

/**
 * dU = sum_t hIn_t^T dz_t over every step, hIn_t being the state the step at input time t read:
 * h0 for the first processed step, else the state after the previous processed step (held in
 * states (T, B, H) by time). With a recurrent mask the caller keeps hIn itself (hInAll) and one
 * GEMM does; otherwise one GEMM covers the T - 1 stored states and one the h0 block.
 */
export function recurrentKernelGrad(
  setup: SequenceSetup,
  dz: FloatArray,
  width: number,
  h0: FloatArray,
  states: FloatArray,
  hInAll: FloatArray | null,
  dtype: "float32" | "float64",
): FloatArray {
  const { steps: T, batch: B, units: H } = setup;
  const du = allocate(dtype, H * width);
  if (hInAll !== null) {
    gemm(hInAll, dz, du, H, width, T * B, { transA: true });
    return du;
  }
  if (T > 1) {
    const rows = (T - 1) * B;
    // forward: dz[1..T-1] read states[0..T-2]; backward: dz[0..T-2] read states[1..T-1]
    const dzRest = setup.goBackwards ? dz.subarray(0, rows * width) : dz.subarray(B * width);
    const hRest = setup.goBackwards ? states.subarray(B * H, T * B * H) : states.subarray(0, rows * H);
    gemm(hRest, dzRest, du, H, width, rows, { transA: true });
  }
  if (allZero(h0)) return du; // the usual zero initial state contributes nothing
  const first = setup.goBackwards ? T - 1 : 0; // the step that read h0
  const fromH0 = allocate(dtype, H * width);
  gemm(h0, dz.subarray(first * B * width, (first + 1) * B * width), fromH0, H, width, B, { transA: true });
  addInto(du, fromH0);
  return du;
}

/** The state rows the step at processing index s read: h0 at s = 0, else the previous step's. */
export function previousState(
  setup: SequenceSetup,
  s: number,
  h0: FloatArray,
  states: FloatArray,
): FloatArray {
  if (s === 0) return h0;
  const t = setup.timeOf(s - 1);
  const size = setup.batch * setup.units;
  return states.subarray(t * size, (t + 1) * size);
}

/** Copies the previous state's row over every row that is masked at input time t. */
export function carryMaskedRows(
  setup: SequenceSetup,
  t: number,
  previous: FloatArray,
  current: FloatArray,
): void {
  if (setup.mask === null) return;
  const H = setup.units;
  for (let b = 0; b < setup.batch; b++) {
    if (!isActive(setup, b, t)) current.set(previous.subarray(b * H, (b + 1) * H), b * H);
  }
}
