// ml/hist-gradient-boosting: the boosting loop shared by HistGradientBoostingClassifier and
// HistGradientBoostingRegressor, with scikit-learn 1.2's semantics: features binned into at most
// maxBins bins, a constant baseline, then per iteration one leaf-wise tree per output fitted to the
// loss gradients and hessians (rounded to float32 as scikit-learn stores them), optional early
// stopping on the validation loss of a held-out split. Raw predictions are [K][n], one column per
// tree of an iteration (K = 1 except for multiclass log-loss).
import { FormatError, ValueError } from "../core/errors.js";
import { splitIndices } from "../data/split/train-test-split.js";
import { type JsonValue, stateNumber, stateNumbers, toNumbers } from "./estimator.js";
import { binMatrix, fitBins } from "./hist-binning.js";
import { growTree, type HistTree, predictTree } from "./hist-tree.js";
import { type Matrix, takeMatrixRows } from "./matrix.js";
import { generatorFor, intOption, positiveOption, rangeOption } from "./params.js";

export interface HistGradientBoostingOptions {
  /** Shrinkage of every tree's output (default 0.1). */
  learningRate?: number;
  /** Boosting iterations at most (default 100). */
  maxIter?: number;
  /** Leaves per tree at most (default 31). */
  maxLeafNodes?: number;
  /** Depth per tree at most (default unlimited). */
  maxDepth?: number;
  /** Training rows per leaf at least (default 20). */
  minSamplesLeaf?: number;
  /** L2 penalty on leaf values (default 0). */
  l2Regularization?: number;
  /** Bins per feature, at most 255 (default 255). */
  maxBins?: number;
  /** "auto" (default: on above 10000 rows), true or false. */
  earlyStopping?: "auto" | boolean;
  /** Held-out share for early stopping (default 0.1). */
  validationFraction?: number;
  /** Iterations without a validation-loss improvement above tol before stopping (default 10). */
  nIterNoChange?: number;
  /** Improvement that counts (default 1e-7). */
  tol?: number;
  /** Seed of the early-stopping split. */
  seed?: number;
}

export type BoostingLoss = "squared_error" | "log_loss";

/** What fit() learned, shared by both models. */
export interface BoostedTrees {
  baseline: Float64Array;
  /** trees[iteration][k] */
  trees: HistTree[][];
  features: number;
  featureImportances: Float64Array;
  /** Validation (or training) scores per iteration, the baseline first: minus the loss. */
  validationScores: number[];
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** Mean loss of raw predictions against targets (half squared error, or log-loss). */
function meanLoss(loss: BoostingLoss, raw: Float64Array[], y: Float64Array): number {
  const n = y.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (loss === "squared_error") total += 0.5 * (raw[0]![i]! - y[i]!) ** 2;
    else if (raw.length === 1) {
      const v = raw[0]![i]!;
      total += (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v))) - y[i]! * v;
    } else {
      let max = Number.NEGATIVE_INFINITY;
      for (const column of raw) max = Math.max(max, column[i]!);
      let sum = 0;
      for (const column of raw) sum += Math.exp(column[i]! - max);
      total += max + Math.log(sum) - raw[y[i]!]![i]!;
    }
  }
  return total / n;
}

/** Gradients and hessians of the loss at the raw predictions, one array per tree. */
function gradientsAt(
  loss: BoostingLoss,
  raw: Float64Array[],
  y: Float64Array,
  gradients: Float32Array[],
  hessians: Float32Array[],
): void {
  const n = y.length;
  const k = raw.length;
  for (let i = 0; i < n; i++) {
    if (loss === "squared_error") {
      gradients[0]![i] = raw[0]![i]! - y[i]!;
      hessians[0]![i] = 1;
    } else if (k === 1) {
      const p = sigmoid(raw[0]![i]!);
      gradients[0]![i] = p - y[i]!;
      hessians[0]![i] = p * (1 - p);
    } else {
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) max = Math.max(max, raw[c]![i]!);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(raw[c]![i]! - max);
      for (let c = 0; c < k; c++) {
        const p = Math.exp(raw[c]![i]! - max) / sum;
        gradients[c]![i] = p - (y[i] === c ? 1 : 0);
        hessians[c]![i] = p * (1 - p);
      }
    }
  }
}

/** The constant raw prediction that minimises the loss (scikit-learn's fit_intercept_only). */
function baselineOf(loss: BoostingLoss, y: Float64Array, k: number): Float64Array {
  const n = y.length;
  if (loss === "squared_error") return Float64Array.of(y.reduce((a, b) => a + b, 0) / n);
  const eps = Number.EPSILON;
  const clip = (p: number): number => Math.min(Math.max(p, eps), 1 - eps);
  if (k === 1) {
    const p = clip(y.reduce((a, b) => a + b, 0) / n);
    return Float64Array.of(Math.log(p / (1 - p)));
  }
  const logs = new Float64Array(k);
  for (let c = 0; c < k; c++) logs[c] = Math.log(clip(y.filter((v) => v === c).length / n));
  const mean = logs.reduce((a, b) => a + b, 0) / k;
  return logs.map((v) => v - mean);
}

