// optim/optimizers: the namespace the public API exposes as `optimizers` (factories, classes,
// option types and the pure update rules), e.g. `ts.optimizers.adam({ learningRate: 1e-3 })`.

export { Adam, type AdamOptions, AdamW, adam, adamUpdate, adamw } from "./adam.js";
export { Optimizer, type OptimizerOptions, type OptimizerState } from "./optimizer.js";
export { getOptimizer, registerOptimizer } from "./registry.js";
export { SGD, type SgdOptions, sgd, sgdUpdate } from "./sgd.js";
