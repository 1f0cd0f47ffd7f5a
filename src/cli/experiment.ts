// cli/experiment: turns a validated spec into the pieces of a training run: the data split, the
// fitted preprocessing (fitted on the training rows only), the tensors, the model and its compile
// options. Errors point at the spec field that caused them.
import { ConfigError, TesseraError } from "../core/errors.js";
import { LabelEncoder, OneHotEncoder, OrdinalEncoder } from "../data/preprocess/encoders.js";
import { SimpleImputer } from "../data/preprocess/imputer.js";
import { type ColumnGroup, ColumnTransformer, Pipeline } from "../data/preprocess/pipeline.js";
import { MinMaxScaler, RobustScaler, StandardScaler } from "../data/preprocess/scalers.js";
import type { Transformer } from "../data/preprocess/transformer.js";
import { trainTestSplit, trainValTestSplit } from "../data/split/train-test-split.js";
import type { Table } from "../data/table/table.js";
import type { ModelPreprocessing } from "../io/preprocessing.js";
import type { JsonObject } from "../io/strict-json.js";
import type { Sequential } from "../models/sequential.js";
import { sequential } from "../models/sequential.js";
import { normalizeName } from "../nn/config.js";
import type { Layer } from "../nn/layer.js";
import { input } from "../nn/layers/input.js";
import "../nn/layers/index.js";
import { deserializeLayer, registeredLayers } from "../nn/registry.js";
import type { Optimizer } from "../optim/optimizer.js";
import { getOptimizer } from "../optim/registry.js";
import { Tensor } from "../tensor/tensor.js";
import { getLoss, type LossName } from "../train/losses/registry.js";
import { getMetric, type MetricName } from "../train/metrics/registry.js";
import type { ExperimentSpec, Task } from "./spec.js";

/** The rows of one split as model inputs and targets. */
export interface SplitTensors {
  readonly table: Table;
  readonly x: Tensor;
  readonly y: Tensor;
}

export interface PreparedData {
  readonly task: Task;
  readonly features: readonly string[];
  readonly preprocessing: ModelPreprocessing;
  readonly train: SplitTensors;
  readonly validation: SplitTensors | null;
  readonly test: SplitTensors;
  /** Rows dropped because the target was missing. */
  readonly droppedRows: number;
}

function fieldError(path: string, error: unknown): never {
  if (error instanceof TesseraError) throw new ConfigError(`${path}: ${error.message}`);
  throw error;
}

/** Decides features and task, splits the rows, fits the preprocessing on the training rows. */
export function prepareData(spec: ExperimentSpec, raw: Table, where: string): PreparedData {
  const { data } = spec;
  const columns = raw.columnNames;
  const known = (name: string, path: string) => {
    if (!raw.has(name))
      throw new ConfigError(
        `${where}: ${path}: no column "${name}" in the data (columns: ${columns.join(", ")})`,
      );
  };
  known(data.target, "data.target");
  for (const [i, name] of data.drop.entries()) known(name, `data.drop[${i}]`);
  for (const [i, name] of (data.features ?? []).entries()) known(name, `data.features[${i}]`);
  const features = (data.features ?? columns).filter((c) => c !== data.target && !data.drop.includes(c));
  if (features.length === 0) throw new ConfigError(`${where}: data: no feature columns are left`);

  const targetColumn = raw.column(data.target);
  const task: Task =
    data.task ??
    (targetColumn.kind === "string" || targetColumn.kind === "bool" ? "classification" : "regression");
  if (task === "regression" && !targetColumn.isNumeric) {
    throw new ConfigError(
      `${where}: data.task: a regression target must be numeric ("${data.target}" holds ${targetColumn.kind} values)`,
    );
  }
  const table = raw.select([...features, data.target]).dropMissing({ columns: [data.target] });

  const labels =
    task === "classification"
      ? table
          .column(data.target)
          .toArray()
          .map((v) => String(v))
      : undefined;
  const stratify = spec.split.stratify ?? task === "classification";
  const valSize = spec.split.validation;
  let parts: { train: Table; validation: Table | null; test: Table };
  try {
    if (valSize > 0) {
      const s = trainValTestSplit([table], {
        valSize,
        testSize: spec.split.test,
        seed: spec.seed,
        ...(stratify && labels ? { stratify: labels } : {}),
      });
      parts = { train: s.train[0], validation: s.val[0], test: s.test[0] };
    } else {
      const s = trainTestSplit([table], {
        testSize: spec.split.test,
        seed: spec.seed,
        ...(stratify && labels ? { stratify: labels } : {}),
      });
      parts = { train: s.train[0], validation: null, test: s.test[0] };
    }
  } catch (error) {
    fieldError(`${where}: split`, error);
  }

  const groups: ColumnGroup[] = [];
  const numeric = features.filter(
    (c) => table.column(c).kind !== "string" && table.column(c).kind !== "date",
  );
  const categorical = features.filter((c) => table.column(c).kind === "string");
  const dates = features.filter((c) => table.column(c).kind === "date");
  if (dates.length > 0) {
    throw new ConfigError(
      `${where}: data: date columns cannot be features yet (${dates.join(", ")}); list them in data.drop`,
    );
  }
  const { numeric: num, categorical: cat } = spec.preprocessing;
  if (numeric.length > 0) {
    const steps: [string, Transformer][] = [];
    if (num.impute !== "none") steps.push(["impute", new SimpleImputer({ strategy: num.impute })]);
    if (num.scale === "standard") steps.push(["scale", new StandardScaler()]);
    if (num.scale === "minmax") steps.push(["scale", new MinMaxScaler()]);
    if (num.scale === "robust") steps.push(["scale", new RobustScaler()]);
    groups.push(["num", steps.length === 0 ? "passthrough" : new Pipeline(steps), numeric]);
  }
  if (categorical.length > 0) {
    const steps: [string, Transformer][] = [];
    if (cat.impute !== "none") steps.push(["impute", new SimpleImputer({ strategy: "mostFrequent" })]);
    steps.push([
      "encode",
      cat.encode === "onehot" ? new OneHotEncoder({ handleUnknown: "ignore" }) : new OrdinalEncoder(),
    ]);
    groups.push(["cat", new Pipeline(steps), categorical]);
  }
  const columnTransformer = new ColumnTransformer(groups);
  try {
    columnTransformer.fit(parts.train);
  } catch (error) {
    fieldError(`${where}: preprocessing`, error);
  }
  const target = task === "classification" ? new LabelEncoder().fit(labels!) : null;
  const tensors = (part: Table): SplitTensors => {
    const x = columnTransformer.transform(part);
    const values = part.column(data.target);
    const y =
      target === null
        ? new Tensor(Float32Array.from(values.numbers), [part.numRows, 1])
        : new Tensor(target.transform(values.toArray().map((v) => String(v))), [part.numRows]);
    return { table: part, x, y };
  };
  return {
    task,
    features,
    preprocessing: { features: columnTransformer, target },
    train: tensors(parts.train),
    validation:
      parts.validation === null || parts.validation.numRows === 0 ? null : tensors(parts.validation),
    test: tensors(parts.test),
    droppedRows: raw.numRows - table.numRows,
  };
}

