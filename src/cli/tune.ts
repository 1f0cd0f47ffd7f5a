// cli/tune: `tessera tune <spec.json>`: hyper-parameter search for an ml/ estimator on a CSV file.
// The spec names the data, the target column, the estimator, the search ("grid", "random",
// "halving" or "hyperband") and its space; the features are prepared as zero-config training
// prepares them, fitted inside each fold (ml/tabular-trial-data: no held-out row is seen by the
// preprocessing it is scored with). Trials run on --workers threads (io/search-workers); each
// finished trial goes into a results file (io/trial-store), and --resume skips those already there.
// The results table is printed and the best model saved with its preprocessing.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../core/errors.js";
import { saveEstimator } from "../io/estimator-file.js";
import { readCsv } from "../io/read-csv.js";
import { startSearchWorkers } from "../io/search-workers.js";
import { parseStrictJson } from "../io/strict-json.js";
import { packTable } from "../io/table-transfer.js";
import { openTrialStore } from "../io/trial-store.js";
import { inferTask, targetLabels } from "../ml/auto-train.js";
import { ESTIMATORS } from "../ml/registry.js";
import { GridSearch, RandomSearch, type SearchableEstimator, type SearchOptions } from "../ml/search.js";
import { HalvingSearch, Hyperband, type HyperbandResource } from "../ml/search-halving.js";
import { type ParamValue, spaceFromJSON } from "../ml/search-space.js";
import { featureColumns, preprocessFor } from "../ml/tabular-features.js";
import { featuresOf, rawColumnsOf, TabularModel } from "../ml/tabular-model.js";
import { tabularTrialData } from "../ml/tabular-trial-data.js";
import { type Io, intOption, parseCommand, UsageError } from "./args.js";

