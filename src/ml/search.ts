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

  /** Cross-validates candidates on the given rows of (x, y) (all rows by default). */
  protected crossValidate(
    x: Matrix,
    y: SearchTargets,
    candidates: Record<string, ParamValue>[],
    rows?: readonly number[],
  ): SearchResult[] {
    const subset = rows ?? Array.from({ length: x.rows }, (_, i) => i);
    const xs = rows ? takeMatrixRows(x, rows) : x;
    const ys = pick(y, subset);
    const nSplits = this.options.cv ?? 5;
    const probe = this.options.estimator(candidates[0] ?? {});
    const split = { nSplits, shuffle: this.options.shuffle ?? false, seed: this.options.seed ?? 0 };
    const folds =
      typeof probe.predictProba === "function" ? stratifiedKFold(ys, split) : kFold(xs.rows, split);
    const trainSets = folds.map(([train, test]) => ({
      xTrain: takeMatrixRows(xs, train),
      yTrain: pick(ys as SearchTargets, train),
      xTest: takeMatrixRows(xs, test),
      yTest: pick(ys as SearchTargets, test),
    }));
    return candidates.map((params) => {
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
  }

  /** The results to rank: every candidate cross-validated on all rows (halving overrides it). */
  protected evaluate(x: Matrix, y: SearchTargets): SearchResult[] {
    return this.crossValidate(x, y, this.candidates());
  }

  fit(xInput: MatrixInput, y: SearchTargets): this {
    const op = `${this.constructor.name}.fit`;
    const x = toMatrix(op, xInput);
    if (y.length !== x.rows) throw new ValueError(`${op}: y has ${y.length} values but X has ${x.rows} rows`);
    const scored = this.evaluate(x, y);
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
    const n = intOption(this.constructor.name, "nIter", this.options.nIter, 10);
    const rng = new Generator(this.options.seed ?? 0);
    return Array.from({ length: n }, () =>
      Object.fromEntries(Object.entries(this.options.space).map(([name, d]) => [name, d.sample(rng)])),
    );
  }
}

/** One round of successive halving: the rows each candidate was trained on and the results. */
export interface HalvingRound {
  resource: number;
  results: SearchResult[];
}

/**
 * Successive halving over nIter sampled candidates (scikit-learn's HalvingRandomSearchCV with the
 * sample count as the resource): each round cross-validates the survivors on a seeded subsample,
 * keeps the best 1/factor of them and multiplies the rows by factor, up to every row.
 * @example
 * new HalvingSearch({ estimator: (p) => new HistGradientBoostingClassifier(p), space, nIter: 27, factor: 3 }).fit(x, y);
 */
export class HalvingSearch<E extends SearchableEstimator> extends RandomSearch<E> {
  /** Every round, the last on all rows. */
  rounds: HalvingRound[] = [];
  readonly factor: number;

  constructor(options: SearchOptions<E> & { factor?: number }) {
    super(options);
    this.factor = intOption("HalvingSearch", "factor", options.factor, 3, 2);
  }

  protected override evaluate(x: Matrix, y: SearchTargets): SearchResult[] {
    let survivors = this.candidates();
    // Rounds until one candidate is left: 1 + floor(log_factor(candidates)), in integers.
    let rounds = 1;
    for (let left = survivors.length; left >= this.factor; left = Math.floor(left / this.factor)) rounds++;
    // At least 2 rows per fold (and per class, for labels) in the first round, as scikit-learn.
    const classes = y instanceof Float64Array ? 1 : new Set(Array.from(y as ArrayLike<unknown>)).size;
    const minimum = 2 * (this.options.cv ?? 5) * classes;
    const order = new Generator((this.options.seed ?? 0) + 1).permutation(x.rows);
    this.rounds = [];
    for (let round = 0; round < rounds; round++) {
      const last = round === rounds - 1;
      const resource = last
        ? x.rows
        : Math.max(minimum, Math.floor(x.rows / this.factor ** (rounds - 1 - round)));
      const rows = last ? undefined : order.slice(0, resource).sort((a, b) => a - b);
      const results = this.crossValidate(x, y, survivors, rows);
      this.rounds.push({ resource, results });
      if (last) return results;
      const keep = Math.max(1, Math.ceil(survivors.length / this.factor));
      survivors = [...results]
        .sort((a, b) => b.meanScore - a.meanScore)
        .slice(0, keep)
        .map((r) => r.params);
    }
    return this.rounds[this.rounds.length - 1]!.results;
  }
}