/** A layer from its spec entry: "type" names a registered layer class (dense, Dense, batch_normalization). */
function layerFromSpec(type: string, options: JsonObject, path: string): Layer {
  const className = registeredLayers().find((name) => normalizeName(name) === normalizeName(type));
  const usable = registeredLayers().filter(
    (n) => !["InputLayer", "Sequential", "Functional", "Model"].includes(n),
  );
  if (className === undefined || !usable.includes(className)) {
    throw new ConfigError(
      `${path}.type: unknown layer "${type}" (expected one of ${usable.map(normalizeName).join(", ")})`,
    );
  }
  try {
    return deserializeLayer({ className, config: options });
  } catch (error) {
    return fieldError(path, error);
  }
}

/** The network: input of `features` columns, the spec's hidden layers, an output layer for the task. */
export function buildModel(
  spec: ExperimentSpec,
  inputWidth: number,
  task: Task,
  classes: number,
  where: string,
): Sequential {
  const hidden = spec.model.layers.map((l, i) =>
    layerFromSpec(l.type, l.options, `${where}: model.layers[${i}]`),
  );
  const output =
    task === "regression"
      ? layerFromSpec("dense", { units: 1, name: "output" }, `${where}: (output layer)`)
      : layerFromSpec(
          "dense",
          { units: classes, activation: "softmax", name: "output" },
          `${where}: (output layer)`,
        );
  try {
    return sequential([input({ shape: [inputWidth], name: "features" }), ...hidden, output], {
      name: spec.name,
    });
  } catch (error) {
    return fieldError(`${where}: model.layers`, error);
  }
}

/** The compile options of the spec, with the task's default loss and metrics. */
export function compileOptions(
  spec: ExperimentSpec,
  task: Task,
  where: string,
): { optimizer: Optimizer; loss: LossName; metrics: MetricName[] } {
  let optimizer: Optimizer;
  try {
    const o = spec.compile.optimizer;
    if (typeof o === "string") optimizer = getOptimizer(o);
    else {
      const { type, ...config } = o as JsonObject;
      if (typeof type !== "string") throw new ConfigError('"type" must name the optimizer, e.g. "adam"');
      optimizer = getOptimizer({ className: type, config });
    }
  } catch (error) {
    return fieldError(`${where}: compile.optimizer`, error);
  }
  // Names from the spec file, checked here (compile() would only resolve them at the first batch).
  const loss = spec.compile.loss ?? (task === "regression" ? "mse" : "sparse_categorical_crossentropy");
  const metrics = spec.compile.metrics ?? (task === "regression" ? ["mae"] : ["accuracy"]);
  try {
    getLoss(loss);
  } catch (error) {
    fieldError(`${where}: compile.loss`, error);
  }
  metrics.forEach((metric, i) => {
    try {
      getMetric(metric);
    } catch (error) {
      fieldError(`${where}: compile.metrics[${i}]`, error);
    }
  });
  return { optimizer, loss: loss as LossName, metrics: metrics.map((m) => m as MetricName) };
}