export const TUNE_HELP = `Usage: tessera tune <spec.json> [options]

Searches an estimator's hyper-parameters with k-fold cross-validation and saves the best model.
Spec (paths relative to the spec file):
  {"data": "iris.csv", "target": "species", "estimator": "LogisticRegression",
   "search": "random", "nIter": 20, "cv": 5, "seed": 0, "out": "runs/iris-tuned",
   "space": {"C": {"logUniform": [0.001, 100]}, "penalty": {"choice": ["l2", "none"]}}}
search: "grid", "random" (nIter samples), "halving" (successive halving of nIter samples) or
"hyperband" (brackets of successive halving; "factor": 3, "resource": "rows" or
{"param": "maxIter", "max": 81} to grow epochs instead of rows).
"params": fixed estimator parameters shared by every candidate.
The preprocessing (imputing, scaling, one-hot, TF-IDF for text) is fitted inside each fold.
Finished trials are kept in <out>.trials.json (or "results"), rewritten after each trial.
Estimators: LogisticRegression, Ridge, Lasso, ElasticNet, KNeighborsClassifier,
KNeighborsRegressor, HistGradientBoostingClassifier, HistGradientBoostingRegressor,
MLPClassifier, MLPRegressor.

Options:
  --workers N  run trials on N worker threads, each with its share of the cores (default 1:
               on this thread)
  --resume     skip the trials the results file holds from an earlier run of the same spec
  --json       print the results as JSON
  -h, --help   show this help
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

const SEARCHES = ["grid", "random", "halving", "hyperband"] as const;
type SearchKind = (typeof SEARCHES)[number];

function resourceOf(value: unknown): HyperbandResource {
  if (value === undefined || value === "rows") return "rows";
  const r = value as { param?: unknown; max?: unknown; min?: unknown } | null;
  if (typeof r === "object" && r !== null && typeof r.param === "string" && typeof r.max === "number")
    return { param: r.param, max: r.max, ...(typeof r.min === "number" ? { min: r.min } : {}) };
  throw new ConfigError(
    `tune spec: "resource" must be "rows" or {"param": NAME, "max": N} (got ${JSON.stringify(value)})`,
  );
}

function fixedParams(value: unknown): Record<string, ParamValue> {
  if (value === undefined) return {};
  if (
    typeof value !== "object" ||
    value === null ||
    Array.isArray(value) ||
    !Object.values(value).every((v) => v === null || ["number", "string", "boolean"].includes(typeof v))
  )
    throw new ConfigError(`tune spec: "params" must be an object of numbers, strings or booleans`);
  return value as Record<string, ParamValue>;
}

export async function tuneCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("tune", args, {
    json: { type: "boolean" },
    workers: { type: "string" },
    resume: { type: "boolean" },
  });
  if (values.help) {
    io.out(TUNE_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`tessera tune: expected one spec file (got ${positionals.length})\n\n${TUNE_HELP}`);
  const workers = intOption("tune", "workers", values.workers, 1) ?? 1;
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
          (v): v is SearchKind => SEARCHES.includes(v as SearchKind),
          '"grid", "random", "halving" or "hyperband"',
        );
  const space = spaceFromJSON(spec.space, "tune spec: space");
  const cv = spec.cv === undefined ? 5 : field(spec, "cv", isInt, "an integer >= 2");
  const seed = spec.seed === undefined ? 0 : field(spec, "seed", isInt, "an integer >= 0");
  const nIter = spec.nIter === undefined ? 10 : field(spec, "nIter", isInt, "an integer >= 1");
  const factor = spec.factor === undefined ? 3 : field(spec, "factor", isInt, "an integer >= 2");
  const resource = resourceOf(spec.resource);
  const fixed = fixedParams(spec.params);
  const out = resolve(
    base,
    spec.out === undefined ? "runs/tuned" : field(spec, "out", isString, "a directory"),
  );
  const resultsPath =
    spec.results === undefined
      ? `${out}.trials.json`
      : resolve(base, field(spec, "results", isString, "a file path"));

  const bytes = await readFile(data);
  const raw = await readCsv(data);
  if (!raw.has(target))
    throw new ConfigError(
      `tune spec: target column "${target}" does not exist (columns: ${raw.columnNames.join(", ")})`,
    );
  const table = raw.dropMissing({ columns: [target] });
  const task = inferTask(table, target);
  const columns = featureColumns(table, target);
  const labels = targetLabels(table, target);
  const y = task === "regression" ? Float64Array.from(labels, Number) : labels;
  const Estimator = ESTIMATORS[kind] as unknown as new (
    options: Record<string, ParamValue>,
  ) => SearchableEstimator;
  const options: SearchOptions<SearchableEstimator> & { factor: number; resource: HyperbandResource } = {
    estimator: (p: Record<string, ParamValue>) => new Estimator({ ...fixed, ...p }),
    space,
    cv,
    seed,
    nIter,
    factor,
    resource,
    shuffle: true,
    refit: false,
  };
  const runner =
    search === "grid"
      ? new GridSearch(options)
      : search === "halving"
        ? new HalvingSearch(options)
        : search === "hyperband"
          ? new Hyperband(options)
          : new RandomSearch(options);
  // The results file belongs to this exact search: the spec's search fields and the data's bytes.
  const fingerprint = {
    data: createHash("sha256").update(bytes).digest("hex"),
    ...{
      target,
      estimator: kind,
      search,
      space: spec.space,
      cv,
      seed,
      nIter,
      factor,
      resource,
      params: fixed,
    },
  };
  const store = await openTrialStore(resultsPath, fingerprint, { resume: values.resume === true });
  const executor =
    workers > 1
      ? startSearchWorkers({
          workers,
          estimator: kind,
          fixed,
          data: { kind: "table", table: packTable(table).packed, columns },
          y,
        })
      : undefined;
  try {
    await runner.fitAsync(tabularTrialData(table, columns), y, { store, ...(executor ? { executor } : {}) });
  } finally {
    await executor?.close();
  }
  // The best candidate refitted on every row, behind preprocessing fitted on every row.
  const preprocess = preprocessFor(columns.numeric, columns.categorical, columns.text).fit(table);
  const best = new Estimator({ ...fixed, ...runner.bestParams });
  best.fit(featuresOf(preprocess, table), y);
  await saveEstimator(
    out,
    new TabularModel(
      preprocess,
      best as unknown as ConstructorParameters<typeof TabularModel>[1],
      target,
      task,
      rawColumnsOf(preprocess, table),
    ),
    { source: data, search, bestParams: runner.bestParams, bestScore: runner.bestScore },
  );
  const trials = { resumed: store.resumed, run: runner.trialsRun, results: resultsPath };
  if (values.json) {
    io.out(
      `${JSON.stringify({ estimator: kind, search, task, results: runner.results, bestParams: runner.bestParams, bestScore: runner.bestScore, trials, saved: out })}\n`,
    );
    return 0;
  }
  io.err(
    `trials: ${trials.run} run${workers > 1 ? ` on ${workers} workers` : ""}, ${trials.resumed} resumed from ${resultsPath}\n`,
  );
  io.out(
    `${runner.table()}\nbest: ${JSON.stringify(runner.bestParams)} (mean ${task === "classification" ? "accuracy" : "R^2"} ${runner.bestScore.toFixed(4)}), saved to ${out}\n`,
  );
  return 0;
}
