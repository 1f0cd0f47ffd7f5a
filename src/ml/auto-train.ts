// ml/auto-train: zero-config training on a Table: infers the task from the target column, builds
// the preprocessing (median imputing + scaling for numeric columns, most-frequent imputing + one-hot
// for categorical ones, TF-IDF for free-text columns; identifier-like strings are dropped and
// reported),
// cross-validates baselines (a linear model, histogram gradient-boosted trees, k nearest neighbours,
// an MLP)
// within a time budget, and refits the best on every row. Preprocessing is fitted inside each fold.
import { ValueError } from "../core/errors.js";
import { kFold, stratifiedKFold } from "../data/split/kfold.js";
import type { LabelValue } from "../data/split/labels.js";
import type { Table } from "../data/table/table.js";
import { HistGradientBoostingClassifier } from "./hist-gradient-boosting-classifier.js";
import { HistGradientBoostingRegressor } from "./hist-gradient-boosting-regressor.js";
import { KNeighborsClassifier } from "./knn-classifier.js";
import { KNeighborsRegressor } from "./knn-regressor.js";
import { LogisticRegression } from "./logistic-regression.js";
import { MLPClassifier } from "./mlp-classifier.js";
import { MLPRegressor } from "./mlp-regressor.js";
import { intOption, positiveOption } from "./params.js";
import type { Estimator } from "./registry.js";
import { Ridge } from "./ridge.js";
import { type FeatureColumns, featureColumns, preprocessFor } from "./tabular-features.js";
import { featuresOf, rawColumnsOf, TabularModel, type TabularTask } from "./tabular-model.js";
import { tabularTrialData } from "./tabular-trial-data.js";

export interface AutoTrainOptions {
  /** The column to predict. */
  target: string;
  /** Seconds for the whole search; later candidates not started in time are skipped (default 60). */
  timeBudgetSeconds?: number;
  /** Cross-validation folds (default 5). */
  cv?: number;
  /** Seed of the fold shuffle (default 0). */
  seed?: number;
}

export interface LeaderboardRow {
  model: string;
  /** Mean fold score: accuracy (classification) or R^2 (regression); null when skipped. */
  meanScore: number | null;
  stdScore: number | null;
  seconds: number;
  note: string;
}

export interface AutoTrainResult {
  task: TabularTask;
  metric: "accuracy" | "r2";
  /** Best first; skipped candidates last. */
  leaderboard: LeaderboardRow[];
  best: TabularModel;
  features: FeatureColumns;
}

export { type FeatureColumns, featureColumns, preprocessFor } from "./tabular-features.js";

/** classification for text / boolean targets and integers with few distinct values. */
export function inferTask(table: Table, target: string): TabularTask {
  const column = table.column(target);
  if (!column.isNumeric || column.kind === "bool") return "classification";
  if (
    column.kind === "int" &&
    column.uniqueCount() <= Math.max(2, Math.min(20, Math.floor(table.numRows / 10)))
  )
    return "classification";
  return "regression";
}

/** The target column's values as labels (a date as its epoch milliseconds). */
export function targetLabels(table: Table, target: string): LabelValue[] {
  const column = table.column(target);
  return Array.from({ length: table.numRows }, (_, i) => {
    const v = column.get(i);
    return v instanceof Date ? v.getTime() : (v as LabelValue);
  });
}

type Candidate = { name: string; make: () => Estimator };

function candidatesFor(task: TabularTask): Candidate[] {
  return task === "classification"
    ? [
        { name: "logistic-regression", make: () => new LogisticRegression({ maxIter: 500 }) },
        { name: "boosted-trees", make: () => new HistGradientBoostingClassifier({ earlyStopping: false }) },
        { name: "k-nearest-neighbours", make: () => new KNeighborsClassifier() },
        { name: "mlp", make: () => new MLPClassifier({ seed: 0 }) },
      ]
    : [
        { name: "ridge", make: () => new Ridge() },
        { name: "boosted-trees", make: () => new HistGradientBoostingRegressor({ earlyStopping: false }) },
        { name: "k-nearest-neighbours", make: () => new KNeighborsRegressor() },
        { name: "mlp", make: () => new MLPRegressor({ seed: 0, maxIter: 500 }) },
      ];
}

