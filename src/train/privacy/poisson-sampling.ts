// train/privacy/poisson-sampling: the batches the RDP accountant assumes. Each step takes every
// example independently with probability q (Poisson sampling, as Opacus's DPDataLoader), so a
// batch's size varies around q N and may be 0; a fixed-size shuffled batch would need another
// analysis (sampling without replacement) and is not what the accountant bounds.
import type { Generator as Rng } from "../../core/random.js";
import { type ArrayData, takeData } from "../array-data.js";

/** The indices of one Poisson-sampled batch of n examples. */
export function poissonIndices(n: number, sampleRate: number, generator: Rng): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (generator.random() < sampleRate) out.push(i);
  return out;
}

/** An endless sequence of Poisson-sampled batches of `data` (fit reads stepsPerEpoch of them per epoch). */
export function* poissonBatches(
  data: ArrayData,
  n: number,
  sampleRate: number,
  generator: Rng,
): Generator<ArrayData> {
  for (;;) yield takeData(data, poissonIndices(n, sampleRate, generator));
}
