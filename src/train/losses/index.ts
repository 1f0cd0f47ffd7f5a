// train/losses: loss functions, Keras reductions and the loss registry.

export { categoricalHinge, hinge, squaredHinge } from "./hinge.js";
export {
  alignPair,
  computeLoss,
  EPSILON,
  FunctionLoss,
  type Loss,
  meanPerSample,
  REDUCTIONS,
  type Reduction,
} from "./loss.js";
export type { LossOptions } from "./options.js";
export {
  binaryCrossentropy,
  type CrossentropyOptions,
  categoricalCrossentropy,
  kullbackLeiblerDivergence,
  poisson,
  type SparseCategoricalCrossentropyOptions,
  sparseCategoricalCrossentropy,
  sparseLabels,
} from "./probabilistic.js";
export { getLoss, isLossName, losses, lossNames, registerLoss } from "./registry.js";
export {
  type CosineSimilarityOptions,
  cosineSimilarity,
  type HuberOptions,
  huber,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
} from "./regression.js";
