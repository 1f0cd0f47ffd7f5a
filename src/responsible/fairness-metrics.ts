// responsible/fairness-metrics: the per-sample metric functions the fairness tables compute by group
// (Fairlearn's fairlearn.metrics semantics: selection rate, true/false positive and negative rates,
// plus accuracy, precision, recall, count, MAE), the binary-label checks they need, and the lookup of
// a metric by name. Layer: responsible.
import { ValueError } from "../core/errors.js";

/** A metric over one group's rows: labels and predictions of the same length. */
export type MetricFunction = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => number;

/**
 * Checks that every value is 0 or 1 (the positive label is 1, as Fairlearn's pos_label default).
 * @throws ValueError naming the op, the argument and the first offending value.
 */
export function assertBinary(op: string, what: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== 0 && v !== 1)
      throw new ValueError(
        `${op}: ${what} must be binary labels 0/1 (1 = the positive label) (got ${v} at row ${i})`,
      );
  }
}

/** Confusion counts of binary labels: true/false positives and negatives. */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export function confusion(op: string, yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Confusion {
  assertBinary(op, "yTrue", yTrue);
  assertBinary(op, "yPred", yPred);
  const counts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < yTrue.length; i++) {
    if (yPred[i] === 1) yTrue[i] === 1 ? counts.tp++ : counts.fp++;
    else yTrue[i] === 1 ? counts.fn++ : counts.tn++;
  }
  return counts;
}

/** a / b, NaN when b is 0 (an undefined rate, as 0/0 in Fairlearn's pandas results). */
function rate(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}

/** Fraction of rows predicted positive: P(yPred = 1) (fairlearn.metrics.selection_rate). */
export const selectionRate: MetricFunction = (_yTrue, yPred) => {
  assertBinary("selectionRate", "yPred", yPred);
  let selected = 0;
  for (let i = 0; i < yPred.length; i++) selected += yPred[i]!;
  return rate(selected, yPred.length);
};

/** A rate a / b of the confusion counts of binary labels. */
function confusionRate(name: string, ratio: (c: Confusion) => [number, number]): MetricFunction {
  return (yTrue, yPred) => {
    const [a, b] = ratio(confusion(name, yTrue, yPred));
    return rate(a, b);
  };
}

/** TP / (TP + FN), the recall (fairlearn.metrics.true_positive_rate). */
export const truePositiveRate = confusionRate("truePositiveRate", (c) => [c.tp, c.tp + c.fn]);
/** FP / (FP + TN) (fairlearn.metrics.false_positive_rate). */
export const falsePositiveRate = confusionRate("falsePositiveRate", (c) => [c.fp, c.fp + c.tn]);
/** TN / (TN + FP) (fairlearn.metrics.true_negative_rate). */
export const trueNegativeRate = confusionRate("trueNegativeRate", (c) => [c.tn, c.tn + c.fp]);
/** FN / (FN + TP) (fairlearn.metrics.false_negative_rate). */
export const falseNegativeRate = confusionRate("falseNegativeRate", (c) => [c.fn, c.fn + c.tp]);
/** TP / (TP + FP). */
export const precision = confusionRate("precision", (c) => [c.tp, c.tp + c.fp]);

/** Fraction of rows where the prediction equals the label (any labels, not only binary). */
export const accuracy: MetricFunction = (yTrue, yPred) => {
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return rate(correct, yTrue.length);
};

/** Mean absolute error, for regression models. */
export const meanAbsoluteError: MetricFunction = (yTrue, yPred) => {
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) total += Math.abs(yPred[i]! - yTrue[i]!);
  return rate(total, yTrue.length);
};

/** Number of rows in the group (fairlearn.metrics.count). */
export const count: MetricFunction = (yTrue) => yTrue.length;

/** The metrics known by name (Fairlearn's snake_case names). */
export const FAIRNESS_METRICS = {
  count,
  accuracy,
  selection_rate: selectionRate,
  true_positive_rate: truePositiveRate,
  false_positive_rate: falsePositiveRate,
  true_negative_rate: trueNegativeRate,
  false_negative_rate: falseNegativeRate,
  precision,
  recall: truePositiveRate,
  mean_absolute_error: meanAbsoluteError,
} satisfies Record<string, MetricFunction>;

export type FairnessMetricName = keyof typeof FAIRNESS_METRICS;

/** The metric function of a name, or a ValueError listing the known names. */
export function metricByName(name: string): MetricFunction {
  if (!Object.hasOwn(FAIRNESS_METRICS, name))
    throw new ValueError(
      `fairness: unknown metric "${name}" (expected one of ${Object.keys(FAIRNESS_METRICS).join(", ")})`,
    );
  return FAIRNESS_METRICS[name as FairnessMetricName];
}
