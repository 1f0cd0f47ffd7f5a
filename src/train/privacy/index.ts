// train/privacy: differentially private training (DP-SGD) and its RDP accountant, re-exported for
// src/index.ts. fit(x, y, { privacy }) is the usual entry; the pieces serve custom loops.
export { DpSgd, type DpSgdSettings, type PrivacySpent } from "./dp-sgd.js";
export {
  type BatchLossFn,
  type PerExamplePlan,
  type PerExampleResult,
  perExampleGradients,
  planPerExample,
} from "./per-example-grads.js";
export { poissonBatches, poissonIndices } from "./poisson-sampling.js";
export { type PrivacyOptions, privacySpentOf } from "./private-fit.js";
export {
  computeEpsilon,
  computeRdp,
  DEFAULT_ORDERS,
  findNoiseMultiplier,
  type PrivacySpendOptions,
  type RdpConversion,
  rdpToEpsilon,
} from "./rdp-accountant.js";
