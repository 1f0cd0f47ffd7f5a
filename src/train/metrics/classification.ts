// train/metrics/classification: precision, recall and F-scores, accumulated as weighted
// true/false positive counts over batches (Keras 3 semantics: a prediction above the threshold is
// positive; a non-zero target is positive; a ratio with a zero denominator is 0).

import type { TypedArray } from "../../core/dtype.js";
import { ShapeError, ValueError } from "../../core/errors.js";
import { nullableNumberOption, numberOption, stringOption } from "../../core/options.js";
import { formatShape } from "../../core/shape.js";
import type { SerializedConfig } from "../../optim/learning-rate.js";
import type { Tensor } from "../../tensor/tensor.js";
import { argmaxRow } from "./accuracy.js";
import {
  broadcastWeights,
  type Metric,
  type MetricOptions,
  pairedValues,
  readMetricOptions,
} from "./metric.js";

export interface PrecisionRecallOptions extends MetricOptions {
  /** A prediction above it is positive (default 0.5, or -Infinity with topK). */
  thresholds?: number;
  /** Only the k highest predictions of each row can be positive. Alias `top_k`. */
  topK?: number | null;
  top_k?: number | null;
  /** Score only this class (column of [B, C]). Alias `class_id`. */
  classId?: number | null;
  class_id?: number | null;
}

/** Shared counting for Precision and Recall. */
abstract class ThresholdCounts implements Metric {
  abstract readonly className: string;
  readonly name: string;
  readonly threshold: number;
  readonly topK: number | null;
  readonly classId: number | null;
  protected truePositives = 0;
  protected falsePositives = 0;
  protected falseNegatives = 0;

  constructor(owner: string, defaultName: string, options: PrecisionRecallOptions) {
    const read = readMetricOptions(owner, options, defaultName, {
      thresholds: ["threshold"],
      topK: ["top_k"],
      classId: ["class_id"],
    });
    this.name = read.name;
    this.topK = nullableNumberOption(owner, read.options, "topK", null);
    this.classId = nullableNumberOption(owner, read.options, "classId", null);
    if (this.topK !== null && (!Number.isInteger(this.topK) || this.topK < 1)) {
      throw new ValueError(`${owner}: topK must be an integer >= 1 or null (got ${this.topK})`);
    }
    if (this.classId !== null && (!Number.isInteger(this.classId) || this.classId < 0)) {
      throw new ValueError(`${owner}: classId must be an integer >= 0 or null (got ${this.classId})`);
    }
    const fallback = this.topK === null ? 0.5 : Number.NEGATIVE_INFINITY;
    this.threshold = numberOption(owner, read.options, "thresholds", fallback);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const { t, p } = pairedValues(this.name, yTrue, yPred);
    const batch = yPred.shape[0]!;
    const columns = batch === 0 ? 1 : p.length / batch;
    const w = broadcastWeights(this.name, sampleWeight, batch, p.length);
    const positive = predictedPositive(p, columns, this.topK, this.threshold);
    if (this.classId !== null && this.classId >= columns) {
      throw new ShapeError(`${this.name}: classId ${this.classId} is out of range for ${columns} columns`);
    }
    for (let j = 0; j < p.length; j++) {
      if (this.classId !== null && j % columns !== this.classId) continue;
      const weight = w === null ? 1 : w[j]!;
      const actual = t[j]! !== 0;
      if (positive[j] === 1) {
        if (actual) this.truePositives += weight;
        else this.falsePositives += weight;
      } else if (actual) this.falseNegatives += weight;
    }
  }

  abstract result(): number;

  reset(): void {
    this.truePositives = 0;
    this.falsePositives = 0;
    this.falseNegatives = 0;
  }

  getConfig(): SerializedConfig {
    return {
      className: this.className,
      config: { name: this.name, thresholds: this.threshold, topK: this.topK, classId: this.classId },
    };
  }
}

