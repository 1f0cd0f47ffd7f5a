// train/metrics/confusion: confusionMatrix (rows: true class, columns: predicted class, as
// tf.math.confusion_matrix and scikit-learn) and classificationReport (per-class precision,
// recall, F1 and support, with scikit-learn's text layout).

import type { TypedArray } from "../../core/dtype.js";
import { ShapeError, ValueError } from "../../core/errors.js";
import { formatShape } from "../../core/shape.js";
import { Tensor } from "../../tensor/tensor.js";
import { argmaxRow } from "./accuracy.js";

export interface ConfusionMatrixOptions {
  /** Number of classes (default: the largest label seen + 1, or yPred's class axis). */
  numClasses?: number;
  /** Per-sample weights; the matrix is then float64 instead of int32. */
  weights?: Tensor;
  /** For binary probabilities of shape [B, 1]: above it counts as class 1 (default 0.5). */
  threshold?: number;
}

/**
 * Class labels from a tensor: int labels [B] / [B, 1], one-hot or scores [B, C] (argmax), or, for
 * predictions only, binary probabilities [B, 1] (thresholded).
 */
function toLabels(
  owner: string,
  what: string,
  t: Tensor,
  threshold: number,
  isPrediction: boolean,
): Int32Array {
  const fail = (): never => {
    throw new ShapeError(
      `${owner}: ${what} must be labels [batch], [batch, 1] or scores [batch, classes] (got ${formatShape(t.shape)})`,
    );
  };
  if (t.rank === 0 || t.rank > 2) fail();
  const rows = t.shape[0]!;
  const out = new Int32Array(rows);
  const columns = t.rank === 2 ? t.shape[1]! : 1;
  if (columns > 1) {
    for (let r = 0; r < rows; r++) out[r] = argmaxRow(t.data, r * columns, columns);
    return out;
  }
  const probabilities = isPrediction && t.rank === 2 && t.dtype !== "int32";
  for (let r = 0; r < rows; r++) {
    const v = t.data[r]!;
    if (probabilities) out[r] = v > threshold ? 1 : 0;
    else {
      if (!Number.isInteger(v) || v < 0) {
        throw new ValueError(`${owner}: ${what} labels must be integers >= 0 (got ${v})`);
      }
      out[r] = v;
    }
  }
  return out;
}

function classCount(yTrue: Tensor, yPred: Tensor, trueLabels: Int32Array, predLabels: Int32Array): number {
  let n = 0;
  for (const t of [yTrue, yPred]) if (t.rank === 2 && t.shape[1]! > 1) n = Math.max(n, t.shape[1]!);
  for (const labels of [trueLabels, predLabels]) for (const v of labels) n = Math.max(n, v + 1);
  if (n === 1 && yPred.rank === 2) n = 2; // binary probabilities with one class seen so far
  return n;
}

function labelsOf(owner: string, yTrue: Tensor, yPred: Tensor, threshold: number): [Int32Array, Int32Array] {
  const trueLabels = toLabels(owner, "yTrue", yTrue, threshold, false);
  const predLabels = toLabels(owner, "yPred", yPred, threshold, true);
  if (trueLabels.length !== predLabels.length) {
    throw new ShapeError(
      `${owner}: yTrue and yPred have different batch sizes (got ${trueLabels.length} and ${predLabels.length})`,
    );
  }
  return [trueLabels, predLabels];
}

/**
 * counts[i][j] = number (or total weight) of samples of true class i predicted as class j.
 * @example
 * confusionMatrix(tensor([0, 1, 1]), tensor([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])).toArray();
 * // [[1, 0], [1, 1]]
 */
export function confusionMatrix(yTrue: Tensor, yPred: Tensor, options: ConfusionMatrixOptions = {}): Tensor {
  const owner = "confusionMatrix";
  const [trueLabels, predLabels] = labelsOf(owner, yTrue, yPred, options.threshold ?? 0.5);
  const n = options.numClasses ?? classCount(yTrue, yPred, trueLabels, predLabels);
  if (!Number.isInteger(n) || n < 1)
    throw new ValueError(`${owner}: numClasses must be an integer >= 1 (got ${n})`);
  const weights = options.weights;
  if (weights !== undefined && weights.size !== trueLabels.length) {
    throw new ShapeError(
      `${owner}: weights must have one value per sample (got shape ${formatShape(weights.shape)})`,
    );
  }
  const out: TypedArray = weights === undefined ? new Int32Array(n * n) : new Float64Array(n * n);
  for (let r = 0; r < trueLabels.length; r++) {
    const i = trueLabels[r]!;
    const j = predLabels[r]!;
    if (i >= n || j >= n)
      throw new ValueError(`${owner}: label ${Math.max(i, j)} is out of range for ${n} classes`);
    out[i * n + j]! += weights === undefined ? 1 : weights.data[r]!;
  }
  return new Tensor(out, [n, n]);
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  /** scikit-learn's layout: one row per class, then accuracy, macro avg and weighted avg. */
  text: string;
  perClass: (ClassScores & { label: number; name: string })[];
  accuracy: number;
  macroAvg: ClassScores;
  weightedAvg: ClassScores;
}

