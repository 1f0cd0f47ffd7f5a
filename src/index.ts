// Tessera: the public entry point for Node.js. Everything portable comes from ./browser.ts (the
// package's "browser" entry; one list, so the two cannot drift apart); this file adds what needs
// Node: files (io/), reports, the server, and the callback factories that write to disk. The
// backend registry loads the native addon itself, whichever module is imported first.
export * from "./browser.js";
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
export { readSafetensors, readSafetensorsHeader, writeSafetensors } from "./io/safetensors-file.js";
export { type SaveOptions, saveModel } from "./io/save-model.js";
export { loadTfjs, parseTfjs } from "./io/tfjs/load-tfjs.js";
export * from "./report/index.js";
export type { Servable, ServingSignature } from "./serve/servable.js";
export { type RunningServer, type ServerOptions, startServer } from "./serve/server.js";
