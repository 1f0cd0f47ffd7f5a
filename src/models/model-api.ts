// models/model-api: how Model's compile/fit/evaluate/predict/save methods reach train/ and io/,
// which sit above models/ in the layering. Keras 3 writes `class Model(Trainer, Layer)`; here the
// methods, their documentation and their signatures live on Model (model.ts), and each one hands
// its work to an implementation that train/ or io/ registers here once, when first imported
// (importing "tessera-ml" loads both). Two parts:
// - ModelApiTypes: the option and result types of those methods. train/ and io/ define them and add
//   them to this interface by declaration merging (types only, no code), so Model's signatures
//   name the real types while models/ imports nothing from above.
// - ModelTrainer and ModelSaver: the functions behind the methods, with the model as first argument.
import { ConfigError } from "../core/errors.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Model } from "./model.js";
import type { ModelData, StepBatch, StepLogs } from "./model-data.js";

/**
 * The types that Model's training and saving methods use, filled in by train/ (CompileOptions,
 * FitOptions, EvaluateOptions, PredictOptions, OnBatchOptions, History) and io/ (SaveOptions,
 * ModelFile) with `declare module "../models/model-api.js" { interface ModelApiTypes { ... } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging from train/ and io/
export interface ModelApiTypes {}

/** One of ModelApiTypes' entries (never while the folder that defines it is not compiled in). */
export type ModelApiType<K extends string> = K extends keyof ModelApiTypes ? ModelApiTypes[K] : never;

export type CompileOptions = ModelApiType<"CompileOptions">;
export type FitOptions = ModelApiType<"FitOptions">;
export type EvaluateOptions = ModelApiType<"EvaluateOptions">;
export type PredictOptions = ModelApiType<"PredictOptions">;
export type OnBatchOptions = ModelApiType<"OnBatchOptions">;
export type History = ModelApiType<"History">;
export type SaveOptions = ModelApiType<"SaveOptions">;
export type ModelFile = ModelApiType<"ModelFile">;
export type ExportOnnxOptions = ModelApiType<"ExportOnnxOptions">;

/** Options of evaluate/trainOnBatch/testOnBatch with Keras's returnDict. */
export type WithReturnDict<O> = O & { returnDict?: boolean };

/** What train/ does for Model (train/model-methods.ts registers it). */
export interface ModelTrainer {
  compile(model: Model, options: CompileOptions): void;
  fit(model: Model, x: unknown, y: unknown, options: FitOptions | undefined): Promise<History>;
  evaluate(
    model: Model,
    x: unknown,
    y: unknown,
    options: WithReturnDict<EvaluateOptions> | undefined,
  ): Promise<Record<string, number> | number[]>;
  /** Every output, for arrays (at once) or an iterable of batches (a promise). */
  predict(model: Model, x: unknown, options: PredictOptions | undefined): Tensor[] | Promise<Tensor[]>;
  trainOnBatch(
    model: Model,
    x: ModelData,
    y: ModelData,
    options: WithReturnDict<OnBatchOptions>,
  ): Record<string, number> | number[];
  testOnBatch(
    model: Model,
    x: ModelData,
    y: ModelData,
    options: WithReturnDict<OnBatchOptions>,
  ): Record<string, number> | number[];
  predictOnBatch(model: Model, x: ModelData): Tensor[];
  /** The compiled training step: forward, loss, backward, optimizer step, metrics. */
  trainStep(model: Model, batch: StepBatch): StepLogs;
  /** The compiled test step: forward and metrics in inference mode. */
  testStep(model: Model, batch: StepBatch): StepLogs;
  computeLoss(model: Model, batch: StepBatch, predictions: readonly Tensor[]): Tensor;
  computeMetrics(model: Model, batch: StepBatch, predictions: readonly Tensor[], loss: Tensor): StepLogs;
  resetMetrics(model: Model): void;
  compiled(model: Model): boolean;
  optimizer(model: Model): Optimizer | null;
  optimizerParams(model: Model): { count: number; bytes: number } | null;
  metricsNames(model: Model): string[];
  history(model: Model): History | null;
  metricDirection(model: Model, name: string): "up" | "down" | undefined;
}

/** What io/ does for Model (io/save-model.ts registers it). */
export interface ModelSaver {
  save(model: Model, dir: string | URL, options: SaveOptions | undefined): Promise<ModelFile>;
  exportOnnx(model: Model, path: string, options: ExportOnnxOptions | undefined): Promise<void>;
}

let trainer: ModelTrainer | null = null;
let saver: ModelSaver | null = null;

/** Called once by train/model-methods.ts when it is loaded. */
export function registerTrainer(implementation: ModelTrainer): void {
  trainer = implementation;
}

/** Called once by io/save-model.ts when it is loaded. */
export function registerSaver(implementation: ModelSaver): void {
  saver = implementation;
}

/** The registered trainer, or a ConfigError naming the method and what to import. */
export function trainerFor(method: string): ModelTrainer {
  if (trainer === null) {
    throw new ConfigError(
      `Model.${method}: the training methods are not loaded; import "tessera-ml" (or its train/ module) before calling ${method}()`,
    );
  }
  return trainer;
}

/** The registered trainer, or null when train/ is not loaded (for read-only queries). */
export function loadedTrainer(): ModelTrainer | null {
  return trainer;
}

/** The registered saver, or a ConfigError saying what to import. */
export function saverFor(method: string): ModelSaver {
  if (saver === null) {
    throw new ConfigError(
      `Model.${method}: saving is not loaded; import "tessera-ml" (or its io/ module) before calling ${method}()`,
    );
  }
  return saver;
}
