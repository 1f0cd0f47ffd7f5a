// Tessera for the browser: the package's "browser" export condition. The portable core of
// src/index.ts (tensors and ops, autograd, layers, models, optimizers, losses and metrics,
// compile/fit/evaluate/predict, the data toolkit with CSV parsed from a string, preprocessing,
// the ml estimators, fairness, explainability, privacy risk and DP-SGD, the safetensors codec,
// a saved model directory loaded over fetch with loadModelFromUrl, fit and predict in a Web
// Worker with createWorkerTrainer and startTrainerWorker, CSV from a File, Blob or URL, models
// saved to IndexedDB or downloaded as one .zip and loaded back from a picked file),
// nothing whose module graph reaches node:* (test/browser/bundle.test.ts bundles it for a browser
// and checks). It runs on the reference backend until `await useWasm(url or bytes)` loads
// wasm/tessera.wasm.

export { type BackwardOptions, backward, zeroGrad } from "./autograd/backward.js";
export { type GradOptions, grad, valueAndGrad } from "./autograd/functional.js";
export { hvp, jvp, type ProductOptions } from "./autograd/jvp.js";
export { enableGrad, isGradEnabled, noGrad } from "./autograd/mode.js";
export {
  type BackendName,
  describeBackend,
  getBackend,
  listBackends,
  missingKernels,
  registerWasmFromBytes,
  setBackend,
} from "./backend/registry.js";
export { getNumThreads, setNumThreads } from "./backend/wasm/thread-count.js";
export { type UseWasmOptions, useWasm, type WasmSource } from "./backend/wasm/use-wasm.js";
export type { DType, TypedArray } from "./core/dtype.js";
export {
  BackendError,
  ConfigError,
  DTypeError,
  FormatError,
  GradError,
  IndexError,
  ShapeError,
  TesseraError,
  ValueError,
} from "./core/errors.js";
export type { RegisteredName } from "./core/names.js";
export { DEFAULT_SEED, Generator, type GeneratorState, getGenerator, seed } from "./core/random.js";
export type { Shape } from "./core/shape.js";
export { VERSION } from "./core/version.js";
export * from "./data/index.js";
export {
  type FetchLike,
  loadModelBundleFromUrl,
  loadModelFromUrl,
  type UrlLoadOptions,
} from "./io/load-model-url.js";
export { type LoadedModel, type LoadOptions, modelFromBytes } from "./io/model-from-bytes.js";
export { ModelPredictor } from "./io/model-predictor.js";
export { type ModelFiles, modelToBytes } from "./io/model-to-bytes.js";
export { decodeSafetensors, encodeSafetensors, type SafetensorsContents } from "./io/safetensors.js";
export { type DownloadedModel, downloadModel } from "./io/web/download-model.js";
export type { FetchOptions } from "./io/web/fetch-response.js";
export {
  DEFAULT_MODEL_DATABASE,
  deleteModelFromIndexedDb,
  type IndexedDbOptions,
  listModelsInIndexedDb,
  loadModelBundleFromIndexedDb,
  loadModelFromIndexedDb,
  type StoredModelInfo,
  saveModelToIndexedDb,
} from "./io/web/indexeddb-models.js";
export { loadModelBundleFromFile, loadModelFromFile, type ModelFileInput } from "./io/web/load-model-file.js";
export { MODEL_ARCHIVE_TYPE, modelToZip } from "./io/web/model-archive.js";
export {
  type CsvFromOptions,
  type CsvInput,
  type CsvStreamFromOptions,
  readCsvFrom,
  readCsvFromUrl,
  readCsvStreamFrom,
} from "./io/web/read-csv-from.js";
export { serveTrainer, startTrainerWorker } from "./io/web/worker-host.js";
export type { MessageEndpoint, WireModel, WireTensor } from "./io/web/worker-protocol.js";
export {
  createWorkerTrainer,
  type WorkerFitEvents,
  type WorkerFitOptions,
  type WorkerFitResult,
  type WorkerLike,
  type WorkerModelSpec,
  WorkerTrainer,
  type WorkerTrainerOptions,
} from "./io/web/worker-trainer.js";
export * as ml from "./ml/index.js";
export { type FinishReason, type GenerateOptions, type GenerateResult, generate } from "./models/generate.js";
export {
  Functional,
  type FunctionalArgs,
  type InferencePlanStats,
  inferencePlanStats,
  Model,
  type ModelArgs,
  model,
  Sequential,
  type SequentialArgs,
  type StepBatch,
  type StepLogs,
  type SummaryOptions,
  sequential,
  setInferencePlanning,
} from "./models/index.js";
export type { ActivationName, CustomActivationNames } from "./nn/activations.js";
export {
  activations,
  type CallContext,
  type CallOptions,
  type ConfigObject,
  type ConfigValue,
  constraints,
  deserializeLayer,
  getMask,
  initializers,
  input,
  KVCache,
  Layer,
  type LayerArgs,
  type LayerInputs,
  type LayerShape,
  layers,
  type MaskList,
  registerActivation,
  registerLayer,
  regularizers,
  resetLayerNames,
  type Serialized,
  type SymbolicShape,
  SymbolicTensor,
  serializeLayer,
  setMask,
  type WeightEntry,
  withKVCache,
} from "./nn/index.js";
export * from "./ops/index.js";
export {
  getOptimizer,
  type LearningRate,
  type LearningRateSchedule,
  learningRateSchedule,
  Optimizer,
  type OptimizerOptions,
  type OptimizerState,
} from "./optim/index.js";
export * as optimizers from "./optim/optimizers.js";
export type { CustomOptimizerNames, OptimizerName } from "./optim/registry.js";
export * as schedules from "./optim/schedules.js";
export { explain, fairness } from "./responsible/index.js";
export {
  type EquivalenceClass,
  type LDiversity,
  type PrivacyRiskOptions,
  type PrivacyRiskReport,
  privacyRisk,
} from "./responsible/privacy-risk.js";
export * from "./tensor/creation.js";
export { type NestedArray, Tensor } from "./tensor/tensor.js";
export {
  type Batch,
  Callback,
  type CallbackModel,
  type CallbackParams,
  type ClassWeight,
  type CompileOptions,
  callbacks,
  type EvaluateOptions,
  type FitOptions,
  History,
  type Logs,
  type ModelData,
  memoryWriter,
  type OnBatchOptions,
  type PredictBatch,
  type PredictOptions,
  type ProgressWriter,
  type TrainStepFunction,
  type ValidationData,
  type Verbosity,
} from "./train/index.js";
export { computeLoss, getLoss, type Loss, losses, type Reduction } from "./train/losses/index.js";
export { type CustomLossNames, isLossName, type LossName, registerLoss } from "./train/losses/registry.js";
export {
  classificationReport,
  confusionMatrix,
  getMetric,
  type Metric,
  type MetricContext,
  metrics,
} from "./train/metrics/index.js";
export { type CustomMetricNames, type MetricName, registerMetric } from "./train/metrics/registry.js";
export * as privacy from "./train/privacy/index.js";
