// Tessera: the public entry point for Node.js. Re-exports the portable core; the backend
// registry loads the native addon itself, whichever module is imported first.
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
  setBackend,
} from "./backend/registry.js";
export { useWasm, type WasmSource } from "./backend/wasm/use-wasm.js";
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
export { DEFAULT_SEED, Generator, type GeneratorState, getGenerator, seed } from "./core/random.js";
export type { Shape } from "./core/shape.js";
export { VERSION } from "./core/version.js";
export * from "./data/index.js";
export {
  hasCheckpoint,
  type LoadedCheckpoint,
  loadCheckpoint,
  type TrainingPosition,
} from "./io/checkpoint.js";
export { csvDataset } from "./io/csv-dataset.js";
export { csvFileLogger, csvFileSink } from "./io/csv-file-logger.js";
export { DATASETS, type DatasetName, datasetPath, loadDataset } from "./io/datasets.js";
export { type EstimatorFile, loadEstimator, saveEstimator } from "./io/estimator-file.js";
export {
  type LoadedModel,
  type LoadOptions,
  loadModel,
  loadModelBundle,
  readModelFile,
} from "./io/load-model.js";
export { ModelCheckpoint, type ModelCheckpointOptions, modelCheckpoint } from "./io/model-checkpoint.js";
export { savePipeline } from "./io/pipeline-file.js";
export { type SearchWorkers, type SearchWorkersOptions, startSearchWorkers } from "./io/search-workers.js";
export { type FileTrialStore, openTrialStore, type SearchResultsFile } from "./io/trial-store.js";

import { modelCheckpoint } from "./io/model-checkpoint.js";
import { dashboard } from "./report/dashboard-callback.js";
import { tensorBoard } from "./report/tensorboard-callback.js";
import { callbacks as trainingCallbacks } from "./train/index.js";

/** Callback factories: the training loop's (earlyStopping, reduceLROnPlateau, ...) plus modelCheckpoint, tensorBoard and dashboard. */
export const callbacks = { ...trainingCallbacks, modelCheckpoint, tensorBoard, dashboard };
// Name unions: a misspelt loss, metric, optimizer or activation fails to type-check; names added at
// run time come from register*() or declaration merging into the Custom*Names interfaces.
export type { RegisteredName } from "./core/names.js";
export {
  exportTorchWeights,
  importTorchWeights,
  loadTorchStateDict,
  type TorchImportOptions,
  torchStateDict,
} from "./io/interchange/torch-weights.js";
export { loadKeras, parseKeras } from "./io/keras/load-keras.js";
export { type ModelCard, type ModelCardInput, modelCard } from "./io/model-card.js";
export { cardMarkdown } from "./io/model-card-format.js";
export { recordCardFairness } from "./io/model-card-record.js";
export { MODEL_FORMAT_VERSION, type ModelFile, type ModelSignature } from "./io/model-format.js";
export { type ExportOnnxOptions, exportOnnx, modelToOnnx } from "./io/onnx/export-onnx.js";
export {
  loadOnnx,
  OnnxModel,
  type OnnxValueInfo,
  parseOnnx,
  supportedOnnxOperators,
} from "./io/onnx/load-onnx.js";
export { ModelPredictor } from "./io/predictor.js";
export { columnSignatures, type ModelPreprocessing } from "./io/preprocessing.js";
export { readCsv, readCsvStream, writeCsv } from "./io/read-csv.js";
export { readJson, readNdjson, readNdjsonStream, writeJson, writeNdjson } from "./io/read-json.js";
export { type ParquetFileOptions, readParquet, writeParquet } from "./io/read-parquet.js";
export { type BatchPosition, ResumableBatches } from "./io/resumable-batches.js";
export { decodeSafetensors, encodeSafetensors, type SafetensorsContents } from "./io/safetensors.js";
export { readSafetensors, readSafetensorsHeader, writeSafetensors } from "./io/safetensors-file.js";
export { type SaveOptions, saveModel } from "./io/save-model.js";
export { loadTfjs, parseTfjs } from "./io/tfjs/load-tfjs.js";
export * as ml from "./ml/index.js";
export { type FinishReason, type GenerateOptions, type GenerateResult, generate } from "./models/generate.js";
export {
  Functional,
  type FunctionalArgs,
  Model,
  type ModelArgs,
  model,
  Sequential,
  type SequentialArgs,
  type StepBatch,
  type StepLogs,
  type SummaryOptions,
  sequential,
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
export * from "./report/index.js";
export { explain, fairness } from "./responsible/index.js";
export {
  type EquivalenceClass,
  type LDiversity,
  type PrivacyRiskOptions,
  type PrivacyRiskReport,
  privacyRisk,
} from "./responsible/privacy-risk.js";
export type { Servable, ServingSignature } from "./serve/servable.js";
export { type RunningServer, type ServerOptions, startServer } from "./serve/server.js";
export * from "./tensor/creation.js";
export { type NestedArray, Tensor } from "./tensor/tensor.js";
export {
  type Batch,
  Callback,
  type CallbackModel,
  type CallbackParams,
  type ClassWeight,
  type CompileOptions,
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
