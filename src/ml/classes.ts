// ml/classes: class labels for classifiers: y (numbers, strings or booleans) becomes integer codes
// over the sorted distinct labels (numpy.unique order, like scikit-learn's classes_), and codes
// come back as labels.
import { FormatError, ShapeError, ValueError } from "../core/errors.js";
import { encodeLabels, type Labels, type LabelValue } from "../data/split/labels.js";
import { Tensor } from "../tensor/tensor.js";
import type { JsonValue } from "./estimator.js";

export interface EncodedTargets {
  codes: Int32Array;
  classes: LabelValue[];
}

/** Codes of y over its sorted classes; y must have n entries and at least two classes. */
export function encodeTargets(op: string, y: Labels, n: number): EncodedTargets {
  const { codes, classes } = encodeLabels(op, y);
  if (codes.length !== n) throw new ShapeError(`${op}: y has ${codes.length} labels but X has ${n} rows`);
  if (classes.includes(null))
    throw new ValueError(`${op}: y holds a missing label (null); drop or impute those rows`);
  if (classes.length < 2) throw new ValueError(`${op}: y needs at least 2 classes (got ${classes.length})`);
  return { codes, classes };
}

/** Codes of y over already-known classes (for score()). */
export function codesFor(op: string, y: Labels, classes: readonly LabelValue[], n: number): Int32Array {
  const { codes, classes: seen } = encodeLabels(op, y);
  if (codes.length !== n) throw new ShapeError(`${op}: y has ${codes.length} labels but X has ${n} rows`);
  const key = (v: LabelValue): string => `${typeof v}:${String(v)}`;
  const index = new Map(classes.map((c, i) => [key(c), i]));
  const mapping = seen.map((c) => index.get(key(c)) ?? -1);
  return codes.map((c) => mapping[c]!);
}

/** Fraction of codes equal to the predicted ones. */
export function accuracyOf(predicted: Int32Array, actual: Int32Array): number {
  let hits = 0;
  for (let i = 0; i < actual.length; i++) if (predicted[i] === actual[i]) hits++;
  return hits / actual.length;
}

/** Index of the largest entry of each row of a [n, k] array (the first on ties). */
export function argmaxRows(values: Float64Array, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (values[i * k + c]! > values[i * k + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** Reads classes back from a fitted state. */
export function stateClasses(kind: string, value: JsonValue | undefined): LabelValue[] {
  if (
    !Array.isArray(value) ||
    !value.every((v) => v === null || ["string", "number", "boolean"].includes(typeof v))
  ) {
    throw new FormatError(`${kind}.fromJSON: fitted.classes must be an array of labels`);
  }
  return value as LabelValue[];
}

/**
 * Class probabilities [n, nClasses] from raw scores [n, K]: the sigmoid of one score per row for
 * two classes (K = 1), the softmax of each row otherwise.
 */
export function probabilitiesFromScores(scores: Float64Array, n: number, nClasses: number): Tensor {
  const out = new Float64Array(n * nClasses);
  const k = nClasses === 2 ? 1 : nClasses;
  for (let i = 0; i < n; i++) {
    if (k === 1) {
      const p = 1 / (1 + Math.exp(-scores[i]!));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
      continue;
    }
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) max = Math.max(max, scores[i * k + c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += out[i * k + c] = Math.exp(scores[i * k + c]! - max);
    for (let c = 0; c < k; c++) out[i * k + c]! /= sum;
  }
  return new Tensor(out, [n, nClasses]);
}

/** The most probable class label of each row of a [n, classes] probability tensor. */
export function labelsFromProba(proba: Tensor, classes: readonly LabelValue[]): LabelValue[] {
  const [n, k] = proba.shape as [number, number];
  return Array.from(argmaxRows(proba.data as Float64Array, n, k), (c) => classes[c]!);
}

/** Accuracy of the most probable classes of `proba` against the labels y. */
export function accuracyFromProba(
  op: string,
  proba: Tensor,
  classes: readonly LabelValue[],
  y: Labels,
): number {
  const [n, k] = proba.shape as [number, number];
  return accuracyOf(argmaxRows(proba.data as Float64Array, n, k), codesFor(op, y, classes, n));
}
