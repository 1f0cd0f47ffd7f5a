// report/plots-classification: a classifier's charts: the confusion matrix as a heat map, ROC and
// precision-recall curves (binary, or one-vs-rest per class for [n, classes] scores) and the
// calibration (reliability) diagram. Curve points come from report/curves; drawing from
// Vega-Lite through report/vega-render. Layer: report.
import { ShapeError, ValueError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { calibrationBins, prPoints, rocPoints } from "./curves.js";
import { binaryLabels, type Numbers, toNumbers } from "./numbers.js";
import { diagonalLayer, frame, overDiagonal, type PlotOptions, renderVegaLite } from "./vega-render.js";

/** One binary problem to draw a curve for: class c against the rest, or the positive class. */
interface BinaryProblem {
  name: string;
  labels: Uint8Array;
  scores: Float64Array;
}

/**
 * Binary problems from true labels and scores: scores [n] / [n, 1] are the positive class's
 * (labels 0/1); scores [n, C] give one problem per class c (label == c) against its column.
 */
function binaryProblems(
  owner: string,
  yTrue: Numbers,
  scores: Numbers,
  classNames?: readonly string[],
): BinaryProblem[] {
  const isMatrix = scores instanceof Tensor && scores.rank === 2 && scores.shape[1]! > 1;
  if (!isMatrix) {
    const s = toNumbers(owner, "scores", scores);
    const y = toNumbers(owner, "yTrue", yTrue);
    if (y.length !== s.length) {
      throw new ShapeError(
        `${owner}: yTrue and scores must have the same length (got ${y.length} and ${s.length})`,
      );
    }
    return [{ name: classNames?.[1] ?? "positive", labels: binaryLabels(owner, "yTrue", y), scores: s }];
  }
  const [rows, classes] = [scores.shape[0]!, scores.shape[1]!];
  const y = toNumbers(owner, "yTrue", yTrue);
  if (y.length !== rows) {
    throw new ShapeError(
      `${owner}: yTrue must have one label per row of scores ${formatShape(scores.shape)} (got ${y.length})`,
    );
  }
  const problems: BinaryProblem[] = [];
  for (let c = 0; c < classes; c++) {
    const labels = new Uint8Array(rows);
    const column = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      labels[r] = y[r] === c ? 1 : 0;
      column[r] = scores.data[r * classes + c]!;
    }
    // A class absent from yTrue has no curve (its TPR is undefined).
    if (labels.includes(1) && labels.includes(0))
      problems.push({ name: classNames?.[c] ?? `class ${c}`, labels, scores: column });
  }
  if (problems.length === 0) throw new ValueError(`${owner}: yTrue has fewer than two classes`);
  return problems;
}

/** Options of the curve plots: display names of the classes (index = class id). */
export interface CurveOptions extends PlotOptions {
  classNames?: readonly string[];
}

/**
 * The confusion matrix as a heat map with the count in each cell (rows: true class, columns:
 * predicted class, as ts.confusionMatrix returns it).
 * @example
 * const svg = await ts.plot.confusionMatrix(ts.confusionMatrix(yTrue, yPred), { classNames: ["cat", "dog"] });
 */
export async function confusionMatrix(
  matrix: Tensor | readonly (readonly number[])[],
  options: PlotOptions & { classNames?: readonly string[] } = {},
): Promise<string> {
  const rows = matrixRows(matrix);
  const k = rows.length;
  const name = (c: number): string => options.classNames?.[c] ?? String(c);
  const cells: { actual: string; predicted: string; count: number }[] = [];
  let max = 0;
  rows.forEach((row, r) => {
    row.forEach((count, c) => {
      cells.push({ actual: name(r), predicted: name(c), count });
      max = Math.max(max, count);
    });
  });
  const order = Array.from({ length: k }, (_, c) => name(c));
  const side = Math.max(120, Math.min(480, k * 48));
  const { width, height, title } = frame({ width: side, height: side, ...options }, "Confusion matrix");
  return renderVegaLite({
    title,
    width,
    height,
    data: { values: cells },
    encoding: {
      x: { field: "predicted", type: "ordinal", sort: order, title: "predicted" },
      y: { field: "actual", type: "ordinal", sort: order, title: "actual" },
    },
    layer: [
      {
        mark: "rect",
        encoding: {
          color: { field: "count", type: "quantitative", scale: { scheme: "blues" }, legend: null },
        },
      },
      {
        mark: { type: "text", fontSize: 12 },
        encoding: {
          text: { field: "count", type: "quantitative" },
          color: { condition: { test: `datum.count > ${max / 2}`, value: "white" }, value: "black" },
        },
      },
    ],
  });
}

