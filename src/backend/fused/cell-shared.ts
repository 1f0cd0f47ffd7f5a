// backend/fused/cell-shared: what the fused recurrent ops share: the cell parameters and
// activations, the scalar activation functions and their derivatives (through the output), the
// time-step bookkeeping of the whole-sequence kernels and the native call's trailing arguments.
// Shapes: B batch rows, H units; gate blocks are laid out [i f g o] (LSTM) and [z r h] (GRU) along
// the last axis, as Keras stores its kernels; sequences are time-major (T, B, ...).
import type { FloatArray } from "../../core/dtype.js";
import { sigmoid } from "../reference/scalar-math.js";
import type { PositionalNames } from "./define.js";

/** Activations the fused recurrent cell kernels apply; other activations take the composed path. */
export type CellActivation = "tanh" | "sigmoid" | "relu" | "linear" | "hard_sigmoid";

/** One recurrent step of B rows and H units with the cell's two activations. */
export interface CellParams {
  batch: number;
  units: number;
  activation: CellActivation;
  recurrentActivation: CellActivation;
}

/** A whole recurrence of `steps` cell steps, processed from the last input step when goBackwards. */
export interface SequenceParams extends CellParams {
  steps: number;
  goBackwards: boolean;
}

type Scalar = (x: number) => number;

const hardSigmoid: Scalar = (x) => Math.min(Math.max(x / 6 + 0.5, 0), 1);

/** act(x) for the fusable cell activations. */
export function cellActivation(kind: CellActivation): Scalar {
  switch (kind) {
    case "tanh":
      return Math.tanh;
    case "sigmoid":
      return sigmoid;
    case "relu":
      return (x) => Math.max(x, 0);
    case "linear":
      return (x) => x;
    case "hard_sigmoid":
      return hardSigmoid;
  }
}

/** act'(x) expressed through y = act(x), which is what the backward pass keeps. */
export function cellDerivative(kind: CellActivation): Scalar {
  switch (kind) {
    case "tanh":
      return (y) => 1 - y * y;
    case "sigmoid":
      return (y) => y * (1 - y);
    case "relu":
      return (y) => (y > 0 ? 1 : 0);
    case "linear":
      return () => 1;
    case "hard_sigmoid":
      return (y) => (y > 0 && y < 1 ? 1 / 6 : 0);
  }
}

/** out (m, n) = a (m, k) @ b (k, n), or @ b^T with b stored (n, k). */
export function product(
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
export function timeOf(s: number, p: SequenceParams): number {
  return p.goBackwards ? p.steps - 1 - s : s;
}

/** The state (N values) step s starts from: init at the first step, else the previous step's row. */
export function stateBefore(
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

/** The addon's codes of both activations, or undefined when it lacks either (the reference runs). */
function activationCodes(p: CellParams, names: PositionalNames): readonly [number, number] | undefined {
  const a = names.cellActivations.indexOf(p.activation);
  const ra = names.cellActivations.indexOf(p.recurrentActivation);
  return a < 0 || ra < 0 ? undefined : [a, ra];
}

/** A cell kernel's native trailing arguments: batch, units and the two activation codes. */
export function cellTail(
  p: CellParams,
  _args: unknown,
  names: PositionalNames,
): readonly unknown[] | undefined {
  const codes = activationCodes(p, names);
  return codes && [p.batch, p.units, codes[0], codes[1]];
}

/** A sequence kernel's native trailing arguments: steps, batch, units, activation codes, goBackwards. */
export function sequenceTail(
  p: SequenceParams,
  _args: unknown,
  names: PositionalNames,
): readonly unknown[] | undefined {
  const codes = activationCodes(p, names);
  return codes && [p.steps, p.batch, p.units, codes[0], codes[1], p.goBackwards];
}
