// ml/search-trials: the unit of work of a hyper-parameter search, and the two seams that let it run
// elsewhere: a TrialExecutor (inline here; io/search-workers runs trials on worker threads) and a
// TrialStore (io/trial-store keeps finished trials in a results file so a search can resume).
// A trial is one candidate fitted on one fold's training rows and scored on its held-out rows;
// rows are indices into the search's whole data, so any executor holding the data can run it.
// Layer: ml (no node:* imports).
import type { Labels } from "../data/split/labels.js";
import { type Matrix, takeMatrixRows } from "./matrix.js";
import type { ParamValue } from "./search-space.js";

/** Targets a search accepts: labels (classification) or numbers (regression). */
export type SearchTargets = readonly (string | number | boolean | null)[] | Float64Array | Int32Array;

/** One fit-and-score job. */
export interface TrialSpec {
  /** Stable identity (candidate parameters, resource and fold): the results file's key. */
  readonly key: string;
  readonly params: Record<string, ParamValue>;
  readonly fold: number;
  /** Row indices (into the whole data) to fit on and to score on. */
  readonly train: readonly number[];
  readonly test: readonly number[];
}

/** What a trial measured. */
export interface TrialOutcome {
  score: number;
  fitSeconds: number;
}

/** Runs trials; outcomes come back in the order of `trials`. */
export interface TrialExecutor {
  run(
    trials: readonly TrialSpec[],
    onDone?: (trial: TrialSpec, outcome: TrialOutcome) => void,
  ): Promise<TrialOutcome[]>;
}

/** Finished trials by key (a resumed search skips them). */
export interface TrialStore {
  get(key: string): TrialOutcome | undefined;
  put(key: string, outcome: TrialOutcome): Promise<void>;
}

/** A search's data: the features of any train / test split of its rows. */
export interface TrialData {
  readonly rows: number;
  /** The features of the training rows (preprocessing fitted on them only) and of the test rows. */
  split(train: readonly number[], test: readonly number[]): { xTrain: Matrix; xTest: Matrix };
}

/** What a trial fits: anything with fit and a higher-is-better score. */
export interface TrialEstimator {
  fit(x: Matrix, y: Labels): unknown;
  score(x: Matrix, y: Labels): number;
}

/** The targets of some rows. */
export function pickTargets(y: SearchTargets, rows: readonly number[]): Labels {
  if (y instanceof Float64Array || y instanceof Int32Array) return Float64Array.from(rows, (i) => y[i]!);
  return rows.map((i) => y[i]!);
}

/** A feature matrix as TrialData (no preprocessing to fit). */
export function matrixTrialData(x: Matrix): TrialData {
  return {
    rows: x.rows,
    split: (train, test) => ({ xTrain: takeMatrixRows(x, train), xTest: takeMatrixRows(x, test) }),
  };
}

/** Fits a fresh estimator on the trial's training rows and scores it on its test rows. */
export function runTrial(
  make: (params: Record<string, ParamValue>) => TrialEstimator,
  data: TrialData,
  y: SearchTargets,
  trial: TrialSpec,
): TrialOutcome {
  const { xTrain, xTest } = data.split(trial.train, trial.test);
  const estimator = make(trial.params);
  const start = performance.now();
  estimator.fit(xTrain, pickTargets(y, trial.train));
  const fitSeconds = (performance.now() - start) / 1000;
  return { score: estimator.score(xTest, pickTargets(y, trial.test)), fitSeconds };
}

/** Runs every trial on the calling thread, one after another. */
export function inlineExecutor(
  make: (params: Record<string, ParamValue>) => TrialEstimator,
  data: TrialData,
  y: SearchTargets,
): TrialExecutor & { runSync(trials: readonly TrialSpec[]): TrialOutcome[] } {
  const runSync = (trials: readonly TrialSpec[], onDone?: (t: TrialSpec, o: TrialOutcome) => void) =>
    trials.map((trial) => {
      const outcome = runTrial(make, data, y, trial);
      onDone?.(trial, outcome);
      return outcome;
    });
  return { runSync, run: async (trials, onDone) => runSync(trials, onDone) };
}

/** A trial key: the parameters (names sorted), the resource and the fold. */
export function trialKey(params: Record<string, ParamValue>, resource: string, fold: number): string {
  const sorted = Object.fromEntries(
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]!]),
  );
  return JSON.stringify({ params: sorted, resource, fold });
}

/** A cache of fold features keyed by the train rows (preprocessing is fitted once per distinct fold). */
export function cachedSplits(data: TrialData, capacity = 64): TrialData {
  const cache = new Map<string, { xTrain: Matrix; xTest: Matrix }>();
  return {
    rows: data.rows,
    split(train, test) {
      const key = `${rowsHash(train)}|${rowsHash(test)}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const made = data.split(train, test);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
      cache.set(key, made);
      return made;
    },
  };
}

/** FNV-1a over the indices and the count: two different row lists practically never collide. */
function rowsHash(rows: readonly number[]): string {
  let h = 0x811c9dc5;
  let g = 0x01000193;
  for (const r of rows) {
    h = Math.imul(h ^ r, 0x01000193) >>> 0;
    g = Math.imul(g ^ (r + 0x9e3779b9), 0x85ebca6b) >>> 0;
  }
  return `${rows.length}:${h.toString(36)}:${g.toString(36)}`;
}