function matrixRows(matrix: Tensor | readonly (readonly number[])[]): number[][] {
  if (matrix instanceof Tensor) {
    if (matrix.rank !== 2 || matrix.shape[0] !== matrix.shape[1]) {
      throw new ShapeError(
        `confusionMatrix: matrix must be square [classes, classes] (got ${formatShape(matrix.shape)})`,
      );
    }
    const k = matrix.shape[0]!;
    return Array.from({ length: k }, (_, r) => Array.from(matrix.data.subarray(r * k, (r + 1) * k), Number));
  }
  if (!Array.isArray(matrix) || matrix.length === 0) {
    throw new ValueError("confusionMatrix: matrix must be a non-empty square array of counts");
  }
  return matrix.map((row, r) => {
    if (!Array.isArray(row) || row.length !== matrix.length) {
      throw new ShapeError(
        `confusionMatrix: row ${r} must have ${matrix.length} counts (got ${String(row?.length)})`,
      );
    }
    return row.map((v) => {
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new ValueError(`confusionMatrix: counts must be finite numbers (got ${String(v)})`);
      return v;
    });
  });
}

// labelLimit: room for "versicolor (AUC 0.987)" without an ellipsis.
const CURVE_ENCODING = {
  color: { field: "curve", type: "nominal", title: null, legend: { labelLimit: 320 } },
} as const;

/**
 * ROC curves with their AUC in the legend, and the chance diagonal.
 * @example
 * const svg = await ts.plot.rocCurve(yTest, model.predict(xTest)); // [n] 0/1 labels, [n, 1] scores
 */
export async function rocCurve(yTrue: Numbers, scores: Numbers, options: CurveOptions = {}): Promise<string> {
  const rows: { curve: string; i: number; fpr: number; tpr: number }[] = [];
  for (const problem of binaryProblems("rocCurve", yTrue, scores, options.classNames)) {
    const roc = rocPoints(problem.labels, problem.scores);
    const curve = `${problem.name} (AUC ${roc.auc.toFixed(3)})`;
    for (const [i, fpr] of roc.fpr.entries()) rows.push({ curve, i, fpr, tpr: roc.tpr[i]! });
  }
  return overDiagonal(options, "ROC curve", diagonalLayer(0, 1), {
    data: { values: rows },
    mark: { type: "line", interpolate: "linear" },
    encoding: {
      x: { field: "fpr", type: "quantitative", title: "false positive rate", scale: { domain: [0, 1] } },
      y: { field: "tpr", type: "quantitative", title: "true positive rate", scale: { domain: [0, 1] } },
      order: { field: "i", type: "quantitative" },
      ...CURVE_ENCODING,
    },
  });
}

/**
 * Precision-recall curves (a step plot, as scikit-learn draws them) with the average precision.
 * @example
 * const svg = await ts.plot.prCurve(yTest, probabilities);
 */
export async function prCurve(yTrue: Numbers, scores: Numbers, options: CurveOptions = {}): Promise<string> {
  const rows: { curve: string; i: number; recall: number; precision: number }[] = [];
  for (const problem of binaryProblems("prCurve", yTrue, scores, options.classNames)) {
    const pr = prPoints(problem.labels, problem.scores);
    const curve = `${problem.name} (AP ${pr.averagePrecision.toFixed(3)})`;
    for (const [i, recall] of pr.recall.entries())
      rows.push({ curve, i, recall, precision: pr.precision[i]! });
  }
  const { width, height, title } = frame({ width: 300, height: 300, ...options }, "Precision-recall curve");
  return renderVegaLite({
    title,
    width,
    height,
    data: { values: rows },
    mark: { type: "line", interpolate: "step-after" },
    encoding: {
      x: { field: "recall", type: "quantitative", scale: { domain: [0, 1] } },
      y: { field: "precision", type: "quantitative", scale: { domain: [0, 1] } },
      order: { field: "i", type: "quantitative", sort: "descending" },
      ...CURVE_ENCODING,
    },
  });
}

/**
 * The calibration (reliability) diagram: fraction of positives against mean predicted probability
 * per bin, with the perfectly calibrated diagonal.
 * @example
 * const svg = await ts.plot.calibration(yTest, probabilities, { bins: 10 });
 */
export async function calibration(
  yTrue: Numbers,
  probabilities: Numbers,
  options: CurveOptions & { bins?: number } = {},
): Promise<string> {
  const rows: { curve: string; predicted: number; observed: number; count: number }[] = [];
  for (const problem of binaryProblems("calibration", yTrue, probabilities, options.classNames)) {
    const bins = calibrationBins(problem.labels, problem.scores, options.bins ?? 10);
    for (const [i, predicted] of bins.meanPredicted.entries()) {
      rows.push({
        curve: problem.name,
        predicted,
        observed: bins.fractionPositive[i]!,
        count: bins.count[i]!,
      });
    }
  }
  return overDiagonal(options, "Calibration", diagonalLayer(0, 1), {
    data: { values: rows },
    mark: { type: "line", point: true },
    encoding: {
      x: {
        field: "predicted",
        type: "quantitative",
        title: "mean predicted probability",
        scale: { domain: [0, 1] },
      },
      y: {
        field: "observed",
        type: "quantitative",
        title: "fraction of positives",
        scale: { domain: [0, 1] },
      },
      ...CURVE_ENCODING,
    },
  });
}