/** Validated options with their defaults. */
export function boostingParams(
  op: string,
  o: HistGradientBoostingOptions,
): Required<Omit<HistGradientBoostingOptions, "seed" | "maxDepth">> & {
  seed: number | undefined;
  maxDepth: number | undefined;
} {
  const earlyStopping = o.earlyStopping ?? "auto";
  if (earlyStopping !== "auto" && typeof earlyStopping !== "boolean")
    throw new ValueError(
      `${op}: earlyStopping must be "auto", true or false (got ${JSON.stringify(earlyStopping)})`,
    );
  return {
    learningRate: positiveOption(op, "learningRate", o.learningRate, 0.1),
    maxIter: intOption(op, "maxIter", o.maxIter, 100),
    maxLeafNodes: intOption(op, "maxLeafNodes", o.maxLeafNodes, 31, 2),
    maxDepth: o.maxDepth === undefined ? undefined : intOption(op, "maxDepth", o.maxDepth, 1),
    minSamplesLeaf: intOption(op, "minSamplesLeaf", o.minSamplesLeaf, 20),
    l2Regularization: positiveOption(op, "l2Regularization", o.l2Regularization, 0, true),
    maxBins: intOption(op, "maxBins", o.maxBins, 255, 2),
    earlyStopping,
    validationFraction: rangeOption(op, "validationFraction", o.validationFraction, 0.1, 0, 1),
    nIterNoChange: intOption(op, "nIterNoChange", o.nIterNoChange, 10),
    tol: positiveOption(op, "tol", o.tol, 1e-7, true),
    seed: o.seed,
  };
}

/** Runs the boosting loop. `y` holds regression targets or class codes; k trees per iteration. */
export function fitBoosting(
  op: string,
  params: ReturnType<typeof boostingParams>,
  xAll: Matrix,
  yAll: Float64Array,
  loss: BoostingLoss,
  k: number,
): BoostedTrees {
  if (params.maxBins > 255)
    throw new ValueError(`${op}: maxBins must be at most 255 (got ${params.maxBins})`);
  const early = params.earlyStopping === "auto" ? xAll.rows > 10000 : params.earlyStopping;
  let x = xAll;
  let y = yAll;
  let xVal: Matrix | null = null;
  let yVal: Float64Array | null = null;
  if (early && params.validationFraction > 0) {
    const nVal = Math.ceil(params.validationFraction * xAll.rows);
    if (nVal < 1 || nVal >= xAll.rows)
      throw new ValueError(
        `${op}: validationFraction ${params.validationFraction} leaves no rows on one side`,
      );
    const stratify = loss === "log_loss" ? Array.from(yAll) : undefined;
    const [valRows, trainRows] = splitIndices(op, xAll.rows, [nVal, xAll.rows - nVal], {
      generator: generatorFor(params.seed),
      ...(stratify ? { stratify } : {}),
    }) as [number[], number[]];
    x = takeMatrixRows(xAll, trainRows);
    y = Float64Array.from(trainRows, (i) => yAll[i]!);
    xVal = takeMatrixRows(xAll, valRows);
    yVal = Float64Array.from(valRows, (i) => yAll[i]!);
  }
  const n = x.rows;
  const thresholds = fitBins(x, params.maxBins);
  const nBins = Int32Array.from(thresholds, (t) => t.length + 1);
  const binned = binMatrix(x, thresholds);
  const baseline = baselineOf(loss, y, k);
  const raw = Array.from({ length: k }, (_, c) => new Float64Array(n).fill(baseline[c]!));
  const rawVal = xVal
    ? Array.from({ length: k }, (_, c) => new Float64Array(xVal.rows).fill(baseline[c]!))
    : null;
  const gradients = Array.from({ length: k }, () => new Float32Array(n));
  const hessians = Array.from({ length: k }, () => new Float32Array(n));
  const importances = new Float64Array(x.cols);
  const leafValue = new Float64Array(n);
  const trees: HistTree[][] = [];
  const scores = [-meanLoss(loss, rawVal ?? raw, yVal ?? y)];
  const growOptions = {
    maxLeafNodes: params.maxLeafNodes,
    maxDepth: params.maxDepth ?? Number.POSITIVE_INFINITY,
    minSamplesLeaf: params.minSamplesLeaf,
    l2: params.l2Regularization,
    shrinkage: params.learningRate,
  };
  for (let iter = 0; iter < params.maxIter; iter++) {
    gradientsAt(loss, raw, y, gradients, hessians);
    const iteration: HistTree[] = [];
    for (let c = 0; c < k; c++) {
      const tree = growTree(
        binned,
        n,
        nBins,
        gradients[c]!,
        hessians[c]!,
        loss === "squared_error",
        thresholds,
        growOptions,
        importances,
        leafValue,
      );
      iteration.push(tree);
      const column = raw[c]!;
      for (let i = 0; i < n; i++) column[i]! += leafValue[i]!;
      if (xVal && rawVal)
        for (let i = 0; i < xVal.rows; i++) rawVal[c]![i]! += predictTree(tree, xVal.data, i, xVal.cols);
    }
    trees.push(iteration);
    if (!early) continue;
    scores.push(-meanLoss(loss, rawVal ?? raw, yVal ?? y));
    // scikit-learn's _should_stop: none of the last nIterNoChange scores beats the one before them by tol.
    const reference = params.nIterNoChange + 1;
    if (scores.length >= reference) {
      const referenceScore = scores[scores.length - reference]! + params.tol;
      if (!scores.slice(scores.length - reference + 1).some((s) => s > referenceScore)) break;
    }
  }
  const total = importances.reduce((a, b) => a + b, 0);
  return {
    baseline,
    trees,
    features: x.cols,
    featureImportances: total > 0 ? importances.map((v) => v / total) : importances,
    validationScores: scores,
  };
}

