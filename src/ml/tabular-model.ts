// ml/tabular-model: an estimator behind the preprocessing that turns a raw Table into features
// (data/preprocess's ColumnTransformer: imputing, scaling, one-hot encoding). It predicts from raw
// records and saves as one JSON state, preprocessing included; what zero-config training returns.
import { FormatError } from "../core/errors.js";
import { ColumnTransformer } from "../data/preprocess/pipeline.js";
import type { LabelValue } from "../data/split/labels.js";
import { Table } from "../data/table/table.js";
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
}

/** Features of a table through a fitted ColumnTransformer, as a float64 matrix. */
export function featuresOf(preprocess: ColumnTransformer, table: Table): Matrix {
  const t = preprocess.transform(table);
  return { rows: t.shape[0]!, cols: t.shape[1]!, data: Float64Array.from(t.data) };
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
    readonly preprocess: ColumnTransformer,
    readonly estimator: Estimator,
    readonly target: string,
    readonly task: TabularTask,
  ) {}

  /** Predictions for a Table or raw records (objects keyed by column name). */
  predict(rows: Table | readonly Record<string, unknown>[]): LabelValue[] {
    const table = rows instanceof Table ? rows : Table.fromRecords(rows);
    const x = featuresOf(this.preprocess, table);
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
    return new TabularModel(
      ColumnTransformer.fromJSON(s.preprocess),
      estimatorFromJSON(s.estimator),
      s.target,
      s.task,
    );
  }
}
