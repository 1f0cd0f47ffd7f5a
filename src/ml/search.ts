// ml/search: hyper-parameter search with k-fold cross-validation (scikit-learn's GridSearchCV and
// RandomizedSearchCV): every candidate is fitted on each fold's training rows and scored on its
// held-out rows (estimator.score: accuracy or R^2, higher is better); the best candidate is refitted
// on all rows. Folds are stratified for classifiers (estimators with predictProba). Seeded.
import { ValueError } from "../core/errors.js";
import { Generator } from "../core/random.js";
import { kFold, stratifiedKFold } from "../data/split/kfold.js";
import type { Labels } from "../data/split/labels.js";
import { type Matrix, type MatrixInput, takeMatrixRows, toMatrix } from "./matrix.js";
import { intOption } from "./params.js";
import { gridOf, type ParamValue, type SearchSpace } from "./search-space.js";

/** What a search can tune: anything with fit and a higher-is-better score. */
export interface SearchableEstimator {
  fit(x: Matrix, y: Labels): unknown;
  score(x: Matrix, y: Labels): number;
  predictProba?: unknown;
}

/** Targets a search accepts: labels (classification) or numbers (regression). */
export type SearchTargets = readonly (string | number | boolean | null)[] | Float64Array | Int32Array;

export interface SearchOptions<E extends SearchableEstimator> {
  /** Builds an estimator from one candidate's parameters. */
  estimator: (params: Record<string, ParamValue>) => E;
  space: SearchSpace;
  /** Folds (default 5). */
  cv?: number;
  /** Seed of the sampling and of the fold shuffle (default 0). */
  seed?: number;
  /** Shuffle rows before cutting folds (default false: consecutive folds, as scikit-learn's cv=5). */
  shuffle?: boolean;
  /** Candidates drawn by RandomSearch (default 10). */
  nIter?: number;
  /** Refit the best candidate on all rows (default true). */
  refit?: boolean;
}

/** One candidate's cross-validation result. */
export interface SearchResult {
  params: Record<string, ParamValue>;
  foldScores: number[];
  meanScore: number;
  stdScore: number;
  /** Mean fit seconds per fold. */
  meanFitSeconds: number;
  /** 1 for the best mean score. */
  rank: number;
}

function pick(y: SearchTargets, rows: readonly number[]): Labels {
  if (y instanceof Float64Array || y instanceof Int32Array) return Float64Array.from(rows, (i) => y[i]!);
  return rows.map((i) => y[i]!);
}

/** Shared by GridSearch and RandomSearch: cross-validates a list of candidates. */
abstract class Search<E extends SearchableEstimator> {
  readonly options: SearchOptions<E>;
  results: SearchResult[] = [];
  bestEstimator: E | null = null;

  constructor(options: SearchOptions<E>) {
    if (typeof options.estimator !== "function")
      throw new ValueError(
        `${this.constructor.name}: estimator must be a function from parameters to an estimator`,
      );
    intOption(this.constructor.name, "cv", options.cv, 5, 2);
    this.options = options;
  }

  protected abstract candidates(): Record<string, ParamValue>[];

  /** The best candidate's parameters. */
  get bestParams(): Record<string, ParamValue> {
    const best = this.results.find((r) => r.rank === 1);
    if (!best) throw new ValueError(`${this.constructor.name}: call fit() first`);
    return best.params;
  }

  get bestScore(): number {
    return this.results.find((r) => r.rank === 1)?.meanScore ?? Number.NaN;
  }