/** Raw predictions [K][n] of fitted trees on rows of X. */
export function predictRaw(model: BoostedTrees, x: Matrix): Float64Array[] {
  const k = model.baseline.length;
  const raw = Array.from({ length: k }, (_, c) => new Float64Array(x.rows).fill(model.baseline[c]!));
  for (const iteration of model.trees) {
    for (let c = 0; c < k; c++) {
      const tree = iteration[c]!;
      const column = raw[c]!;
      for (let i = 0; i < x.rows; i++) column[i]! += predictTree(tree, x.data, i, x.cols);
    }
  }
  return raw;
}

/** JSON form of fitted trees. */
export function boostedToJson(model: BoostedTrees): { [key: string]: JsonValue } {
  return {
    features: model.features,
    baseline: toNumbers(model.baseline),
    featureImportances: toNumbers(model.featureImportances),
    trees: model.trees.map((iteration) =>
      iteration.map((t) => ({
        feature: toNumbers(t.feature),
        threshold: Array.from(t.threshold, (v) => (Number.isFinite(v) ? v : null)),
        left: toNumbers(t.left),
        right: toNumbers(t.right),
        value: toNumbers(t.value),
      })),
    ),
  };
}

/** Fitted trees back from JSON. */
export function boostedFromJson(kind: string, fitted: { [key: string]: JsonValue }): BoostedTrees {
  const baseline = stateNumbers(kind, fitted, "baseline");
  const features = stateNumber(kind, fitted, "features");
  const treesValue = fitted.trees;
  if (!Array.isArray(treesValue)) throw new FormatError(`${kind}.fromJSON: fitted.trees must be an array`);
  const trees = treesValue.map((iteration) => {
    if (!Array.isArray(iteration) || iteration.length !== baseline.length)
      throw new FormatError(`${kind}.fromJSON: each iteration must hold ${baseline.length} trees`);
    return iteration.map((t) => {
      if (typeof t !== "object" || t === null || Array.isArray(t))
        throw new FormatError(`${kind}.fromJSON: a tree must be an object`);
      const thresholdValue = t.threshold;
      const threshold = Array.isArray(thresholdValue)
        ? Float64Array.from(thresholdValue, (v) => (v === null ? Number.POSITIVE_INFINITY : Number(v)))
        : new Float64Array(0);
      const feature = Int32Array.from(stateNumbers(kind, t, "feature"));
      const size = feature.length;
      const left = Int32Array.from(stateNumbers(kind, t, "left", size));
      const right = Int32Array.from(stateNumbers(kind, t, "right", size));
      // Children after their parent: a loaded tree can neither loop nor read past its arrays.
      for (let i = 0; i < size; i++) {
        if (feature[i]! < 0) continue;
        const ok = feature[i]! < features && [left[i]!, right[i]!].every((c) => c > i && c < size);
        if (!ok || threshold.length !== size)
          throw new FormatError(`${kind}.fromJSON: tree node ${i} is malformed`);
      }
      return {
        feature,
        threshold,
        binThreshold: new Int32Array(size),
        left,
        right,
        value: stateNumbers(kind, t, "value", size),
      };
    });
  });
  return {
    baseline,
    trees,
    features,
    featureImportances: stateNumbers(kind, fitted, "featureImportances"),
    validationScores: [],
  };
}
