// ml/calibration: how well predicted probabilities match observed frequencies. brierScore is the
// mean squared difference between probability and outcome (scikit-learn brier_score_loss);
// reliabilityCurve bins the probabilities (uniform widths or quantiles) and reports, per non-empty
// bin, the observed fraction of positives against the mean prediction (calibration_curve), plus
// the expected calibration error, their count-weighted mean gap. Layer: ml.
import { ShapeError, ValueError } from "../core/errors.js";

/** Checks 0/1 labels and probabilities of equal length (labels may be booleans). */
export function checkBinary(
  op: string,
  labels: ArrayLike<number | boolean>,
  scores: ArrayLike<number>,
  probabilities = true,
): Float64Array {
  if (labels.length !== scores.length)
    throw new ShapeError(`${op}: ${labels.length} labels but ${scores.length} scores`);
  if (labels.length === 0) throw new ValueError(`${op}: expected at least one sample`);
  const y = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = Number(labels[i]);
    if (v !== 0 && v !== 1) throw new ValueError(`${op}: labels must be 0 or 1 (got ${labels[i]} at ${i})`);
    y[i] = v;
    const s = scores[i]!;
    if (!Number.isFinite(s) || (probabilities && (s < 0 || s > 1)))
      throw new ValueError(
        `${op}: ${probabilities ? "probabilities must be in [0, 1]" : "scores must be finite"} (got ${s} at ${i})`,
      );
  }
  return y;
}

/**
 * Mean of (p - y)^2: 0 is perfect, 0.25 is a constant 0.5.
 * @example
 * brierScore([0, 1, 1], [0.1, 0.9, 0.8]); // 0.02
 */
export function brierScore(labels: ArrayLike<number | boolean>, probabilities: ArrayLike<number>): number {
  const y = checkBinary("brierScore", labels, probabilities);
  let total = 0;
  for (let i = 0; i < y.length; i++) total += (probabilities[i]! - y[i]!) ** 2;
  return total / y.length;
}

export interface ReliabilityOptions {
  /** Number of bins (default 5, as scikit-learn). */
  bins?: number;
  /** "uniform" bins of equal width on [0, 1] (default) or "quantile" bins of equal counts. */
  strategy?: "uniform" | "quantile";
}

export interface ReliabilityCurve {
  /** Per non-empty bin: the fraction of positive labels. */
  fractionOfPositives: number[];
  /** Per non-empty bin: the mean predicted probability. */
  meanPredicted: number[];
  /** Per non-empty bin: how many samples fell in it. */
  counts: number[];
  /** Bin edges (bins + 1 values). */
  edges: number[];
  /** Expected calibration error: sum over bins of count / n * |fraction - mean prediction|. */
  expectedCalibrationError: number;
}

/** NumPy's percentile with linear interpolation, of sorted values. */
function percentile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (position - lo);
}

/**
 * The reliability diagram's points (scikit-learn calibration_curve): bin i holds the
 * probabilities above edge i and at most edge i + 1 (the first bin also holds edge 0).
 * @example
 * const { fractionOfPositives, meanPredicted } = reliabilityCurve(labels, probs, { bins: 10 });
 */
export function reliabilityCurve(
  labels: ArrayLike<number | boolean>,
  probabilities: ArrayLike<number>,
  options: ReliabilityOptions = {},
): ReliabilityCurve {
  const op = "reliabilityCurve";
  const y = checkBinary(op, labels, probabilities);
  const bins = options.bins ?? 5;
  if (!Number.isInteger(bins) || bins < 1)
    throw new ValueError(`${op}: bins must be a positive integer (got ${bins})`);
  const strategy = options.strategy ?? "uniform";
  if (strategy !== "uniform" && strategy !== "quantile")
    throw new ValueError(`${op}: strategy must be "uniform" or "quantile" (got ${String(strategy)})`);
  const sorted = Float64Array.from(probabilities).sort();
  const edges = Array.from({ length: bins + 1 }, (_, i) =>
    strategy === "uniform" ? i / bins : percentile(sorted, i / bins),
  );
  const sums = new Float64Array(bins);
  const positives = new Float64Array(bins);
  const totals = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    const p = probabilities[i]!;
    // as numpy.searchsorted(inner edges, p, side="left"): the count of inner edges below p
    let bin = 0;
    while (bin < bins - 1 && edges[bin + 1]! < p) bin++;
    sums[bin]! += p;
    positives[bin]! += y[i]!;
    totals[bin]! += 1;
  }
  const curve: ReliabilityCurve = {
    fractionOfPositives: [],
    meanPredicted: [],
    counts: [],
    edges,
    expectedCalibrationError: 0,
  };
  for (let b = 0; b < bins; b++) {
    if (totals[b] === 0) continue;
    const fraction = positives[b]! / totals[b]!;
    const mean = sums[b]! / totals[b]!;
    curve.fractionOfPositives.push(fraction);
    curve.meanPredicted.push(mean);
    curve.counts.push(totals[b]!);
    curve.expectedCalibrationError += (totals[b]! / y.length) * Math.abs(fraction - mean);
  }
  return curve;
}