export interface ClassificationReportOptions {
  /** Display names, one per class. */
  targetNames?: readonly string[];
  /** Decimal places in the text (default 2). */
  digits?: number;
  numClasses?: number;
  threshold?: number;
  /** Value of a ratio whose denominator is zero (default 0). */
  zeroDivision?: number;
}

/**
 * Per-class precision, recall, F1 and support, with accuracy and macro/weighted averages.
 * @example
 * console.log(classificationReport(yTest, model.predict(xTest), { targetNames: ["setosa", "versicolor", "virginica"] }).text);
 */
export function classificationReport(
  yTrue: Tensor,
  yPred: Tensor,
  options: ClassificationReportOptions = {},
): ClassificationReport {
  const owner = "classificationReport";
  const matrix = confusionMatrix(yTrue, yPred, {
    ...(options.numClasses !== undefined ? { numClasses: options.numClasses } : {}),
    threshold: options.threshold ?? 0.5,
  });
  const n = matrix.shape[0]!;
  const names = options.targetNames ?? Array.from({ length: n }, (_, i) => String(i));
  if (names.length !== n) {
    throw new ValueError(`${owner}: targetNames has ${names.length} names for ${n} classes`);
  }
  const zero = options.zeroDivision ?? 0;
  const ratio = (a: number, b: number): number => (b === 0 ? zero : a / b);
  const m = matrix.data;
  let correct = 0;
  let total = 0;
  const perClass = names.map((name, c) => {
    let predicted = 0;
    let actual = 0;
    for (let k = 0; k < n; k++) {
      predicted += m[k * n + c]!;
      actual += m[c * n + k]!;
      total += m[c * n + k]!;
    }
    const tp = m[c * n + c]!;
    correct += tp;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, actual);
    const f1 = precision + recall === 0 ? zero : (2 * precision * recall) / (precision + recall);
    return { label: c, name, precision, recall, f1, support: actual };
  });
  const accuracy = total === 0 ? zero : correct / total;
  const average = (weighted: boolean): ClassScores => {
    const weightOf = (s: ClassScores): number => (weighted ? s.support / total : 1 / n);
    const avg = (key: "precision" | "recall" | "f1"): number =>
      total === 0 && weighted ? zero : perClass.reduce((acc, s) => acc + s[key] * weightOf(s), 0);
    return { precision: avg("precision"), recall: avg("recall"), f1: avg("f1"), support: total };
  };
  const macroAvg = average(false);
  const weightedAvg = average(true);
  const text = formatReport(perClass, accuracy, macroAvg, weightedAvg, total, options.digits ?? 2);
  return { text, perClass, accuracy, macroAvg, weightedAvg };
}

function formatReport(
  rows: (ClassScores & { name: string })[],
  accuracy: number,
  macro: ClassScores,
  weighted: ClassScores,
  total: number,
  digits: number,
): string {
  const width = Math.max("weighted avg".length, digits, ...rows.map((r) => r.name.length));
  const cell = (s: string): string => s.padStart(9);
  const num = (v: number): string => cell(v.toFixed(digits));
  const head = `${"".padStart(width)} ${["precision", "recall", "f1-score", "support"].map((h) => ` ${cell(h)}`).join("")}`;
  const line = (name: string, s: ClassScores): string =>
    `${name.padStart(width)} ${[s.precision, s.recall, s.f1].map((v) => ` ${num(v)}`).join("")} ${cell(formatSupport(s.support))}`;
  const out = [head, ""];
  for (const r of rows) out.push(line(r.name, r));
  out.push("");
  out.push(
    `${"accuracy".padStart(width)}  ${cell("")} ${cell("")} ${num(accuracy)} ${cell(formatSupport(total))}`,
  );
  out.push(line("macro avg", macro));
  out.push(line("weighted avg", weighted));
  return `${out.join("\n")}\n`;
}

function formatSupport(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e6) / 1e6);
}
