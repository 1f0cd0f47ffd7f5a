// ml/logistic-regression: L2-regularised logistic regression with scikit-learn 1.2's lbfgs
// semantics: minimises the mean log-loss + ||W||^2 / (2 C n) (the same minimiser as C * sum of
// log-losses + ||W||^2 / 2; the mean makes tol mean what it does in scikit-learn), intercepts not
// penalised, binary
// problems with one coefficient row, three or more classes multinomial (softmax). Shapes: X [n, d],
// W [K, d], b [K], with K = 1 for two classes.
import type { Labels, LabelValue } from "../data/split/labels.js";
import { Tensor } from "../tensor/tensor.js";
import {
  accuracyFromProba,
  encodeTargets,
  labelsFromProba,
  probabilitiesFromScores,
  stateClasses,
} from "./classes.js";
import {
  checkState,
  type EstimatorState,
  makeState,
  requireFitted,
  stateNumbers,
  toNumbers,
} from "./estimator.js";
import { minimizeLbfgs } from "./lbfgs.js";
import { checkFeatures, type Matrix, type MatrixInput, matmulMatrix, toMatrix } from "./matrix.js";
import { choiceOption, intOption, positiveOption } from "./params.js";

export interface LogisticRegressionOptions {
  /** Inverse regularisation strength (default 1; larger means weaker L2). */
  C?: number;
  /** "l2" (default) or "none". */
  penalty?: "l2" | "none";
  /** Learn an intercept per class (default true). */
  fitIntercept?: boolean;
  /** L-BFGS iterations at most (default 100). */
  maxIter?: number;
  /** Stop when the largest gradient entry is at most tol (default 1e-4). */
  tol?: number;
}

interface Fitted {
  classes: LabelValue[];
  /** [K, d] */
  coef: Matrix;
  /** [K] */
  intercept: Float64Array;
}

/** Logits X W^T + b, [n, K]. */
/** Class scores, class-major: z[c * n + i] for row i (coef . x^T is one GEMM with a wide output). */
function logitsByClass(x: Matrix, coef: Matrix, intercept: Float64Array): Float64Array {
  // NOTE: the (k, n) product is ~2.5x faster than x . coef^T's (n, k) for few classes: a GEMM
  // tile wastes most of its columns on a 10-wide output.
  const z = matmulMatrix(coef, x, { transposeB: true }).data; // (k, n)
  const n = x.rows;
  for (let c = 0; c < coef.rows; c++) {
    const b = intercept[c]!;
    if (b !== 0) for (let i = c * n; i < (c + 1) * n; i++) z[i]! += b;
  }
  return z;
}

/** Class scores row-major (n, k). */
function logits(x: Matrix, coef: Matrix, intercept: Float64Array): Float64Array {
  const byClass = logitsByClass(x, coef, intercept);
  const n = x.rows;
  const k = coef.rows;
  const z = new Float64Array(n * k);
  for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) z[i * k + c] = byClass[c * n + i]!;
  return z;
}

const softplus = (v: number): number => (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));

/**
 * Logistic regression classifier.
 * @example
 * const clf = new LogisticRegression({ C: 1 }).fit(x, species);
 * clf.predict(x); clf.predictProba(x); clf.score(x, species);
 */
export class LogisticRegression {
  static readonly kind = "LogisticRegression";
  readonly C: number;
  readonly penalty: "l2" | "none";
  readonly fitIntercept: boolean;
  readonly maxIter: number;
  readonly tol: number;
  private fitted: Fitted | null = null;
  /** L-BFGS iterations of the last fit. */
  nIter = 0;

  constructor(options: LogisticRegressionOptions = {}) {
    const op = LogisticRegression.kind;
    this.C = positiveOption(op, "C", options.C, 1);
    this.penalty = choiceOption(op, "penalty", options.penalty, "l2", ["l2", "none"]);
    this.fitIntercept = options.fitIntercept ?? true;
    this.maxIter = intOption(op, "maxIter", options.maxIter, 100);
    this.tol = positiveOption(op, "tol", options.tol, 1e-4);
  }

  getParams(): LogisticRegressionOptions {
    const { C, penalty, fitIntercept, maxIter, tol } = this;
    return { C, penalty, fitIntercept, maxIter, tol };
  }

  /** The sorted class labels. */
  get classes(): LabelValue[] {
    return requireFitted("LogisticRegression.classes", this.fitted).classes;
  }

  /** Coefficients [K, d] (K = 1 for a binary problem, like scikit-learn's coef_). */
  get coef(): Matrix {
    return requireFitted("LogisticRegression.coef", this.fitted).coef;
  }

  /** Intercepts [K]. */
  get intercept(): Float64Array {
    return requireFitted("LogisticRegression.intercept", this.fitted).intercept;
  }

