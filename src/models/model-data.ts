// models/model-data: the shapes of data a Model's methods take (inputs and targets as one tensor,
// a list or a record; the elements of a batch iterable) and what one training or test step sees
// and returns. train/ turns user data into these; a custom trainStep() receives a StepBatch.
import type { Tensor } from "../tensor/tensor.js";

/** Model inputs (or targets): one tensor, a list in model order, or a record by name. */
export type ModelData = Tensor | readonly Tensor[] | Readonly<Record<string, Tensor>>;

/** One element of a batch iterable: `{ x, y, sampleWeight? }` or `[x, y]` / `[x, y, sampleWeight]`. */
export type Batch =
  | { readonly x: ModelData; readonly y: ModelData; readonly sampleWeight?: Tensor }
  | readonly [ModelData, ModelData]
  | readonly [ModelData, ModelData, Tensor];

/** Input batches for predict over an iterable: `{ x }`, `[x]` or the inputs themselves. */
export type PredictBatch = ModelData | { readonly x: ModelData } | readonly [ModelData];

/** One batch as a training or test step sees it: inputs and targets in model order, weights [B] or null. */
export interface StepBatch {
  readonly x: readonly Tensor[];
  readonly y: readonly Tensor[];
  readonly sampleWeight: Tensor | null;
}

/** What a step returns: metric name -> value, shown in the progress line and kept by History. */
export type StepLogs = Record<string, number>;

/** Data for fit/evaluate: an iterable of batches. */
export type BatchIterable<T> = AsyncIterable<T> | Iterable<T>;