/**
 * Trains sensible baselines on a table and returns the leaderboard and the best model.
 * @example
 * const { leaderboard, best } = autoTrain(await readCsv("penguins.csv"), { target: "species" });
 */
export function autoTrain(input: Table, options: AutoTrainOptions): AutoTrainResult {
  const op = "autoTrain";
  if (!input.has(options.target)) {
    throw new ValueError(
      `${op}: target column "${options.target}" does not exist (columns: ${input.columnNames.join(", ")})`,
    );
  }
  const budget = positiveOption(op, "timeBudgetSeconds", options.timeBudgetSeconds, 60);
  const nSplits = intOption(op, "cv", options.cv, 5, 2);
  const table = input.dropMissing({ columns: [options.target] });
  if (table.numRows < nSplits)
    throw new ValueError(
      `${op}: ${table.numRows} rows with a target value, fewer than cv = ${nSplits} folds`,
    );
  const task = inferTask(table, options.target);
  const features = featureColumns(table, options.target);
  const { numeric, categorical, text } = features;
  if (numeric.length + categorical.length + text.length === 0)
    throw new ValueError(`${op}: no usable feature column besides "${options.target}"`);
  const y = targetLabels(table, options.target);
  const yNumbers = task === "regression" ? Float64Array.from(y, Number) : null;
  const split = { nSplits, shuffle: true, seed: options.seed ?? 0 };
  const folds = task === "classification" ? stratifiedKFold(y, split) : kFold(table.numRows, split);
  const targetsOf = (rows: readonly number[]) =>
    yNumbers ? Float64Array.from(rows, (i) => yNumbers[i]!) : rows.map((i) => y[i]!);
  // The preprocessing does not depend on the candidate: fitted once per fold (cached), on its training rows.
  const data = tabularTrialData(table, features);
  const start = performance.now();
  const rows: LeaderboardRow[] = [];
  for (const candidate of candidatesFor(task)) {
    const began = performance.now();
    // The first candidate always runs, so there is a model to return.
    if (rows.length > 0 && (began - start) / 1000 > budget) {
      rows.push({
        model: candidate.name,
        meanScore: null,
        stdScore: null,
        seconds: 0,
        note: "skipped: time budget spent",
      });
      continue;
    }
    const scores = folds.map(([train, test]) => {
      const { xTrain, xTest } = data.split(train, test);
      const estimator = candidate.make() as {
        fit(x: unknown, y: unknown): unknown;
        score(x: unknown, y: unknown): number;
      };
      estimator.fit(xTrain, targetsOf(train));
      return estimator.score(xTest, targetsOf(test));
    });
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
    rows.push({
      model: candidate.name,
      meanScore: mean,
      stdScore: std,
      seconds: (performance.now() - began) / 1000,
      note: `${nSplits}-fold CV`,
    });
  }
  rows.sort((a, b) => (b.meanScore ?? Number.NEGATIVE_INFINITY) - (a.meanScore ?? Number.NEGATIVE_INFINITY));
  const winner = candidatesFor(task).find((c) => c.name === rows[0]!.model)!;
  const preprocess = preprocessFor(numeric, categorical, text).fit(table);
  const estimator = winner.make();
  (estimator as { fit(x: unknown, y: unknown): unknown }).fit(
    featuresOf(preprocess, table),
    targetsOf(Array.from({ length: table.numRows }, (_, i) => i)),
  );
  return {
    task,
    metric: task === "classification" ? "accuracy" : "r2",
    leaderboard: rows,
    best: new TabularModel(preprocess, estimator, options.target, task, rawColumnsOf(preprocess, table)),
    features,
  };
}

/** The leaderboard as a text table. */
export function formatLeaderboard(result: AutoTrainResult): string {
  const header = ["rank", "model", `mean ${result.metric}`, "std", "seconds", "note"];
  const body = result.leaderboard.map((r, i) => [
    String(i + 1),
    r.model,
    r.meanScore === null ? "-" : r.meanScore.toFixed(4),
    r.stdScore === null ? "-" : r.stdScore.toFixed(4),
    r.seconds.toFixed(2),
    r.note,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  return `${[header, ...body]
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
