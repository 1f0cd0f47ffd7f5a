// cli/tune: `tessera tune <spec.json>`: hyper-parameter search for an ml/ estimator on a CSV file.
// The spec names the data, the target column, the estimator, the search ("grid" or "random") and
// its space; the features are prepared as zero-config training prepares them; the results table
// is printed and the best model saved with its preprocessing.
// NOTE: the preprocessing is fitted once on all rows before the folds are cut (its statistics see
// the held-out fold); zero-config training fits it per fold.
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../core/errors.js";
import { saveEstimator } from "../io/estimator-file.js";
import { readCsv } from "../io/read-csv.js";
import { parseStrictJson } from "../io/strict-json.js";
import { featureColumns, inferTask, preprocessFor, targetLabels } from "../ml/auto-train.js";
import { ESTIMATORS } from "../ml/registry.js";
import { GridSearch, HalvingSearch, RandomSearch, type SearchableEstimator } from "../ml/search.js";
import { type ParamValue, spaceFromJSON } from "../ml/search-space.js";
import { featuresOf, rawColumnsOf, TabularModel } from "../ml/tabular-model.js";
import { type Io, parseCommand, UsageError } from "./args.js";

export const TUNE_HELP = `Usage: tessera tune <spec.json> [options]

Searches an estimator's hyper-parameters with k-fold cross-validation and saves the best model.
Spec (paths relative to the spec file):
  {"data": "iris.csv", "target": "species", "estimator": "LogisticRegression",
   "search": "random", "nIter": 20, "cv": 5, "seed": 0, "out": "runs/iris-tuned",
   "space": {"C": {"logUniform": [0.001, 100]}, "penalty": {"choice": ["l2", "none"]}}}
search: "grid", "random" (nIter samples) or "halving" (successive halving of nIter samples).
Estimators: LogisticRegression, Ridge, Lasso, ElasticNet, KNeighborsClassifier,
KNeighborsRegressor, HistGradientBoostingClassifier, HistGradientBoostingRegressor,
MLPClassifier, MLPRegressor.

Options:
  --json      print the results as JSON
  -h, --help  show this help
`;

const SUPERVISED = [
  "LogisticRegression",
  "LinearRegression",
  "Ridge",
  "Lasso",
  "ElasticNet",
  "KNeighborsClassifier",
  "KNeighborsRegressor",
  "HistGradientBoostingClassifier",
  "HistGradientBoostingRegressor",
  "MLPClassifier",
  "MLPRegressor",
] as const;
type SupervisedKind = (typeof SUPERVISED)[number];

function field<T>(
  spec: Record<string, unknown>,
  name: string,
  check: (v: unknown) => v is T,
  expected: string,
): T {
  const v = spec[name];
  if (!check(v)) throw new ConfigError(`tune spec: "${name}" must be ${expected} (got ${JSON.stringify(v)})`);
  return v;
}
const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

export async function tuneCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("tune", args, { json: { type: "boolean" } });
  if (values.help) {
    io.out(TUNE_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`tessera tune: expected one spec file (got ${positionals.length})\n\n${TUNE_HELP}`);
  const specPath = positionals[0]!;
  const spec = parseStrictJson(await readFile(specPath, "utf8"), specPath);
  if (typeof spec !== "object" || spec === null || Array.isArray(spec))
    throw new ConfigError(`tune spec: ${specPath} must hold a JSON object`);
  const base = dirname(specPath);
  const data = resolve(base, field(spec, "data", isString, "a CSV path"));
  const target = field(spec, "target", isString, "a column name");
  const kind = field(
    spec,
    "estimator",
    (v): v is SupervisedKind => SUPERVISED.includes(v as SupervisedKind),
    `one of ${SUPERVISED.join(", ")}`,
  );
  const search =
    spec.search === undefined
      ? "random"
      : field(
          spec,
          "search",
          (v): v is "grid" | "random" | "halving" => v === "grid" || v === "random" || v === "halving",
          '"grid", "random" or "halving"',
        );
  const space = spaceFromJSON(spec.space, "tune spec: space");
  const cv = spec.cv === undefined ? 5 : field(spec, "cv", isInt, "an integer >= 2");
  const seed = spec.seed === undefined ? 0 : field(spec, "seed", isInt, "an integer >= 0");
  const nIter = spec.nIter === undefined ? 10 : field(spec, "nIter", isInt, "an integer >= 1");
  const out = resolve(
    base,
    spec.out === undefined ? "runs/tuned" : field(spec, "out", isString, "a directory"),
  );

  const raw = await readCsv(data);
  if (!raw.has(target))
    throw new ConfigError(
      `tune spec: target column "${target}" does not exist (columns: ${raw.columnNames.join(", ")})`,
    );
  const table = raw.dropMissing({ columns: [target] });
  const task = inferTask(table, target);
  const { numeric, categorical } = featureColumns(table, target);
  const preprocess = preprocessFor(numeric, categorical).fit(table);
  const x = featuresOf(preprocess, table);
  const labels = targetLabels(table, target);
  const y = task === "regression" ? Float64Array.from(labels, Number) : labels;
  const Estimator = ESTIMATORS[kind] as unknown as new (
    options: Record<string, ParamValue>,
  ) => SearchableEstimator;
  const options = {
    estimator: (p: Record<string, ParamValue>) => new Estimator(p),
    space,
    cv,
    seed,
    nIter,
    shuffle: true,
  };
  const runner =
    search === "grid"
      ? new GridSearch(options)
      : search === "halving"
        ? new HalvingSearch(options)
        : new RandomSearch(options);
  runner.fit(x, y);
  const best = runner.bestEstimator as unknown as ConstructorParameters<typeof TabularModel>[1];
  await saveEstimator(
    out,
    new TabularModel(preprocess, best, target, task, rawColumnsOf(preprocess, table)),
    {
      source: data,
      search,
      bestParams: runner.bestParams,
      bestScore: runner.bestScore,
    },
  );
  if (values.json) {
    io.out(
      `${JSON.stringify({ estimator: kind, search, task, results: runner.results, bestParams: runner.bestParams, bestScore: runner.bestScore, saved: out })}\n`,
    );
    return 0;
  }
  io.out(
    `${runner.table()}\nbest: ${JSON.stringify(runner.bestParams)} (mean ${task === "classification" ? "accuracy" : "R^2"} ${runner.bestScore.toFixed(4)}), saved to ${out}\n`,
  );
  return 0;
}
