// ml/tabular-model: an estimator behind the preprocessing that turns a raw Table into features
// (data/preprocess's ColumnTransformer: imputing, scaling, one-hot encoding; or any fitted
// Transformer, such as a data Pipeline, whose output is numeric). It predicts from raw records and
// saves as one JSON state, preprocessing included; what zero-config training, tune and a fitted
// ml/model-pipeline with an estimator at its end are.
import { FormatError, ValueError } from "../core/errors.js";
import { ColumnTransformer } from "../data/preprocess/pipeline.js";
import { transformerFromJSON } from "../data/preprocess/registry.js";
import { Transformer, tableToMatrixData } from "../data/preprocess/transformer.js";
import type { LabelValue } from "../data/split/labels.js";
import { COLUMN_KINDS, type ColumnKind } from "../data/table/column.js";
import { Table } from "../data/table/table.js";
import type { Tensor } from "../tensor/tensor.js";
import type { JsonValue } from "./estimator.js";
import type { Matrix } from "./matrix.js";
import { type Estimator, estimatorFromJSON } from "./registry.js";

export type TabularTask = "classification" | "regression";

/** The saved form of a TabularModel. */
export interface TabularModelState {
  format: "tessera-estimator";
  version: 1;
  kind: "TabularModel";
  target: string;
  task: TabularTask;
  preprocess: JsonValue;
  estimator: JsonValue;
  /** The raw columns it reads, with the kinds they had in training (absent in older files). */
  columns?: { name: string; kind: ColumnKind }[];
}

/** A raw input column of a TabularModel and the kind it had in training. */
export interface RawColumn {
  readonly name: string;
  readonly kind: ColumnKind;
}

/** Preprocessing a TabularModel may hold: a ColumnTransformer or any Transformer with numeric output. */
export type TabularPreprocessing = ColumnTransformer | Transformer;

/**
 * The raw columns fitted preprocessing reads from `table`, with their kinds: a ColumnTransformer's
 * groups then its remainder, or the columns a Transformer was fitted on.
 */
export function rawColumnsOf(preprocess: TabularPreprocessing, table: Table): RawColumn[] {
  const names =
    preprocess instanceof ColumnTransformer
      ? [
          ...preprocess.groups.flatMap(([, step, columns]) => (step === "drop" ? [] : columns)),
          ...(preprocess.remainderColumns ?? []),
        ]
      : (preprocess.featureNamesIn ?? []);
  return [...new Set(names)].map((name) => ({ name, kind: table.column(name).kind }));
}

/** An estimator that gives class probabilities. */
interface ProbabilisticClassifier {
  readonly classes: LabelValue[];
  predictProba(x: Matrix): Tensor;
}

function isProbabilistic(estimator: unknown): estimator is ProbabilisticClassifier {
  return typeof (estimator as { predictProba?: unknown }).predictProba === "function";
}

/** Features of a table through fitted preprocessing, as a float64 matrix. */
export function featuresOf(preprocess: TabularPreprocessing, table: Table): Matrix {
  if (preprocess instanceof ColumnTransformer) {
    const t = preprocess.transform(table);
    return { rows: t.shape[0]!, cols: t.shape[1]!, data: Float64Array.from(t.data) };
  }
  const out = preprocess.transform(table);
  return {
    rows: out.numRows,
    cols: out.numColumns,
    data: tableToMatrixData(`${preprocess.type}.transform`, out),
  };
}

/** The names of the features fitted preprocessing makes. */
export function featureNamesOf(preprocess: TabularPreprocessing): string[] {
  return preprocess instanceof ColumnTransformer
    ? preprocess.getFeatureNames()
    : preprocess.featureNamesOut();
}

/**
 * A fitted preprocessing + estimator pair that takes raw rows.
 * @example
 * const model = autoTrain(table, { target: "species" }).best;
 * model.predict([{ bill_length_mm: 40, island: "Dream", ... }]);
 */
export class TabularModel {
  static readonly kind = "TabularModel";
  constructor(
    readonly preprocess: TabularPreprocessing,
    readonly estimator: Estimator,
    readonly target: string,
    readonly task: TabularTask,
    /** The raw columns read, with their training kinds (null when loaded from an older file). */
    readonly columns: readonly RawColumn[] | null = null,
  ) {}

  /** Class names in the column order of predictProba (null for regression or a classifier without probabilities). */
  get classes(): LabelValue[] | null {
    return this.task === "classification" && isProbabilistic(this.estimator) ? this.estimator.classes : null;
  }

