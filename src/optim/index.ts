// optim: optimizers, learning-rate schedules and the optimizer registry. Each optimizer (class,
// factory, options, update rule) is listed once, in optimizers.ts, and re-exported from here.

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
export * from "./optimizers.js";
export { getOptimizer, optimizers, registerOptimizer } from "./registry.js";
export * as schedules from "./schedules.js";
export { deserializeSchedule } from "./schedules.js";
