// cli/predict-estimator: `tessera predict` and `tessera evaluate` on an estimator directory (a
// TabularModel: preprocessing + ml/ estimator, as `tessera train --target` and `tessera tune`
// save it). The same columns and scores as for a network: "<target>_predicted", one "p_<class>"
// probability column per class, and MAE/RMSE/R^2 or accuracy/macro-F1.
import { ValueError } from "../core/errors.js";
import { Column } from "../data/table/column.js";
import { Table } from "../data/table/table.js";
import type { TabularModel } from "../ml/tabular-model.js";
import type { Tensor } from "../tensor/tensor.js";
import { classificationScores, regressionScores } from "./scores.js";

/** The input table with the prediction columns appended (same names as for a network). */
export function estimatorPredictionTable(model: TabularModel, table: Table): Table {
  const x = model.features(table);
  const entries: [string, Column][] = [];
  const predicted = model.predict(x);
  const name = `${model.target}_predicted`;
  if (model.task === "regression") {
    entries.push([name, Column.fromNumbers("float", Float64Array.from(predicted, Number))]);
  } else {
    const strings = predicted.every((v) => typeof v === "string");
    entries.push([name, Column.fromValues(predicted, strings ? "string" : "float")]);
    const classes = model.classes;
    if (classes !== null) {
      const proba = model.predictProba(x);
      const width = classes.length;
      classes.forEach((label, k) => {
        const column = Float64Array.from({ length: table.numRows }, (_, r) => proba.data[r * width + k]!);
        entries.push([`p_${String(label)}`, Column.fromNumbers("float", column)]);
      });
    }
  }
  const added = new Set(entries.map(([n]) => n));
  const kept = table.columnNames
    .filter((n) => !added.has(n))
    .map((n) => [n, table.column(n)] as [string, Column]);
  return Table.fromEntries([...kept, ...entries], table.numRows);
}

/** What evaluate needs of an estimator's predictions on labelled rows. */
export interface EstimatorEvaluation {
  readonly scores: Record<string, number>;
  /** Classification: the true class index of each row and the probabilities [rows, classes]. */
  readonly classification: { codes: Int32Array; output: Tensor; labels: string[] } | null;
  /** Regression: true and predicted values. */
  readonly regression: { yTrue: Float64Array; yPred: Float64Array } | null;
}

/** Scores of a TabularModel on rows holding its target column (rows missing the target dropped by the caller). */
export function evaluateEstimator(model: TabularModel, table: Table, where: string): EstimatorEvaluation {
  const x = model.features(table);
  const truth = table.column(model.target);
  if (model.task === "regression") {
    const yTrue = Float64Array.from(truth.numbers);
    const yPred = Float64Array.from(model.predict(x), Number);
    return { scores: regressionScores(yTrue, yPred), classification: null, regression: { yTrue, yPred } };
  }
  const classes = model.classes;
  if (classes === null)
    throw new ValueError(`${where}: this classifier gives no class probabilities, so it cannot be scored`);
  const labels = classes.map(String);
  const index = new Map(labels.map((label, k) => [label, k]));
  const codes = new Int32Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const label = String(truth.get(r));
    const code = index.get(label);
    if (code === undefined)
      throw new ValueError(
        `${where}: row ${r + 1} has target "${label}", which the model never saw in training (classes: ${labels.join(", ")})`,
      );
    codes[r] = code;
  }
  const output = model.predictProba(x);
  return {
    scores: classificationScores(codes, output.data, labels.length),
    classification: { codes, output, labels },
    regression: null,
  };
}
