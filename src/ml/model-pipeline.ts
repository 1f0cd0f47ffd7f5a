// ml/model-pipeline: scikit-learn's Pipeline whose last step is a model: preprocessing steps (data
// Transformers chained as a data Pipeline, or one ColumnTransformer) fitted on a Table's feature
// columns, then an ml/ estimator or a compiled network (models/) fitted on their output. Fitted, an
// estimator pipeline is a TabularModel (saves as one estimator directory); a network pipeline keeps
// its preprocessing and target encoder for a regular model directory (io/pipeline-file saves both).
// Layer: ml.
import { ValueError } from "../core/errors.js";
import { LabelEncoder } from "../data/preprocess/encoders.js";
import { type ColumnTransformer, Pipeline } from "../data/preprocess/pipeline.js";
import { Transformer } from "../data/preprocess/transformer.js";
import type { LabelValue } from "../data/split/labels.js";
import { Table } from "../data/table/table.js";
import { Model } from "../models/model.js";
import { Tensor } from "../tensor/tensor.js";
import type { FitOptions } from "../train/fit.js";
import "../train/model-methods.js";
import type { Estimator } from "./registry.js";
import {
  featuresOf,
  type RawColumn,
  rawColumnsOf,
  TabularModel,
  type TabularPreprocessing,
  type TabularTask,
} from "./tabular-model.js";

export interface ModelPipelineOptions {
  /** The column to predict (left out of the features). */
  target: string;
  /** Default: classification when the estimator gives probabilities; a network needs it said. */
  task?: TabularTask;
  /** A network's fit options (epochs, batchSize, ...). */
  fit?: FitOptions;
}

/** A preprocessing step: a data Transformer, or a ColumnTransformer as the only step. */
export type PipelineStep = readonly [string, Transformer | ColumnTransformer];

/**
 * Preprocessing + a final model, fitted together on a raw Table.
 * @example
 * const pipe = await new ModelPipeline(
 *   [["prep", new ColumnTransformer([["num", new StandardScaler(), ["age"]], ["cat", new OneHotEncoder(), ["city"]]])]],
 *   new LogisticRegression(), { target: "churn" }).fit(table);
 * pipe.predict([{ age: 40, city: "Oslo" }]);
 */
export class ModelPipeline {
  readonly preprocess: TabularPreprocessing;
  readonly final: Estimator | Model;
  readonly target: string;
  readonly task: TabularTask;
  readonly fitOptions: FitOptions | undefined;
  /** A network classifier's target encoder (its classes name the outputs), after fit. */
  labels: LabelEncoder | null = null;
  /** The raw columns read, with their training kinds, after fit. */
  columns: RawColumn[] | null = null;

  constructor(steps: readonly PipelineStep[], final: Estimator | Model, options: ModelPipelineOptions) {
    const op = "ModelPipeline";
    if (steps.length === 0) throw new ValueError(`${op}: expected at least one preprocessing step`);
    const only = steps.length === 1 ? steps[0]![1] : null;
    if (only === null && steps.some(([, s]) => !(s instanceof Transformer)))
      throw new ValueError(
        `${op}: a ColumnTransformer must be the only preprocessing step (its output is a matrix)`,
      );
    this.preprocess = only ?? new Pipeline(steps as (readonly [string, Transformer])[]);
    this.final = final;
    if (typeof options?.target !== "string" || options.target === "")
      throw new ValueError(`${op}: options.target must name the column to predict`);
    this.target = options.target;
    const probabilistic = typeof (final as { predictProba?: unknown }).predictProba === "function";
    if (final instanceof Model && options.task === undefined)
      throw new ValueError(`${op}: say the task ("classification" or "regression") of a network`);
    this.task = options.task ?? (probabilistic ? "classification" : "regression");
    this.fitOptions = options.fit;
  }

  /** Whether the final step is a network. */
  get isNetwork(): boolean {
    return this.final instanceof Model;
  }

  /** Fits the preprocessing on the feature columns, then the final model on its output. */
  async fit(table: Table): Promise<this> {
    const op = "ModelPipeline.fit";
    if (!table.has(this.target))
      throw new ValueError(
        `${op}: target column "${this.target}" does not exist (columns: ${table.columnNames.join(", ")})`,
      );
    const rows = table.dropMissing({ columns: [this.target] });
    const features = rows.drop([this.target]);
    this.preprocess.fit(features);
    this.columns = rawColumnsOf(this.preprocess, features);
    const x = featuresOf(this.preprocess, features);
    const truth = rows.column(this.target);
    if (this.final instanceof Model) {
      let y: Tensor;
      if (this.task === "classification") {
        this.labels = new LabelEncoder().fit(truth.toArray().map((v) => String(v)));
        y = new Tensor(this.labels.transform(truth.toArray().map((v) => String(v))), [rows.numRows]);
      } else y = new Tensor(Float32Array.from(truth.numbers), [rows.numRows, 1]);
      await this.final.fit(new Tensor(Float32Array.from(x.data), [x.rows, x.cols]), y, this.fitOptions);
    } else {
      const labels = truth.toArray() as LabelValue[];
      (this.final as { fit(x: unknown, y: unknown): unknown }).fit(
        x,
        this.task === "regression" ? Float64Array.from(labels, Number) : labels,
      );
    }
    return this;
  }

  private tableOf(rows: Table | readonly Record<string, unknown>[]): Table {
    if (this.columns === null) throw new ValueError("ModelPipeline: call fit() first");
    if (rows instanceof Table) return rows.select(this.columns.map((c) => c.name));
    const types = Object.fromEntries(this.columns.map((c) => [c.name, c.kind]));
    return Table.fromRecords(rows, { columns: this.columns.map((c) => c.name), types });
  }

  /** The network's output for raw rows. */
  private networkOutput(network: Model, rows: Table | readonly Record<string, unknown>[]): Tensor {
    const x = featuresOf(this.preprocess, this.tableOf(rows));
    return network.predict(new Tensor(Float32Array.from(x.data), [x.rows, x.cols]), { verbose: 0 });
  }

  /** Class probabilities [rows, classes] of a classifier for raw rows. */
  predictProba(rows: Table | readonly Record<string, unknown>[]): Tensor {
    if (!(this.final instanceof Model)) return this.toTabularModel().predictProba(rows);
    if (this.task !== "classification")
      throw new ValueError("ModelPipeline.predictProba: a regression network gives no probabilities");
    return this.networkOutput(this.final, rows);
  }

  /** Predictions (class labels or numbers) for raw rows. */
  predict(rows: Table | readonly Record<string, unknown>[]): LabelValue[] {
    if (!(this.final instanceof Model)) return this.toTabularModel().predict(rows);
    const out = this.networkOutput(this.final, rows);
    if (this.task === "regression") return Array.from(out.data, Number);
    const classes = this.labels!.classes!;
    const width = classes.length;
    return Array.from({ length: out.shape[0]! }, (_, r) => {
      let best = 0;
      for (let k = 1; k < width; k++) if (out.data[r * width + k]! > out.data[r * width + best]!) best = k;
      return classes[best] as LabelValue;
    });
  }

  /** The fitted estimator pipeline as the TabularModel that saves, loads, evaluates and serves. */
  toTabularModel(): TabularModel {
    if (this.final instanceof Model)
      throw new ValueError(
        "ModelPipeline.toTabularModel: the final step is a network; save it as a model directory",
      );
    if (this.columns === null) throw new ValueError("ModelPipeline: call fit() first");
    return new TabularModel(this.preprocess, this.final, this.target, this.task, this.columns);
  }
}
