// optim: optimizers, learning-rate schedules and the optimizer registry.

export { Adam, type AdamOptions, AdamW, adam, adamUpdate, adamw } from "./adam.js";
export {
  type LearningRate,
  type LearningRateSchedule,
  learningRateSchedule,
  type SerializedConfig,
} from "./learning-rate.js";
export {
  BASE_OPTION_ALIASES,
  Optimizer,
  type OptimizerOptions,
  type OptimizerState,
  type SlotSpec,
} from "./optimizer.js";
export { getOptimizer, optimizers, registerOptimizer } from "./registry.js";
export * as schedules from "./schedules.js";
export { deserializeSchedule } from "./schedules.js";
export { SGD, type SgdOptions, sgd, sgdUpdate } from "./sgd.js";
