// ml/search: hyper-parameter search with k-fold cross-validation (scikit-learn's GridSearchCV and
// RandomizedSearchCV): every candidate is fitted on each fold's training rows and scored on its
// held-out rows (estimator.score: accuracy or R^2, higher is better); the best candidate is refitted
// on all rows. Folds are stratified for classifiers (estimators with predictProba). Seeded.
// A search is a plan of rounds (candidates at a resource: a row subsample or a parameter such as
// epochs); each round becomes fold trials (ml/search-trials) that run inline (fit) or through a
// TrialExecutor such as io/search-workers' worker threads, skipping trials a TrialStore holds
// (fitAsync), so a search can run in parallel and resume. Successive halving and Hyperband, which
// plan several rounds, live in ml/search-halving.
import { ValueError } from "../core/errors.js";
import { Generator as RandomGenerator } from "../core/random.js";
import { kFold, stratifiedKFold } from "../data/split/kfold.js";
import type { Labels } from "../data/split/labels.js";
import { type Matrix, type MatrixInput, toMatrix } from "./matrix.js";
import { intOption } from "./params.js";
import { gridOf, type ParamValue, type SearchSpace } from "./search-space.js";
import {
  inlineExecutor,
  matrixTrialData,
  pickTargets,
  type SearchTargets,
  type TrialData,
  type TrialExecutor,
  type TrialOutcome,
  type TrialSpec,
  type TrialStore,
  trialKey,
} from "./search-trials.js";

export type { SearchTargets } from "./search-trials.js";

/** What a search can tune: anything with fit and a higher-is-better score. */
export interface SearchableEstimator {
  fit(x: Matrix, y: Labels): unknown;
  score(x: Matrix, y: Labels): number;
  predictProba?: unknown;
}

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

/** Candidates to cross-validate on some rows (all rows when `rows` is null). */
export interface SearchRound {
  candidates: Record<string, ParamValue>[];
  /** Sorted row indices of the subsample, or null for every row. */
  rows: readonly number[] | null;
}

/** A search's plan: yields rounds, receives each round's results, returns the results to rank. */
export type SearchPlan = Generator<SearchRound, SearchResult[], SearchResult[]>;

/** How fitAsync runs: where trials run and where finished ones are kept. */
export interface RunOptions {
  /** Runs the trials (default: inline, on this thread). */
  executor?: TrialExecutor;
  /** Finished trials: those it holds are not run again, new ones are put as they finish. */
  store?: TrialStore;
}

/** Shared by every search: turns a plan's rounds into fold trials and ranks the results. */
abstract class Search<E extends SearchableEstimator> {
  readonly options: SearchOptions<E>;
  results: SearchResult[] = [];
  bestEstimator: E | null = null;
  /** Trials run by the last fit (not counting those a store already held). */
  trialsRun = 0;

  constructor(options: SearchOptions<E>) {
    if (typeof options.estimator !== "function")
      throw new ValueError(
        `${this.constructor.name}: estimator must be a function from parameters to an estimator`,
      );
    intOption(this.constructor.name, "cv", options.cv, 5, 2);
    this.options = options;
  }