  fit(xInput: MatrixInput, y: Labels): this {
    const op = "LogisticRegression.fit";
    const x = toMatrix(op, xInput);
    const { codes, classes } = encodeTargets(op, y, x.rows);
    const { rows: n, cols: d } = x;
    const k = classes.length === 2 ? 1 : classes.length;
    const penalty = this.penalty === "l2" ? 1 / (this.C * n) : 0;
    const weightCount = k * d;
    const residual = new Float64Array(k * n);
    const rowMax = new Float64Array(n);
    const rowSum = new Float64Array(n);
    const zeroIntercept = new Float64Array(k);
    // theta = [W (K x d) row-major, b (K)]
    // residual (k, n) class-major: p - onehot(y), so grad W = residual . x (one GEMM, no transpose).
    const objective = (theta: Float64Array, grad: Float64Array): number => {
      const intercept = this.fitIntercept ? theta.subarray(weightCount) : zeroIntercept;
      const z = logitsByClass(x, { rows: k, cols: d, data: theta.subarray(0, weightCount) }, intercept);
      let loss = 0;
      if (k === 1) {
        for (let i = 0; i < n; i++) {
          const v = z[i]!;
          loss += codes[i] === 1 ? softplus(-v) : softplus(v);
          residual[i] = 1 / (1 + Math.exp(-v)) - codes[i]!;
        }
      } else {
        // Row-wise log-sum-exp over the k class rows of z.
        const max = rowMax.fill(Number.NEGATIVE_INFINITY);
        for (let c = 0; c < k; c++) {
          const o = c * n;
          for (let i = 0; i < n; i++) if (z[o + i]! > max[i]!) max[i] = z[o + i]!;
        }
        const sum = rowSum.fill(0);
        for (let c = 0; c < k; c++) {
          const o = c * n;
          for (let i = 0; i < n; i++) {
            const e = Math.exp(z[o + i]! - max[i]!);
            residual[o + i] = e;
            sum[i]! += e;
          }
        }
        for (let i = 0; i < n; i++) {
          const yi = codes[i]!;
          loss += max[i]! + Math.log(sum[i]!) - z[yi * n + i]!;
          const inverse = 1 / sum[i]!;
          for (let c = 0; c < k; c++) residual[c * n + i]! *= inverse;
          residual[yi * n + i]! -= 1;
        }
      }
      grad.set(matmulMatrix({ rows: k, cols: n, data: residual }, x).data);
      if (this.fitIntercept) {
        for (let c = 0; c < k; c++) {
          let total = 0;
          for (let i = c * n; i < (c + 1) * n; i++) total += residual[i]!;
          grad[weightCount + c] = total;
        }
      }
      let norm = 0;
      for (let q = 0; q < weightCount; q++) {
        norm += theta[q]! * theta[q]!;
        grad[q] = grad[q]! / n + penalty * theta[q]!;
      }
      for (let q = weightCount; q < grad.length; q++) grad[q]! /= n;
      return loss / n + 0.5 * penalty * norm;
    };
    const size = weightCount + (this.fitIntercept ? k : 0);
    const result = minimizeLbfgs(objective, new Float64Array(size), {
      maxIter: this.maxIter,
      gtol: this.tol,
    });
    this.nIter = result.nIter;
    const intercept = this.fitIntercept ? result.x.slice(weightCount) : new Float64Array(k);
    this.fitted = { classes, coef: { rows: k, cols: d, data: result.x.slice(0, weightCount) }, intercept };
    return this;
  }

  /** Raw scores X W^T + b, [n, K]. */
  decisionFunction(xInput: MatrixInput): Tensor {
    const op = "LogisticRegression.decisionFunction";
    const fitted = requireFitted(op, this.fitted);
    const x = toMatrix(op, xInput);
    checkFeatures(op, x, fitted.coef.cols);
    const z = logits(x, fitted.coef, fitted.intercept);
    return new Tensor(z, [x.rows, fitted.coef.rows]);
  }

  /** Class probabilities [n, classes]. */
  predictProba(xInput: MatrixInput): Tensor {
    const scores = this.decisionFunction(xInput);
    return probabilitiesFromScores(scores.data as Float64Array, scores.shape[0]!, this.classes.length);
  }

  /** The most probable class of each row. */
  predict(xInput: MatrixInput): LabelValue[] {
    return labelsFromProba(this.predictProba(xInput), this.classes);
  }

  /** Accuracy on (X, y). */
  score(xInput: MatrixInput, y: Labels): number {
    return accuracyFromProba("LogisticRegression.score", this.predictProba(xInput), this.classes, y);
  }

  toJSON(): EstimatorState {
    const f = this.fitted;
    return makeState(
      LogisticRegression.kind,
      this.getParams(),
      f === null
        ? null
        : {
            classes: f.classes,
            features: f.coef.cols,
            coef: toNumbers(f.coef.data),
            intercept: toNumbers(f.intercept),
          },
    );
  }

  static fromJSON(state: EstimatorState): LogisticRegression {
    const kind = LogisticRegression.kind;
    const est = new LogisticRegression(state.params as LogisticRegressionOptions);
    const fitted = checkState(kind, state);
    if (fitted !== null) {
      const classes = stateClasses(kind, fitted.classes);
      const k = classes.length === 2 ? 1 : classes.length;
      const d = stateNumbers(kind, fitted, "coef").length / k;
      est.fitted = {
        classes,
        coef: { rows: k, cols: d, data: stateNumbers(kind, fitted, "coef", k * d) },
        intercept: stateNumbers(kind, fitted, "intercept", k),
      };
    }
    return est;
  }
}
