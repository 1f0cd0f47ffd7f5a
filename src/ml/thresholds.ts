// ml/thresholds: choosing the decision threshold of a binary scorer on imbalanced data, where 0.5
// is rarely right. The confusion counts at every distinct score (predict positive when score >=
// threshold) give the precision-recall curve, the best precision at a required recall, and the
// threshold of least expected cost when a false positive and a false negative cost differently.
// Layer: ml.
import { ValueError } from "../core/errors.js";
import { checkBinary } from "./calibration.js";

/** Confusion counts when predicting positive for score >= threshold. */
export interface ThresholdPoint {
  threshold: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number;
  recall: number;
}

/**
 * Counts at every distinct score, highest threshold first, after a first point at +Infinity
 * (nothing predicted positive; its precision is 1 by convention, as scikit-learn's curve end).
 */
export function thresholdPoints(
  labels: ArrayLike<number | boolean>,
  scores: ArrayLike<number>,
): ThresholdPoint[] {
  const y = checkBinary("thresholdPoints", labels, scores, false);
  const positives = y.reduce((s, v) => s + v, 0);
  const negatives = y.length - positives;
  const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const point = (threshold: number, tp: number, fp: number): ThresholdPoint => ({
    threshold,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: positives - tp,
    trueNegatives: negatives - fp,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: positives === 0 ? 0 : tp / positives,
  });
  const points = [point(Number.POSITIVE_INFINITY, 0, 0)];
  let tp = 0;
  let fp = 0;
  order.forEach((i, rank) => {
    if (y[i] === 1) tp++;
    else fp++;
    const next = order[rank + 1];
    // one point per distinct score, after all samples with that score are counted
    if (next === undefined || scores[next]! !== scores[i]!) points.push(point(scores[i]!, tp, fp));
  });
  return points;
}

/**
 * The highest precision among thresholds whose recall reaches `minRecall` (tf.keras
 * PrecisionAtRecall), with that threshold; ties go to the higher threshold.
 * @example
 * precisionAtRecall(labels, scores, 0.9); // { precision, recall, threshold, ... }
 */
export function precisionAtRecall(
  labels: ArrayLike<number | boolean>,
  scores: ArrayLike<number>,
  minRecall: number,
): ThresholdPoint {
  if (!(minRecall > 0 && minRecall <= 1))
    throw new ValueError(`precisionAtRecall: minRecall must be in (0, 1] (got ${minRecall})`);
  const points = thresholdPoints(labels, scores);
  let best: ThresholdPoint | null = null;
  for (const p of points)
    if (p.recall >= minRecall && (best === null || p.precision > best.precision)) best = p;
  if (best === null)
    throw new ValueError("precisionAtRecall: there are no positive labels, recall is undefined");
  return best;
}

export interface ThresholdCosts {
  /** Cost of predicting positive for a negative (a false alarm). */
  falsePositive: number;
  /** Cost of predicting negative for a positive (a miss). */
  falseNegative: number;
}

/** A threshold and its total cost on the data it was chosen on. */
export interface CostThreshold extends ThresholdPoint {
  /** falsePositive * FP + falseNegative * FN. */
  cost: number;
  /** cost divided by the number of samples. */
  costPerSample: number;
}

/**
 * The threshold of least total cost (FP and FN weighted by their costs) among every distinct score
 * and +Infinity (predict no positive); ties go to the higher threshold. For calibrated
 * probabilities the Bayes-optimal threshold is falsePositive / (falsePositive + falseNegative).
 * @example
 * costSensitiveThreshold(labels, probabilities, { falsePositive: 1, falseNegative: 20 });
 */
export function costSensitiveThreshold(
  labels: ArrayLike<number | boolean>,
  scores: ArrayLike<number>,
  costs: ThresholdCosts,
): CostThreshold {
  for (const key of ["falsePositive", "falseNegative"] as const)
    if (!(costs[key] >= 0) || !Number.isFinite(costs[key]))
      throw new ValueError(
        `costSensitiveThreshold: ${key} cost must be a finite number >= 0 (got ${costs[key]})`,
      );
  let best: CostThreshold | null = null;
  for (const p of thresholdPoints(labels, scores)) {
    const cost = costs.falsePositive * p.falsePositives + costs.falseNegative * p.falseNegatives;
    if (best === null || cost < best.cost) best = { ...p, cost, costPerSample: cost / labels.length };
  }
  return best!;
}
