// test/helpers/optimizer-steps: the per-step scalars a parity test hands an optimizer update kernel,
// built from the optimizer's own schedule (optim/nadam.ts nadamMomentum), so the native and wasm
// parity tests run the same Nadam steps. The rule tests (optim/adamax.test.ts) keep their own
// independent formula as the oracle.
import { type NadamParams, nadamMomentum } from "../../src/optim/nadam.js";

/** Nadam's scalars at `step` (counting from 1): lr 0.01, beta1 0.9, beta2 0.999, epsilon 1e-7. */
export function nadamParamsAt(step: number, weightDecay: number): NadamParams & Record<string, number> {
  let uProduct = 1;
  for (let t = 1; t <= step; t++) uProduct *= nadamMomentum(0.9, t);
  return {
    lr: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
    momentum: nadamMomentum(0.9, step),
    nextMomentum: nadamMomentum(0.9, step + 1),
    uProduct,
    beta2Power: 0.999 ** step,
    weightDecay,
  };
}
