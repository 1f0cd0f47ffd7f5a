// report/run-report: the report.html of a `tessera train` run: the run's per-epoch logs, its
// scores per split, the test split's predictions drawn as classification or regression charts,
// the data summary and the model summary. The CLI gathers the pieces; this file maps them onto
// writeReport. Layer: report.
import type { Table } from "../data/table/table.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Logs } from "../train/callbacks/callback.js";
import { type ReportOptions, writeReport } from "./html-report.js";

export interface RunReport {
  name: string;
  task: "classification" | "regression";
  /** One entry per epoch, as history.json holds them. */
  history: readonly Logs[];
  /** Scores per split ("train", "validation", "test"); a null split is left out. */
  scores: Readonly<Record<string, Readonly<Record<string, number>> | null>>;
  /** The test split's targets and the model's outputs on it (null when the split is empty). */
  test: { y: Tensor; output: Tensor } | null;
  /** Class names of a classifier (index = class id). */
  classNames?: readonly (string | number | boolean | null)[];
  data: Table;
  target: string;
  model: ReportOptions["model"];
}

/** Per-epoch logs as a history record (name -> one value per epoch). */
export function historyRecord(history: readonly Logs[]): Record<string, number[]> {
  const record: Record<string, number[]> = {};
  history.forEach((logs, epoch) => {
    for (const [name, value] of Object.entries(logs)) (record[name] ??= [])[epoch] = value;
  });
  return record;
}

/** Writes `<dir>/report.html` for a training run and returns its path. */
export async function writeRunReport(dir: string, run: RunReport): Promise<string> {
  const scores = Object.fromEntries(
    Object.entries(run.scores).filter(
      (entry): entry is [string, Readonly<Record<string, number>>] => entry[1] !== null,
    ),
  );
  const test = run.test;
  return writeReport(dir, {
    title: run.name,
    subtitle: `${run.task} of "${run.target}" · written by tessera train on ${new Date().toISOString().slice(0, 10)}`,
    metrics: scores,
    ...(run.history.length === 0 ? {} : { history: historyRecord(run.history) }),
    ...(test === null
      ? {}
      : run.task === "classification"
        ? {
            classification: {
              yTrue: test.y,
              scores: test.output,
              ...(run.classNames === undefined ? {} : { classNames: run.classNames.map(String) }),
            },
          }
        : { regression: { actual: test.y, predicted: test.output } }),
    data: run.data,
    ...(run.task === "classification" ? { target: run.target } : {}),
    model: run.model,
  });
}
