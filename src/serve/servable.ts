// serve/servable: the small interface the inference server is built against. A servable is a
// loaded model directory that predicts on a batch; the server never touches layers or optimizers.
// It is loaded inside a worker thread by a loader module (by default serve/model-servable).
import type { DType, TypedArray } from "../core/dtype.js";

/** One tensor of the model's input or output. `shape[0]` is the batch dimension, written -1. */
export interface TensorSpec {
  readonly name: string;
  readonly dtype: DType;
  /** Full shape with -1 for dimensions of any size (always the batch dimension, shape[0]). */
  readonly shape: readonly number[];
  /** Class names of a classifier's output columns, when the model was trained with labels. */
  readonly labels?: readonly string[];
}

/** A raw input column that goes through the saved preprocessing. */
export interface ColumnSpec {
  readonly name: string;
  /** What a value may be: number columns take numbers, string columns take strings (null = missing). */
  readonly type: "number" | "string" | "boolean";
}

/** What the server needs to validate requests and describe the model. */
export interface ServingSignature {
  readonly name: string;
  readonly version: string;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** Raw record columns, when the model carries a fitted preprocessing pipeline; null otherwise. */
  readonly columns: readonly ColumnSpec[] | null;
  /** Names of the model input's columns (after preprocessing), when known: /explain labels attributions with them. */
  readonly featureNames?: readonly string[];
}

/** What an /explain request asks for; such an item runs on its own, not merged into a batch. */
export interface ExplainRequest {
  /** "ig": integrated gradients from an all-zero input; "saliency": |d output / d input|. */
  readonly method: "ig" | "saliency";
  /** Integration steps of "ig". */
  readonly steps: number;
  /** The output column explained; each row's highest output when left out. */
  readonly target?: number;
}

/** A raw record: values by column name. */
export type RawRecord = Readonly<Record<string, string | number | boolean | null>>;

/** A loaded model as the server sees it. Runs inside a worker thread. */
export interface Servable {
  readonly signature: ServingSignature;
  /**
   * Runs the model on `rows` rows: one batch-major typed array per signature input, in signature
   * order and dtype; returns one batch-major typed array per signature output.
   */
  predict(inputs: readonly TypedArray[], rows: number): TypedArray[] | Promise<TypedArray[]>;
  /** Raw records -> model inputs through the saved preprocessing (absent without a pipeline). */
  encodeRecords?(records: readonly RawRecord[]): TypedArray[] | Promise<TypedArray[]>;
  /**
   * Attributions for `rows` model-ready rows: [attributions (rows x features), targets (Int32, one
   * per row), delta (the completeness gap per row; 0 for saliency)]. Absent: /explain answers 501.
   */
  explain?(inputs: readonly TypedArray[], rows: number, request: ExplainRequest): TypedArray[];
}

/** What a loader module exports: `loadServable(dir, name?)`. */
export type ServableLoader = (dir: string) => Promise<Servable>;

/** Elements per batch row of a tensor spec (product of shape[1:]); -1 inside is not allowed there. */
export function rowSize(spec: TensorSpec): number {
  let size = 1;
  for (const dim of spec.shape.slice(1)) size *= dim;
  return size;
}

/** One request's worth of rows, as queued for a batch: model-ready tensors or raw records. */
export type BatchItem = (
  | { readonly kind: "tensors"; readonly inputs: TypedArray[]; readonly rows: number }
  | { readonly kind: "records"; readonly records: RawRecord[]; readonly rows: number }
) & { readonly explain?: ExplainRequest };

/** One item's answer: its rows of every output, or why it failed. */
export type ItemResult =
  | { readonly ok: true; readonly outputs: TypedArray[] }
  | { readonly ok: false; readonly status: number; readonly message: string };
