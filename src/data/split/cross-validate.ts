// data/split/cross-validate: k-fold cross-validation of any model with fit/evaluate. A fresh model
// is built for every fold, trained on the fold's training rows and scored on its held-out rows.
// Written against a structural interface so data/ needs nothing from models/ or train/.
import { ValueError } from "../../core/errors.js";
import { Tensor } from "../../tensor/tensor.js";
import { type Indexable, numRows, type RandomSource, takeRows } from "./indexable.js";
import { type FoldIndices, kFold, stratifiedKFold } from "./kfold.js";
import type { Labels } from "./labels.js";

/** What evaluate may report: a record of metrics, a list (named by `metricsNames`), or one loss. */
export type EvaluateResult = Record<string, number> | readonly number[] | number;

/**
 * What crossValidate needs from a model: Keras-style fit and evaluate. A compiled Tessera model
 * fits; so does any object with these two methods.
 */
export interface CrossValidatable<X, Y> {
  fit(x: X, y: Y, options?: Record<string, unknown>): Promise<unknown>;
  evaluate(x: X, y: Y, options?: Record<string, unknown>): Promise<EvaluateResult> | EvaluateResult;
  /** Names for a list returned by evaluate (Keras' model.metrics_names). */
  readonly metricsNames?: readonly string[];
}

export interface CrossValidateOptions extends RandomSource {
  /** Number of folds (default 5), or ready-made folds such as groupKFold(...) or timeSeriesSplit(...). */
  folds?: number | Iterable<FoldIndices>;
  /** Stratify the folds on y (classification); y must then hold one class label per row. */
  stratified?: boolean;
  /** Shuffle before cutting folds (default false, as scikit-learn). */
  shuffle?: boolean;
  /** Passed to every fit call (epochs, batchSize, ...), after a default of `verbose: 0`. */
  fitOptions?: Record<string, unknown>;
  /** Passed to every evaluate call, after defaults `verbose: 0, returnDict: true`. */
  evaluateOptions?: Record<string, unknown>;
  /** Keep only these metrics from evaluate() (default: all it reports). */
  metrics?: readonly string[];
}

export interface FoldResult {
  fold: number;
  trainSize: number;
  testSize: number;
  metrics: Record<string, number>;
}

export interface CrossValidationResult {
  folds: FoldResult[];
  /** Mean of each metric over the folds. */
  mean: Record<string, number>;
  /** Population standard deviation (ddof = 0, as numpy.std) of each metric over the folds. */
  std: Record<string, number>;
  /** One line per metric: `name: mean ± std`. */
  summary(): string;
}

/**
 * Cross-validates a model: `buildModel(fold)` must return a fresh, untrained (and compiled) model.
 * @example
 * const cv = await crossValidate(() => makeModel(), x, y, { folds: 5, fitOptions: { epochs: 20 } });
 * console.log(cv.summary()); // loss: 0.312 ± 0.021 ...
 */
export async function crossValidate<X extends Indexable, Y extends Indexable>(
  buildModel: (
    fold: number,
  ) => CrossValidatable<NoInfer<X>, NoInfer<Y>> | Promise<CrossValidatable<NoInfer<X>, NoInfer<Y>>>,
  x: X,
  y: Y,
  options: CrossValidateOptions = {},
): Promise<CrossValidationResult> {
  const op = "crossValidate";
  const n = numRows(op, x);
  if (numRows(op, y) !== n) {
    throw new ValueError(`${op}: x has ${n} rows but y has ${numRows(op, y)}`);
  }
  const folds = resolveFolds(op, n, y, options);
  const results: FoldResult[] = [];
  for (const [fold, [train, test]] of folds.entries()) {
    const model = await buildModel(fold);
    await model.fit(takeRows(op, x, train), takeRows(op, y, train), { verbose: 0, ...options.fitOptions });
    const scores = await model.evaluate(takeRows(op, x, test), takeRows(op, y, test), {
      verbose: 0,
      returnDict: true,
      ...options.evaluateOptions,
    });
    const named = nameScores(op, scores, model.metricsNames);
    results.push({
      fold,
      trainSize: train.length,
      testSize: test.length,
      metrics: pickMetrics(op, named, options),
    });
  }
  const names = Object.keys(results[0]?.metrics ?? {});
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  for (const name of names) {
    const values = results.map((r) => {
      const v = r.metrics[name];
      if (v === undefined) throw new ValueError(`${op}: fold ${r.fold} did not report metric "${name}"`);
      return v;
    });
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    mean[name] = m;
    std[name] = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
  }
  return {
    folds: results,
    mean,
    std,
    summary: () => names.map((name) => `${name}: ${fmt(mean[name]!)} ± ${fmt(std[name]!)}`).join("\n"),
  };
}

function resolveFolds(op: string, n: number, y: Indexable, options: CrossValidateOptions): FoldIndices[] {
  const folds = options.folds ?? 5;
  if (typeof folds !== "number") {
    const list = [...folds];
    if (list.length === 0) throw new ValueError(`${op}: expected at least one fold`);
    return list;
  }
  const kOptions = {
    nSplits: folds,
    shuffle: options.shuffle ?? false,
    seed: options.seed,
    generator: options.generator,
  };
  if (!options.stratified) return kFold(n, kOptions);
  if (!(y instanceof Tensor) && !Array.isArray(y) && !ArrayBuffer.isView(y)) {
    throw new ValueError(`${op}: stratified needs y as a Tensor, an array or a typed array of labels`);
  }
  return stratifiedKFold(y as Labels, kOptions);
}

function nameScores(op: string, scores: unknown, names: readonly string[] | undefined): unknown {
  if (typeof scores === "number") return { [names?.[0] ?? "loss"]: scores };
  if (!Array.isArray(scores)) return scores;
  if (names !== undefined && names.length !== scores.length) {
    throw new ValueError(
      `${op}: evaluate() returned ${scores.length} values for ${names.length} metricsNames`,
    );
  }
  return Object.fromEntries(scores.map((v, i) => [names?.[i] ?? (i === 0 ? "loss" : `metric_${i}`), v]));
}

function pickMetrics(op: string, scores: unknown, options: CrossValidateOptions): Record<string, number> {
  if (typeof scores !== "object" || scores === null) {
    throw new ValueError(`${op}: evaluate() must return a record of metric values (got ${typeof scores})`);
  }
  const record = scores as Record<string, unknown>;
  const names = options.metrics ?? Object.keys(record);
  const out: Record<string, number> = {};
  for (const name of names) {
    const v = record[name];
    if (typeof v !== "number") {
      throw new ValueError(
        `${op}: evaluate() did not report a number for metric "${name}" (got ${typeof v})`,
      );
    }
    out[name] = v;
  }
  return out;
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4);
}