  /** The number of features the preprocessing makes (the estimator's input width). */
  get featureCount(): number {
    return this.featureNames.length;
  }

  /** The names of the features the preprocessing makes. */
  get featureNames(): string[] {
    return featureNamesOf(this.preprocess);
  }

  /** A Table of raw records with the training columns and kinds (inferred when not recorded). */
  tableOf(rows: Table | readonly Record<string, unknown>[]): Table {
    // Only the training columns: a Pipeline's steps would take every column (the target too).
    if (rows instanceof Table)
      return this.columns === null ? rows : rows.select(this.columns.map((c) => c.name));
    if (this.columns === null) return Table.fromRecords(rows);
    const types = Object.fromEntries(this.columns.map((c) => [c.name, c.kind]));
    return Table.fromRecords(rows, { columns: this.columns.map((c) => c.name), types });
  }

  /** The feature matrix of raw rows (through the saved preprocessing). */
  features(rows: Table | readonly Record<string, unknown>[]): Matrix {
    return featuresOf(this.preprocess, this.tableOf(rows));
  }

  /** Class probabilities [rows, classes] (columns in `classes` order) for raw rows, or for a ready feature matrix. */
  predictProba(rows: Table | readonly Record<string, unknown>[] | Matrix): Tensor {
    if (!isProbabilistic(this.estimator) || this.task !== "classification")
      throw new ValueError(
        `TabularModel.predictProba: the ${this.estimator.constructor.name} ${this.task} model gives no class probabilities`,
      );
    return this.estimator.predictProba(isMatrix(rows) ? rows : this.features(rows));
  }

  /** Predictions for a Table or raw records (objects keyed by column name), or for a ready feature matrix. */
  predict(rows: Table | readonly Record<string, unknown>[] | Matrix): LabelValue[] {
    const x = isMatrix(rows) ? rows : this.features(rows);
    const estimator = this.estimator as { predict(x: Matrix): LabelValue[] | { data: ArrayLike<number> } };
    const out = estimator.predict(x);
    return Array.isArray(out) ? out : Array.from((out as { data: ArrayLike<number> }).data);
  }

  toJSON(): TabularModelState {
    return {
      format: "tessera-estimator",
      version: 1,
      kind: "TabularModel",
      target: this.target,
      task: this.task,
      preprocess: JSON.parse(JSON.stringify(this.preprocess.toJSON())) as JsonValue,
      estimator: JSON.parse(JSON.stringify(this.estimator.toJSON())) as JsonValue,
      ...(this.columns === null
        ? {}
        : { columns: this.columns.map((c) => ({ name: c.name, kind: c.kind })) }),
    };
  }

  static fromJSON(state: unknown): TabularModel {
    const op = "TabularModel.fromJSON";
    const s = state as Partial<TabularModelState> | null;
    if (typeof s !== "object" || s === null || s.kind !== "TabularModel")
      throw new FormatError(`${op}: expected a TabularModel state`);
    if (typeof s.target !== "string") throw new FormatError(`${op}: target must be a string`);
    if (s.task !== "classification" && s.task !== "regression")
      throw new FormatError(`${op}: task must be "classification" or "regression"`);
    const preprocess = transformerFromJSON(s.preprocess);
    if (
      !(preprocess instanceof ColumnTransformer) &&
      !(preprocess instanceof Transformer && preprocess.fitted)
    )
      throw new FormatError(`${op}: the preprocessing (${preprocess.type}) is not a fitted transformer`);
    return new TabularModel(
      preprocess,
      estimatorFromJSON(s.estimator),
      s.target,
      s.task,
      s.columns === undefined ? null : rawColumnsFrom(op, s.columns),
    );
  }
}

function isMatrix(value: unknown): value is Matrix {
  const m = value as Partial<Matrix>;
  return (
    typeof m === "object" &&
    m !== null &&
    typeof m.rows === "number" &&
    typeof m.cols === "number" &&
    m.data instanceof Float64Array
  );
}

function rawColumnsFrom(op: string, value: unknown): RawColumn[] {
  if (!Array.isArray(value)) throw new FormatError(`${op}: columns must be an array`);
  return value.map((c: unknown, i) => {
    const { name, kind } = (c ?? {}) as { name?: unknown; kind?: unknown };
    if (typeof name !== "string" || !COLUMN_KINDS.includes(kind as ColumnKind))
      throw new FormatError(
        `${op}: columns[${i}] must be {name, kind} with kind one of ${COLUMN_KINDS.join(", ")} (got ${JSON.stringify(c)})`,
      );
    return { name, kind: kind as ColumnKind };
  });
}
