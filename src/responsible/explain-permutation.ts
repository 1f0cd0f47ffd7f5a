// responsible/explain-permutation: permutation feature importance (Breiman 2001; scikit-learn's
// permutation_importance): how much a score drops when one feature's column is shuffled, breaking
// its link to the target. Model-agnostic: only predictions are needed.
// Shapes: x is [N, D], y is [N] or [N, K]; the model gives [N] or [N, K].
import { noGrad } from "../autograd/mode.js";
import { ShapeError, ValueError } from "../core/errors.js";
import { Generator } from "../core/random.js";
import { Tensor } from "../tensor/tensor.js";
import type { Metric } from "../train/metrics/metric.js";
import { getMetric, LossMetric } from "../train/metrics/registry.js";
import { checkCount, checkMatrix, type Explainable, forwardOf } from "./explain-model.js";

/** A score of predictions against targets. */
export type ScoreFunction = (yTrue: Tensor, yPred: Tensor) => number;

/** Options of permutationImportance(). */
export interface PermutationImportanceOptions {
  /**
   * A metric name ("accuracy", "mse", "r2", any loss name...), a Metric, or a function
   * (yTrue, yPred) => number. Default: "accuracy" for a model with several outputs, "r2" otherwise.
   */
  scoring?: string | Metric | ScoreFunction;
  /**
   * Whether a larger score is better. Default: false for errors and losses ("mse", "mae",
   * "mape", "rmse", "*_error", any loss), true otherwise; lower-is-better scores are negated,
   * as scikit-learn's "neg_*" scorers, so an important feature always has a positive importance.
   */
  greaterIsBetter?: boolean;
  /** Shuffles per feature; default 5 (scikit-learn's n_repeats). */
  nRepeats?: number;
  /** Seed of the shuffles; default 0. */
  seed?: number;
}

/** Importances per feature: the baseline score minus the score with that feature shuffled. */
export interface PermutationImportance {
  /** The score on unshuffled data (negated when lower is better). */
  baselineScore: number;
  /** [D]: mean drop over the repeats. */
  importancesMean: Float64Array;
  /** [D]: population standard deviation of the drop over the repeats (numpy's std). */
  importancesStd: Float64Array;
  /** [D][nRepeats]: every drop. */
  importances: Float64Array[];
}

const LOWER_IS_BETTER = /error|loss|crossentropy|^(mae|mse|mape|rmse|msle|hinge|huber|logcosh|poisson)$/i;

/** The scorer as a function returning "larger is better" values. */
function scorer(options: PermutationImportanceOptions, outputs: number): ScoreFunction {
  const spec = options.scoring ?? (outputs > 1 ? "accuracy" : "r2");
  if (typeof spec === "function") {
    const sign = options.greaterIsBetter === false ? -1 : 1;
    return (yTrue, yPred) => sign * spec(yTrue, yPred);
  }
  const metric = getMetric(spec);
  const lower = metric instanceof LossMetric || LOWER_IS_BETTER.test(metric.name.replaceAll("_", ""));
  const sign = (options.greaterIsBetter ?? !lower) ? 1 : -1;
  return (yTrue, yPred) => {
    metric.reset();
    metric.update(yTrue, yPred);
    return sign * metric.result();
  };
}

/**
 * Permutation importance of each feature column of `x` for `model` on (x, y), scored by any
 * metric; each feature is shuffled `nRepeats` times with a seeded generator.
 * @example
 * const { importancesMean } = explain.permutationImportance(model, x, y, { scoring: "accuracy", nRepeats: 10 });
 */
export function permutationImportance(
  model: Explainable,
  x: Tensor,
  y: Tensor,
  options: PermutationImportanceOptions = {},
): PermutationImportance {
  const op = "permutationImportance";
  const [n, d] = checkMatrix(op, "x", x);
  if (!(y instanceof Tensor) || y.shape[0] !== n)
    throw new ShapeError(`${op}: y must be a Tensor with one row per row of x (${n})`);
  const repeats = checkCount(op, "nRepeats", options.nRepeats ?? 5);
  const forward = forwardOf(model);
  const predict = (input: Tensor) => noGrad(() => forward(input));
  const base = predict(x);
  const score = scorer(options, base.rank === 2 ? base.shape[1]! : 1);
  const baselineScore = score(y, base);
  if (!Number.isFinite(baselineScore)) throw new ValueError(`${op}: the baseline score is ${baselineScore}`);
  const random = new Generator(options.seed ?? 0);
  const importances: Float64Array[] = [];
  const shuffled = x.data.slice();
  for (let j = 0; j < d; j++) {
    const drops = new Float64Array(repeats);
    for (let r = 0; r < repeats; r++) {
      const order = random.permutation(n);
      for (let i = 0; i < n; i++) shuffled[i * d + j] = x.data[order[i]! * d + j]!;
      drops[r] = baselineScore - score(y, predict(new Tensor(shuffled, [n, d])));
    }
    for (let i = 0; i < n; i++) shuffled[i * d + j] = x.data[i * d + j]!;
    importances.push(drops);
  }
  const importancesMean = Float64Array.from(
    importances,
    (drops) => drops.reduce((a, b) => a + b, 0) / repeats,
  );
  const importancesStd = Float64Array.from(importances, (drops, j) => {
    const m = importancesMean[j]!;
    return Math.sqrt(drops.reduce((a, b) => a + (b - m) ** 2, 0) / repeats);
  });
  return { baselineScore, importancesMean, importancesStd, importances };
}