  fit(xInput: MatrixInput, y: SearchTargets): this {
    const op = `${this.constructor.name}.fit`;
    const x = toMatrix(op, xInput);
    if (y.length !== x.rows) throw new ValueError(`${op}: y has ${y.length} values but X has ${x.rows} rows`);
    const nSplits = this.options.cv ?? 5;
    const seed = this.options.seed ?? 0;
    const candidates = this.candidates();
    const probe = this.options.estimator(candidates[0] ?? {});
    const labels = y instanceof Float64Array || y instanceof Int32Array ? y : [...y];
    const split = { nSplits, shuffle: this.options.shuffle ?? false, seed };
    const folds =
      typeof probe.predictProba === "function" ? stratifiedKFold(labels, split) : kFold(x.rows, split);
    const trainSets = folds.map(([train, test]) => ({
      xTrain: takeMatrixRows(x, train),
      yTrain: pick(y, train),
      xTest: takeMatrixRows(x, test),
      yTest: pick(y, test),
    }));
    const scored = candidates.map((params) => {
      let seconds = 0;
      const foldScores = trainSets.map((fold) => {
        const estimator = this.options.estimator(params);
        const start = performance.now();
        estimator.fit(fold.xTrain, fold.yTrain);
        seconds += (performance.now() - start) / 1000;
        return estimator.score(fold.xTest, fold.yTest);
      });
      const mean = foldScores.reduce((a, b) => a + b, 0) / foldScores.length;
      const std = Math.sqrt(foldScores.reduce((a, b) => a + (b - mean) ** 2, 0) / foldScores.length);
      return {
        params,
        foldScores,
        meanScore: mean,
        stdScore: std,
        meanFitSeconds: seconds / foldScores.length,
        rank: 0,
      };
    });
    // Rank like scikit-learn: by mean score, ties share the lower rank.
    const order = scored.map((_, i) => i).sort((a, b) => scored[b]!.meanScore - scored[a]!.meanScore);
    order.forEach((index, position) => {
      const previous = position > 0 ? scored[order[position - 1]!]! : null;
      scored[index]!.rank =
        previous && previous.meanScore === scored[index]!.meanScore ? previous.rank : position + 1;
    });
    this.results = scored;
    if (this.options.refit ?? true) {
      const best = this.options.estimator(this.bestParams);
      best.fit(
        x,
        pick(
          y,
          Array.from({ length: x.rows }, (_, i) => i),
        ),
      );
      this.bestEstimator = best;
    }
    return this;
  }

  /** The results as a text table, best first. */
  table(): string {
    const names = Object.keys(this.options.space);
    const header = ["rank", ...names, "mean score", "std", "fit s"];
    const rows = [...this.results]
      .sort((a, b) => a.rank - b.rank)
      .map((r) => [
        String(r.rank),
        ...names.map((n) => formatValue(r.params[n] ?? null)),
        r.meanScore.toFixed(4),
        r.stdScore.toFixed(4),
        r.meanFitSeconds.toFixed(3),
      ]);
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
    return [header, ...rows]
      .map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join("  "))
      .join("\n");
  }
}

function formatValue(v: ParamValue): string {
  return typeof v === "number" ? String(Number(v.toPrecision(4))) : String(v);
}

/**
 * Exhaustive search over every combination of choice / intUniform values.
 * @example
 * const search = new GridSearch({ estimator: (p) => new KNeighborsClassifier(p), space: { nNeighbors: choice([1, 5, 15]) } }).fit(x, y);
 * search.bestParams; console.log(search.table());
 */
export class GridSearch<E extends SearchableEstimator> extends Search<E> {
  protected candidates(): Record<string, ParamValue>[] {
    return gridOf(this.options.space);
  }
}

/**
 * nIter candidates sampled from the space with a seeded generator.
 * @example
 * new RandomSearch({ estimator: (p) => new LogisticRegression(p), space: { C: logUniform(1e-3, 1e2) }, nIter: 20 }).fit(x, y);
 */
export class RandomSearch<E extends SearchableEstimator> extends Search<E> {
  protected candidates(): Record<string, ParamValue>[] {
    const n = intOption("RandomSearch", "nIter", this.options.nIter, 10);
    const rng = new Generator(this.options.seed ?? 0);
    return Array.from({ length: n }, () =>
      Object.fromEntries(Object.entries(this.options.space).map(([name, d]) => [name, d.sample(rng)])),
    );
  }
}
