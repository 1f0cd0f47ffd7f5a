// report/curves: the points of the ROC, precision-recall and calibration curves from binary labels
// and scores. Conventions follow scikit-learn (roc_curve without dropping intermediate points,
// precision_recall_curve, average_precision_score, calibration_curve with uniform bins), so the
// numbers in a report can be checked against it. Layer: report.
import { ValueError } from "../core/errors.js";

export interface RocCurve {
  /** False-positive rate at each threshold, from 0 to 1. */
  fpr: number[];
  /** True-positive rate at each threshold, from 0 to 1. */
  tpr: number[];
  /** Score thresholds, highest first; the first is +Infinity (nothing predicted positive). */
  thresholds: number[];
  /** Area under the curve (trapezoid rule). */
  auc: number;
}

export interface PrCurve {
  /** Precision at each threshold, from the lowest threshold to the highest, then 1. */
  precision: number[];
  /** Recall at each threshold, from 1 down to 0. */
  recall: number[];
  /** The distinct score thresholds, lowest first. */
  thresholds: number[];
  /** Average precision: sum over thresholds of (R_n - R_{n-1}) P_n. */
  averagePrecision: number;
}

export interface CalibrationBins {
  /** Mean predicted probability in each non-empty bin. */
  meanPredicted: number[];
  /** Fraction of positives in each non-empty bin. */
  fractionPositive: number[];
  /** Number of samples in each non-empty bin. */
  count: number[];
}

/** Cumulative true and false positives at each distinct score, scanning scores from the highest. */
function cumulativeCounts(
  labels: Uint8Array,
  scores: Float64Array,
): { tp: number[]; fp: number[]; at: number[] } {
  for (const s of scores) if (Number.isNaN(s)) throw new ValueError("curves: scores must not be NaN");
  const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!);
  const tp: number[] = [];
  const fp: number[] = [];
  const at: number[] = [];
  let truePositives = 0;
  let falsePositives = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (labels[i] === 1) truePositives++;
    else falsePositives++;
    const next = order[k + 1];
    // One point per distinct score: ties move together.
    if (next === undefined || scores[next] !== scores[i]) {
      tp.push(truePositives);
      fp.push(falsePositives);
      at.push(scores[i]!);
    }
  }
  return { tp, fp, at };
}

function classTotals(owner: string, labels: Uint8Array): { positives: number; negatives: number } {
  let positives = 0;
  for (const label of labels) positives += label;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new ValueError(
      `${owner}: needs both classes in the labels (got ${positives} positive and ${negatives} negative)`,
    );
  }
  return { positives, negatives };
}

/** The ROC curve of binary labels (0/1) against scores (higher = more likely positive). */
export function rocPoints(labels: Uint8Array, scores: Float64Array): RocCurve {
  const { positives, negatives } = classTotals("rocCurve", labels);
  const { tp, fp, at } = cumulativeCounts(labels, scores);
  const fpr = [0, ...fp.map((v) => v / negatives)];
  const tpr = [0, ...tp.map((v) => v / positives)];
  let auc = 0;
  for (let i = 1; i < fpr.length; i++) auc += ((fpr[i]! - fpr[i - 1]!) * (tpr[i]! + tpr[i - 1]!)) / 2;
  return { fpr, tpr, thresholds: [Number.POSITIVE_INFINITY, ...at], auc };
}

/** The precision-recall curve of binary labels (0/1) against scores. */
export function prPoints(labels: Uint8Array, scores: Float64Array): PrCurve {
  const { positives } = classTotals("prCurve", labels);
  const { tp, fp, at } = cumulativeCounts(labels, scores);
  // Highest threshold first here; every distinct score is a point (scikit-learn >= 1.3 keeps them all).
  const precision: number[] = [];
  const recall: number[] = [];
  const thresholds: number[] = [];
  let averagePrecision = 0;
  let previousRecall = 0;
  for (let i = 0; i < tp.length; i++) {
    const p = tp[i]! / (tp[i]! + fp[i]!);
    const r = tp[i]! / positives;
    averagePrecision += (r - previousRecall) * p;
    previousRecall = r;
    precision.push(p);
    recall.push(r);
    thresholds.push(at[i]!);
  }
  return {
    precision: [...precision.reverse(), 1],
    recall: [...recall.reverse(), 0],
    thresholds: thresholds.reverse(),
    averagePrecision,
  };
}

/** Reliability-diagram bins: `bins` equal-width bins over [0, 1]; empty bins are left out. */
export function calibrationBins(labels: Uint8Array, probabilities: Float64Array, bins = 10): CalibrationBins {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new ValueError(`calibration: bins must be an integer >= 1 (got ${bins})`);
  }
  const step = 1 / bins;
  const sums = new Float64Array(bins);
  const positives = new Float64Array(bins);
  const counts = new Float64Array(bins);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (!(p >= 0 && p <= 1)) {
      throw new ValueError(`calibration: probabilities must lie in [0, 1] (got ${p} at ${i})`);
    }
    // scikit-learn's uniform bins: inner edges at k * (1 / bins), a value on an edge in the lower bin.
    let bin = 0;
    while (bin < bins - 1 && p > (bin + 1) * step) bin++;
    sums[bin]! += p;
    positives[bin]! += labels[i]!;
    counts[bin]! += 1;
  }
  const out: CalibrationBins = { meanPredicted: [], fractionPositive: [], count: [] };
  for (let b = 0; b < bins; b++) {
    const n = counts[b]!;
    if (n === 0) continue;
    out.meanPredicted.push(sums[b]! / n);
    out.fractionPositive.push(positives[b]! / n);
    out.count.push(n);
  }
  return out;
}
