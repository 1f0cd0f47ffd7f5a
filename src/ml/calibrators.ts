// ml/calibrators: maps from a classifier's scores to calibrated probabilities, fitted on held-out
// (score, label) pairs, with JSON state. PlattCalibrator fits p = sigmoid(slope * s + intercept)
// by Newton's method on Platt's smoothed targets ((n+ + 1) / (n+ + 2) and 1 / (n- + 2)), the
// objective scikit-learn's sigmoid calibration minimises; IsotonicCalibrator fits the
// non-decreasing step function closest in squared error (pool adjacent violators over the scores
// sorted, equal scores merged first) and interpolates linearly between its points, clipping
// outside them (scikit-learn IsotonicRegression(out_of_bounds="clip")). Layer: ml.
import { FormatError, ValueError } from "../core/errors.js";
import { checkBinary } from "./calibration.js";
import {
  checkState,
  type EstimatorState,
  makeState,
  stateNumber,
  stateNumbers,
  toNumbers,
} from "./estimator.js";

function notFitted(kind: string): never {
  throw new ValueError(`${kind}: not fitted yet; call fit(scores, labels) first`);
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Platt scaling: a logistic curve over the scores.
 * @example
 * const platt = new PlattCalibrator().fit(validationScores, validationLabels);
 * platt.predict(testScores); // probabilities
 */
export class PlattCalibrator {
  slope: number | null = null;
  intercept: number | null = null;

  fit(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): this {
    const y = checkBinary("PlattCalibrator.fit", labels, scores, false);
    const positives = y.reduce((s, v) => s + v, 0);
    const negatives = y.length - positives;
    const hi = (positives + 1) / (positives + 2);
    const lo = 1 / (negatives + 2);
    const target = y.map((v) => (v === 1 ? hi : lo));
    // loss(w) = -sum t log p + (1 - t) log(1 - p), p = sigmoid(w1 s + w0); convex, so Newton converges
    const loss = (w0: number, w1: number) => {
      let total = 0;
      for (let i = 0; i < y.length; i++) {
        const z = w1 * scores[i]! + w0;
        // log(1 + e^z) - t z, computed without overflow
        total += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - target[i]! * z;
      }
      return total;
    };
    let w0 = Math.log((positives + 1) / (negatives + 1));
    let w1 = 0;
    let current = loss(w0, w1);
    for (let iteration = 0; iteration < 100; iteration++) {
      let g0 = 0;
      let g1 = 0;
      let h00 = 0;
      let h01 = 0;
      let h11 = 0;
      for (let i = 0; i < y.length; i++) {
        const s = scores[i]!;
        const p = sigmoid(w1 * s + w0);
        const d = p - target[i]!;
        const c = Math.max(p * (1 - p), 1e-12);
        g0 += d;
        g1 += d * s;
        h00 += c;
        h01 += c * s;
        h11 += c * s * s;
      }
      if (Math.abs(g0) + Math.abs(g1) < 1e-10 * y.length) break;
      const det = h00 * h11 - h01 * h01 + 1e-12;
      const step0 = (h11 * g0 - h01 * g1) / det;
      const step1 = (h00 * g1 - h01 * g0) / det;
      // backtracking: halve the Newton step until the loss does not increase
      let t = 1;
      let next = loss(w0 - t * step0, w1 - t * step1);
      while (next > current && t > 1e-10) {
        t /= 2;
        next = loss(w0 - t * step0, w1 - t * step1);
      }
      w0 -= t * step0;
      w1 -= t * step1;
      const improved = current - next;
      current = next;
      if (improved <= 1e-15 * Math.max(1, Math.abs(current))) break;
    }
    this.intercept = w0;
    this.slope = w1;
    return this;
  }

  predict(scores: ArrayLike<number>): Float64Array {
    if (this.slope === null || this.intercept === null) notFitted("PlattCalibrator");
    const slope = this.slope;
    const intercept = this.intercept;
    return Float64Array.from(scores, (s) => sigmoid(slope * s + intercept));
  }

  toJSON(): EstimatorState {
    const fitted = this.slope === null ? null : { slope: this.slope, intercept: this.intercept! };
    return makeState("PlattCalibrator", {}, fitted);
  }

  static fromJSON(state: EstimatorState): PlattCalibrator {
    const fitted = checkState("PlattCalibrator", state);
    const out = new PlattCalibrator();
    if (fitted !== null) {
      out.slope = stateNumber("PlattCalibrator", fitted, "slope");
      out.intercept = stateNumber("PlattCalibrator", fitted, "intercept");
    }
    return out;
  }
}

/**
 * Isotonic calibration: a non-decreasing map from scores to probabilities.
 * @example
 * const iso = new IsotonicCalibrator().fit(validationScores, validationLabels);
 * iso.predict(testScores);
 */
export class IsotonicCalibrator {
  /** Scores of the fitted points, increasing. */
  thresholds: Float64Array | null = null;
  /** Fitted probabilities at those scores, non-decreasing. */
  values: Float64Array | null = null;

  fit(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): this {
    const y = checkBinary("IsotonicCalibrator.fit", labels, scores, false);
    const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
    // equal scores first become one point (their mean label, their count as weight), as
    // scikit-learn merges duplicate x; then pool adjacent violators over blocks of points
    const blocks: { value: number; weight: number; xs: number[] }[] = [];
    const points: { value: number; weight: number; x: number }[] = [];
    for (const i of order) {
      const last = points.at(-1);
      if (last !== undefined && last.x === scores[i]!) {
        last.value = (last.value * last.weight + y[i]!) / (last.weight + 1);
        last.weight += 1;
      } else points.push({ value: y[i]!, weight: 1, x: scores[i]! });
    }
    for (const point of points) {
      blocks.push({ value: point.value, weight: point.weight, xs: [point.x] });
      while (blocks.length > 1 && blocks.at(-2)!.value >= blocks.at(-1)!.value) {
        const b = blocks.pop()!;
        const a = blocks.at(-1)!;
        a.value = (a.value * a.weight + b.value * b.weight) / (a.weight + b.weight);
        a.weight += b.weight;
        a.xs.push(...b.xs);
      }
    }
    // every distinct score keeps its block's value: interpolation between them is then exact
    const thresholds: number[] = [];
    const values: number[] = [];
    for (const block of blocks)
      for (const x of block.xs) {
        thresholds.push(x);
        values.push(block.value);
      }
    this.thresholds = Float64Array.from(thresholds);
    this.values = Float64Array.from(values);
    return this;
  }

  predict(scores: ArrayLike<number>): Float64Array {
    const xs = this.thresholds ?? notFitted("IsotonicCalibrator");
    const ys = this.values!;
    const n = xs.length;
    return Float64Array.from(scores, (s) => {
      if (s <= xs[0]!) return ys[0]!;
      if (s >= xs[n - 1]!) return ys[n - 1]!;
      // binary search for xs[lo] <= s < xs[lo + 1]
      let lo = 0;
      let hi = n - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (xs[mid]! <= s) lo = mid;
        else hi = mid;
      }
      const t = (s - xs[lo]!) / (xs[hi]! - xs[lo]!);
      return ys[lo]! + t * (ys[hi]! - ys[lo]!);
    });
  }

  toJSON(): EstimatorState {
    const fitted =
      this.thresholds === null
        ? null
        : { thresholds: toNumbers(this.thresholds), values: toNumbers(this.values!) };
    return makeState("IsotonicCalibrator", {}, fitted);
  }

  static fromJSON(state: EstimatorState): IsotonicCalibrator {
    const fitted = checkState("IsotonicCalibrator", state);
    const out = new IsotonicCalibrator();
    if (fitted !== null) {
      const thresholds = stateNumbers("IsotonicCalibrator", fitted, "thresholds");
      const values = stateNumbers("IsotonicCalibrator", fitted, "values", thresholds.length);
      for (let i = 1; i < thresholds.length; i++)
        if (!(thresholds[i]! > thresholds[i - 1]!) || values[i]! < values[i - 1]!)
          throw new FormatError(
            "IsotonicCalibrator.fromJSON: thresholds must increase and values must not decrease",
          );
      if (thresholds.length === 0) throw new FormatError("IsotonicCalibrator.fromJSON: no fitted points");
      out.thresholds = thresholds;
      out.values = values;
    }
    return out;
  }
}
