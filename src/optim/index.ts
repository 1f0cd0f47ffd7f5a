// optim: optimizers, learning-rate schedules and the optimizer registry.

export { Adadelta, type AdadeltaOptions, adadelta, adadeltaUpdate } from "./adadelta.js";
export { Adagrad, type AdagradOptions, adagrad, adagradUpdate } from "./adagrad.js";
export { Adam, type AdamOptions, AdamW, adam, adamUpdate, adamw } from "./adam.js";
export { Adamax, type AdamaxOptions, adamax, adamaxUpdate } from "./adamax.js";
export {
  type LearningRate,
  type LearningRateSchedule,
  learningRateSchedule,
  type SerializedConfig,
} from "./learning-rate.js";
export { Lion, type LionOptions, lion, lionUpdate } from "./lion.js";
export { Nadam, type NadamOptions, nadam, nadamMomentum, nadamUpdate } from "./nadam.js";
export {
  BASE_OPTION_ALIASES,
  Optimizer,
  type OptimizerOptions,
  type OptimizerState,
  type SlotSpec,
} from "./optimizer.js";
export { getOptimizer, optimizers, registerOptimizer } from "./registry.js";
export { RMSprop, type RmspropOptions, rmsprop, rmspropUpdate } from "./rmsprop.js";
export * as schedules from "./schedules.js";
export { deserializeSchedule } from "./schedules.js";
export { SGD, type SgdOptions, sgd, sgdUpdate } from "./sgd.js";
