// backend/fused: the list of fused ops. The kernel table's fused entries (their names, types and
// reference kernels) are derived from this list, and every backend binds its own entries by name
// from it; adding a fused op is its definition file plus one line here.
import { attention } from "./attention.js";
import { type AnyKernel, entriesOf, type KernelsOfAll } from "./define.js";
import { dropout } from "./dropout.js";
import { epilogueBackward } from "./epilogue-backward.js";
import { gaussianNoise } from "./gaussian-noise.js";
import { gelu } from "./gelu.js";
import { gruCell } from "./gru-cell.js";
import { gruSequence } from "./gru-sequence.js";
import { layerNorm } from "./layer-norm.js";
import { lstmCell } from "./lstm-cell.js";
import { lstmSequence } from "./lstm-sequence.js";
import { rmsNorm } from "./rms-norm.js";
import { swiglu } from "./swiglu.js";

export const FUSED_OPS = [
  layerNorm,
  rmsNorm,
  gelu,
  lstmCell,
  gruCell,
  lstmSequence,
  gruSequence,
  attention,
  epilogueBackward,
  swiglu,
  gaussianNoise,
  dropout,
] as const;

/** The fused entries of the kernel table, derived from the definitions: `layerNorm`, `layerNormBackward`, ... */
export type FusedKernels = KernelsOfAll<typeof FUSED_OPS>;

/** The names of the fused entries (forward and adjoint kernels). */
export type FusedKernelName = keyof FusedKernels;

/** The reference fused entries: every definition's reference and vjp under its table name. */
export function referenceFusedKernels(): FusedKernels {
  const table: Record<string, AnyKernel> = {};
  for (const op of FUSED_OPS) for (const entry of entriesOf(op)) table[entry.name] = entry.reference;
  return table as unknown as FusedKernels;
}

/** Every fused entry's table name (what a positional backend must export). */
export const FUSED_KERNEL_NAMES: readonly FusedKernelName[] = FUSED_OPS.flatMap((op) =>
  entriesOf(op).map((entry) => entry.name as FusedKernelName),
);

export type { AttentionLayout, AttentionParams, RowStrides } from "./attention.js";
export type { CellActivation, CellParams, SequenceParams } from "./cell-shared.js";
export type { DropoutParams } from "./dropout.js";
export type { EpilogueBackwardParams } from "./epilogue-backward.js";
export type { GaussianNoiseParams } from "./gaussian-noise.js";
export type { NormParams } from "./layer-norm.js";
export type { SwigluParams } from "./swiglu.js";
