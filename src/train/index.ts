// train: the trainer behind Model's compile/fit/evaluate/predict (registered on import), the
// callbacks, the progress bar, and the loss and metric registries.
import "./model-methods.js";

export * as callbacks from "./callbacks/index.js";
export { Callback, type CallbackModel, type CallbackParams, History, type Logs } from "./callbacks/index.js";
export type { CompileOptions, LossSpec, MetricSpec, OptimizerSpec } from "./compile.js";
export type { EvaluateOptions } from "./evaluate.js";
export type { FitOptions, TrainStepFunction, ValidationData } from "./fit.js";
export type { Batch, ModelData, PredictBatch } from "./model-data.js";
export type { OnBatchOptions } from "./model-methods.js";
export type { PredictOptions } from "./predict.js";
export {
  defaultWriter,
  formatMetricValue,
  memoryWriter,
  Progbar,
  type ProgbarOptions,
  type ProgressWriter,
  type Verbosity,
} from "./progbar.js";
export type { ClassWeight } from "./sample-weights.js";
