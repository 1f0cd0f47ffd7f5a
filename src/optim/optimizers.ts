// optim/optimizers: the namespace the public API exposes as `optimizers` (factories, classes,
// option types and the pure update rules), e.g. `ts.optimizers.adam({ learningRate: 1e-3 })`.

export { Adadelta, type AdadeltaOptions, adadelta, adadeltaUpdate } from "./adadelta.js";
export { Adagrad, type AdagradOptions, adagrad, adagradUpdate } from "./adagrad.js";
export { Adam, type AdamOptions, AdamW, adam, adamUpdate, adamw } from "./adam.js";
export { Adamax, type AdamaxOptions, adamax, adamaxUpdate } from "./adamax.js";
export { Lion, type LionOptions, lion, lionUpdate } from "./lion.js";
export { Nadam, type NadamOptions, nadam, nadamMomentum, nadamUpdate } from "./nadam.js";
export { Optimizer, type OptimizerOptions, type OptimizerState } from "./optimizer.js";
export { getOptimizer, registerOptimizer } from "./registry.js";
export { RMSprop, type RmspropOptions, rmsprop, rmspropUpdate } from "./rmsprop.js";
export { SGD, type SgdOptions, sgd, sgdUpdate } from "./sgd.js";