// 1 where the prediction counts as positive: above the threshold and, with topK, among the k
// largest of its row of `columns` values.
function predictedPositive(
  p: TypedArray,
  columns: number,
  topK: number | null,
  threshold: number,
): Uint8Array {
  const out = new Uint8Array(p.length);
  for (let j = 0; j < p.length; j++) out[j] = p[j]! > threshold ? 1 : 0;
  if (topK === null) return out;
  for (let start = 0; start < p.length; start += columns) {
    const order = Array.from({ length: columns }, (_, c) => c).sort((a, b) => p[start + b]! - p[start + a]!);
    for (let r = topK; r < columns; r++) out[start + order[r]!] = 0;
  }
  return out;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

/** tp / (tp + fp): the fraction of positive predictions that are right. */
export class Precision extends ThresholdCounts {
  readonly className = "Precision";
  constructor(options: PrecisionRecallOptions = {}) {
    super("precision", "precision", options);
  }
  result(): number {
    return ratio(this.truePositives, this.truePositives + this.falsePositives);
  }
}

/** tp / (tp + fn): the fraction of actual positives found. */
export class Recall extends ThresholdCounts {
  readonly className = "Recall";
  constructor(options: PrecisionRecallOptions = {}) {
    super("recall", "recall", options);
  }
  result(): number {
    return ratio(this.truePositives, this.truePositives + this.falseNegatives);
  }
}

export function precision(options: PrecisionRecallOptions = {}): Precision {
  return new Precision(options);
}

export function recall(options: PrecisionRecallOptions = {}): Recall {
  return new Recall(options);
}

export type FScoreAverage = "micro" | "macro" | "weighted";

export interface FScoreOptions extends MetricOptions {
  /** How per-class scores combine into result(): "macro" (default), "micro" or "weighted". */
  average?: FScoreAverage;
  /** A prediction above it is positive; null means the row's largest value is the one positive. */
  threshold?: number | null;
  /** Weight of recall relative to precision (F1: 1). */
  beta?: number;
}

const FSCORE_EPSILON = 1e-7;

/**
 * F-beta score per class from accumulated counts, combined by `average`. Targets are one-hot [B, C]
 * (integer labels [B] are one-hot encoded). With one output column the default threshold is 0.5
 * (Keras's argmax default would call every sample positive). perClass() gives the unaveraged scores.
 */
export class FBetaScore implements Metric {
  readonly className: string = "FBetaScore";
  readonly name: string;
  readonly average: FScoreAverage;
  readonly threshold: number | null;
  readonly beta: number;
  private tp = new Float64Array(0);
  private fp = new Float64Array(0);
  private fn = new Float64Array(0);
  private support = new Float64Array(0);

  constructor(options: FScoreOptions = {}, owner = "fBetaScore", defaultName = "fbeta_score") {
    const read = readMetricOptions(owner, options, defaultName, { average: [], threshold: [], beta: [] });
    this.name = read.name;
    const average = stringOption(owner, read.options, "average", "macro");
    if (average !== "micro" && average !== "macro" && average !== "weighted") {
      throw new ValueError(`${owner}: average must be "micro", "macro" or "weighted" (got "${average}")`);
    }
    this.average = average;
    this.threshold = nullableNumberOption(owner, read.options, "threshold", null);
    this.beta = numberOption(owner, read.options, "beta", 1);
    if (!(this.beta > 0)) throw new ValueError(`${owner}: beta must be > 0 (got ${this.beta})`);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    if (yPred.rank === 1) yPred = yPred.reshape([yPred.shape[0]!, 1]);
    const classes = yPred.shape[yPred.rank - 1]!;
    const targets = oneHotTargets(this.name, yTrue, yPred, classes);
    const p = yPred.data;
    const rows = classes === 0 ? 0 : p.length / classes;
    if (this.tp.length === 0) this.resize(classes);
    else if (this.tp.length !== classes) {
      throw new ShapeError(`${this.name}: expected ${this.tp.length} classes (got ${classes})`);
    }
    const w = broadcastWeights(this.name, sampleWeight, yPred.shape[0]!, rows);
    const threshold = this.threshold ?? (classes === 1 ? 0.5 : null);
    for (let r = 0; r < rows; r++) {
      const weight = w === null ? 1 : w[r]!;
      const best = threshold === null ? argmaxRow(p, r * classes, classes) : -1;
      for (let c = 0; c < classes; c++) {
        const predicted = threshold === null ? c === best : p[r * classes + c]! > threshold;
        const actual = targets[r * classes + c]! !== 0;
        if (predicted && actual) this.tp[c]! += weight;
        else if (predicted) this.fp[c]! += weight;
        else if (actual) this.fn[c]! += weight;
        if (actual) this.support[c]! += weight;
      }
    }
  }

  /** The score of each class. */
  perClass(): number[] {
    return Array.from(this.tp, (_, c) => this.score(this.tp[c]!, this.fp[c]!, this.fn[c]!));
  }

  private score(tp: number, fp: number, fn: number): number {
    const precisionValue = tp / (tp + fp + FSCORE_EPSILON);
    const recallValue = tp / (tp + fn + FSCORE_EPSILON);
    const b2 = this.beta * this.beta;
    const denominator = b2 * precisionValue + recallValue;
    return denominator === 0 ? 0 : ((1 + b2) * precisionValue * recallValue) / denominator;
  }

  result(): number {
    const n = this.tp.length;
    if (n === 0) return 0;
    if (this.average === "micro") {
      const sum = (a: Float64Array): number => a.reduce((s, v) => s + v, 0);
      return this.score(sum(this.tp), sum(this.fp), sum(this.fn));
    }
    const scores = this.perClass();
    if (this.average === "macro") return scores.reduce((s, v) => s + v, 0) / n;
    const total = this.support.reduce((s, v) => s + v, 0);
    return total === 0 ? 0 : scores.reduce((s, v, c) => s + (v * this.support[c]!) / total, 0);
  }

  private resize(classes: number): void {
    this.tp = new Float64Array(classes);
    this.fp = new Float64Array(classes);
    this.fn = new Float64Array(classes);
    this.support = new Float64Array(classes);
  }

  reset(): void {
    this.resize(this.tp.length);
  }

  getConfig(): SerializedConfig {
    return {
      className: this.className,
      config: { name: this.name, average: this.average, threshold: this.threshold, beta: this.beta },
    };
  }
}

/** F1: the harmonic mean of precision and recall (FBetaScore with beta 1). */
export class F1Score extends FBetaScore {
  override readonly className: string = "F1Score";
  constructor(options: Omit<FScoreOptions, "beta"> = {}) {
    super({ ...options }, "f1Score", "f1_score");
  }
}

export function f1Score(options: Omit<FScoreOptions, "beta"> = {}): F1Score {
  return new F1Score(options);
}

export function fBetaScore(options: FScoreOptions = {}): FBetaScore {
  return new FBetaScore(options);
}

/** One-hot targets [rows * classes] from one-hot yTrue or integer labels. */
function oneHotTargets(owner: string, yTrue: Tensor, yPred: Tensor, classes: number): TypedArray {
  const rows = classes === 0 ? 0 : yPred.size / classes;
  if (yTrue.size === yPred.size) return pairedValues(owner, yTrue, yPred).t;
  if (yTrue.size === rows && classes > 1) {
    const out = new Float64Array(rows * classes);
    for (let r = 0; r < rows; r++) {
      const label = yTrue.data[r]!;
      if (!Number.isInteger(label) || label < 0 || label >= classes) {
        throw new ValueError(`${owner}: label ${label} is out of range for ${classes} classes`);
      }
      out[r * classes + label] = 1;
    }
    return out;
  }
  throw new ShapeError(
    `${owner}: yTrue must be one-hot like yPred or hold one label per row (got ${formatShape(yTrue.shape)} and ${formatShape(yPred.shape)})`,
  );
}