  /** The rounds to run; one round of every candidate on all rows by default. */
  protected *plan(_rows: number, _y: SearchTargets): SearchPlan {
    return yield { candidates: this.candidates(), rows: null };
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

  /** The fold trials of a round: each candidate on each fold of the round's rows. */
  private trialsOf(round: SearchRound, y: SearchTargets, nRows: number): TrialSpec[] {
    const subset = round.rows ?? Array.from({ length: nRows }, (_, i) => i);
    const ys = pickTargets(y, subset);
    const nSplits = this.options.cv ?? 5;
    const probe = this.options.estimator(round.candidates[0] ?? {});
    const split = { nSplits, shuffle: this.options.shuffle ?? false, seed: this.options.seed ?? 0 };
    const folds =
      typeof probe.predictProba === "function" ? stratifiedKFold(ys, split) : kFold(subset.length, split);
    const resource = round.rows === null ? "all" : `rows=${round.rows.length}`;
    return round.candidates.flatMap((params) =>
      folds.map(([train, test], fold) => ({
        key: trialKey(params, resource, fold),
        params,
        fold,
        train: train.map((i) => subset[i]!),
        test: test.map((i) => subset[i]!),
      })),
    );
  }

  /** Folds' outcomes grouped back into one result per candidate. */
  private collect(round: SearchRound, outcomes: TrialOutcome[]): SearchResult[] {
    const nSplits = outcomes.length / Math.max(1, round.candidates.length);
    return round.candidates.map((params, c) => {
      const mine = outcomes.slice(c * nSplits, (c + 1) * nSplits);
      const foldScores = mine.map((o) => o.score);
      const mean = foldScores.reduce((a, b) => a + b, 0) / foldScores.length;
      const std = Math.sqrt(foldScores.reduce((a, b) => a + (b - mean) ** 2, 0) / foldScores.length);
      const seconds = mine.reduce((a, o) => a + o.fitSeconds, 0);
      return {
        params,
        foldScores,
        meanScore: mean,
        stdScore: std,
        meanFitSeconds: seconds / mine.length,
        rank: 0,
      };
    });
  }

  private checkInput(x: Matrix | TrialData, y: SearchTargets): number {
    const rows = x.rows;
    if (y.length !== rows)
      throw new ValueError(`${this.constructor.name}.fit: y has ${y.length} values but X has ${rows} rows`);
    return rows;
  }

  /** Cross-validates the plan's candidates on (x, y) on this thread and refits the best. */
  fit(xInput: MatrixInput, y: SearchTargets): this {
    const x = toMatrix(`${this.constructor.name}.fit`, xInput);
    const nRows = this.checkInput(x, y);
    const executor = inlineExecutor(this.options.estimator, matrixTrialData(x), y);
    this.trialsRun = 0;
    const plan = this.plan(nRows, y);
    let step = plan.next();
    while (!step.done) {
      const trials = this.trialsOf(step.value, y, nRows);
      this.trialsRun += trials.length;
      step = plan.next(this.collect(step.value, executor.runSync(trials)));
    }
    this.finish(step.value, () => x, y, nRows);
    return this;
  }

  /**
   * fit, with the trials run by `options.executor` (worker threads, say) and finished trials kept
   * in `options.store`. `data` is a feature matrix or TrialData (preprocessing fitted per fold).
   */
  async fitAsync(data: MatrixInput | TrialData, y: SearchTargets, options: RunOptions = {}): Promise<this> {
    const source = isTrialData(data) ? data : matrixTrialData(toMatrix(`${this.constructor.name}.fit`, data));
    const nRows = this.checkInput(source, y);
    const executor = options.executor ?? inlineExecutor(this.options.estimator, source, y);
    const store = options.store;
    this.trialsRun = 0;
    const plan = this.plan(nRows, y);
    let step = plan.next();
    while (!step.done) {
      const trials = this.trialsOf(step.value, y, nRows);
      const outcomes: (TrialOutcome | undefined)[] = trials.map((t) => store?.get(t.key));
      const todo = trials.filter((_, i) => outcomes[i] === undefined);
      const pending: Promise<void>[] = [];
      const done = await executor.run(todo, (trial, outcome) => {
        if (store) pending.push(store.put(trial.key, outcome));
      });
      await Promise.all(pending);
      this.trialsRun += todo.length;
      let next = 0;
      const filled = outcomes.map((o) => o ?? done[next++]!);
      step = plan.next(this.collect(step.value, filled));
    }
    const all = Array.from({ length: nRows }, (_, i) => i);
    this.finish(step.value, () => source.split(all, all).xTrain, y, nRows);
    return this;
  }

  /** Ranks the results like scikit-learn (ties share the lower rank) and refits the best. */
  private finish(scored: SearchResult[], features: () => Matrix, y: SearchTargets, nRows: number): void {
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
        features(),
        pickTargets(
          y,
          Array.from({ length: nRows }, (_, i) => i),
        ),
      );
      this.bestEstimator = best;
    }
  }

  /** The results as a text table, best first. */
  table(): string {
    // The space's parameters, then any a plan set itself (Hyperband's epochs resource).
    const names = [
      ...new Set([...Object.keys(this.options.space), ...this.results.flatMap((r) => Object.keys(r.params))]),
    ];
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
    return this.sample(new RandomGenerator(this.options.seed ?? 0), n);
  }

  /** n candidates drawn from the space, each parameter in the space's order. */
  protected sample(rng: RandomGenerator, n: number): Record<string, ParamValue>[] {
    return Array.from({ length: n }, () =>
      Object.fromEntries(Object.entries(this.options.space).map(([name, d]) => [name, d.sample(rng)])),
    );
  }
}

function isTrialData(value: MatrixInput | TrialData): value is TrialData {
  return typeof (value as Partial<TrialData>).split === "function";
}
