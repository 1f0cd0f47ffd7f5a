// train/callbacks: every callback, re-exported (the `callbacks` namespace of the public API).
export {
  Callback,
  type CallbackModel,
  type CallbackOptimizer,
  type CallbackParams,
  type Logs,
} from "./callback.js";
export { CallbackList } from "./callback-list.js";
export { CsvLogger, type CsvLoggerOptions, type CsvSink, csvLogger } from "./csv-logger.js";
export { EarlyStopping, type EarlyStoppingOptions, earlyStopping } from "./early-stopping.js";
export { History, history } from "./history.js";
export { LambdaCallback, type LambdaCallbackHooks, lambdaCallback } from "./lambda-callback.js";
export {
  LearningRateScheduler,
  type LearningRateSchedulerOptions,
  learningRateScheduler,
  type Schedule,
} from "./learning-rate-scheduler.js";
export type { MonitorMode } from "./monitor.js";
export { ProgressLogger, type ProgressLoggerOptions, progressLogger } from "./progress-logger.js";
export {
  ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
  reduceLROnPlateau,
} from "./reduce-lr-on-plateau.js";
export { TerminateOnNaN, type TerminateOnNaNOptions, terminateOnNaN } from "./terminate-on-nan.js";
