// cli/auto-train: `tessera train <data.csv> --target COLUMN`: zero-config training (ml/auto-train):
// infers the task and column types, cross-validates baselines under a time budget, prints the
// leaderboard and saves the best model with its preprocessing (io/estimator-file).
import { basename, extname, join } from "node:path";
import { saveEstimator } from "../io/estimator-file.js";
import { readCsv } from "../io/read-csv.js";
import { autoTrain, formatLeaderboard } from "../ml/auto-train.js";
import { type Io, intOption, parseCommand, UsageError } from "./args.js";

export const AUTO_TRAIN_HELP = `Usage: tessera train <data.csv> --target COLUMN [options]

Zero-config training: infers classification or regression from the target column, imputes,
scales and one-hot encodes the features (TF-IDF for free-text columns), cross-validates a linear model, gradient-boosted trees,
k nearest neighbours and an MLP, prints the leaderboard and saves the best model with its
preprocessing.

Options:
  --target COLUMN        the column to predict (required)
  --time-budget SECONDS  time for the whole search (default 60)
  --cv FOLDS             cross-validation folds (default 5)
  --seed N               seed of the fold shuffle (default 0)
  --out DIR              where to save the best model (default runs/<data name>-auto)
  --json                 print the result as JSON
  -h, --help             show this help
`;

/** True when `tessera train` was called the zero-config way (a data file and --target). */
export function isAutoTrain(args: readonly string[]): boolean {
  return args.some((a) => a === "--target" || a.startsWith("--target="));
}

export async function autoTrainCommand(args: readonly string[], io: Io): Promise<number> {
  const command = "train";
  const { values, positionals } = parseCommand(command, args, {
    target: { type: "string" },
    "time-budget": { type: "string" },
    cv: { type: "string" },
    seed: { type: "string" },
    out: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    io.out(AUTO_TRAIN_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `tessera train: expected one data file with --target (got ${positionals.length})\n\n${AUTO_TRAIN_HELP}`,
    );
  if (values.target === undefined || values.target === "")
    throw new UsageError(`tessera train: --target needs a column name\n\n${AUTO_TRAIN_HELP}`);
  const budget = values["time-budget"] === undefined ? 60 : Number(values["time-budget"]);
  if (!(budget > 0))
    throw new UsageError(
      `tessera train: --time-budget must be a positive number of seconds (got "${values["time-budget"]}")`,
    );
  const path = positionals[0]!;
  const table = await readCsv(path);
  const result = autoTrain(table, {
    target: values.target,
    timeBudgetSeconds: budget,
    cv: intOption(command, "cv", values.cv, 2) ?? 5,
    seed: intOption(command, "seed", values.seed, 0) ?? 0,
  });
  const out = values.out ?? join("runs", `${basename(path, extname(path))}-auto`);
  const best = result.leaderboard[0]!;
  await saveEstimator(out, result.best, {
    source: basename(path),
    task: result.task,
    metric: result.metric,
    leaderboard: result.leaderboard.map((r) => ({ ...r })),
  });
  if (values.json) {
    io.out(
      `${JSON.stringify({ task: result.task, metric: result.metric, features: result.features, leaderboard: result.leaderboard, saved: out })}\n`,
    );
    return 0;
  }
  io.err(
    `task: ${result.task} (target "${values.target}"), ${table.numRows} rows; numeric ${result.features.numeric.length}, categorical ${result.features.categorical.length}${result.features.text.length ? `, text (TF-IDF) ${result.features.text.join(", ")}` : ""}${result.features.dropped.length ? `, dropped ${result.features.dropped.join(", ")}` : ""}\n`,
  );
  io.out(formatLeaderboard(result));
  io.out(`best: ${best.model} (${result.metric} ${best.meanScore?.toFixed(4)}), saved to ${out}\n`);
  return 0;
}
