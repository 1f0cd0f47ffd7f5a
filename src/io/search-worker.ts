// io/search-worker: the worker-thread side of io/search-workers: holds the search's data (a
// feature matrix, or a raw table whose preprocessing is fitted per fold) and runs the trials it is
// sent with ml/search-trials' runTrial, answering each with its outcome or its error.
import { parentPort, workerData } from "node:worker_threads";
import type { Matrix } from "../ml/matrix.js";
import { ESTIMATORS, type EstimatorKind } from "../ml/registry.js";
import type { ParamValue } from "../ml/search-space.js";
import {
  cachedSplits,
  matrixTrialData,
  runTrial,
  type SearchTargets,
  type TrialData,
  type TrialEstimator,
  type TrialOutcome,
  type TrialSpec,
} from "../ml/search-trials.js";
import { type PreparedColumns, tabularTrialData } from "../ml/tabular-trial-data.js";
import { type PackedTable, unpackTable } from "./table-transfer.js";

/** The data a worker holds for the whole search. */
export type SearchWorkerData =
  | { kind: "matrix"; matrix: Matrix }
  | { kind: "table"; table: PackedTable; columns: PreparedColumns };

/** What a worker is started with (its workerData). */
export interface SearchWorkerInit {
  searchWorker: true;
  estimator: EstimatorKind;
  /** Parameters every candidate shares (a candidate's own win). */
  fixed: Record<string, ParamValue>;
  data: SearchWorkerData;
  y: SearchTargets;
}

export type SearchWorkerRequest = { id: number; trial: TrialSpec };
export type SearchWorkerReply =
  | { id: number; outcome: TrialOutcome }
  | { id: number; error: { name: string; message: string } };

/** The TrialData a worker's init describes. */
export function trialDataOf(data: SearchWorkerData): TrialData {
  return data.kind === "matrix"
    ? cachedSplits(matrixTrialData(data.matrix))
    : tabularTrialData(unpackTable(data.table), data.columns);
}

const init = workerData as SearchWorkerInit | undefined;
if (parentPort && init?.searchWorker === true) {
  const port = parentPort;
  const Estimator = ESTIMATORS[init.estimator] as unknown as new (
    options: Record<string, ParamValue>,
  ) => TrialEstimator;
  const make = (params: Record<string, ParamValue>) => new Estimator({ ...init.fixed, ...params });
  const data = trialDataOf(init.data);
  port.on("message", ({ id, trial }: SearchWorkerRequest) => {
    try {
      port.postMessage({ id, outcome: runTrial(make, data, init.y, trial) } satisfies SearchWorkerReply);
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ id, error: { name: e.name, message: e.message } } satisfies SearchWorkerReply);
    }
  });
}
