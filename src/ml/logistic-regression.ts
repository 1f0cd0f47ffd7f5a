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
function logits(x: Matrix, coef: Matrix, intercept: Float64Array): Float64Array {
  const z = matmulMatrix(x, coef, { transposeB: true }).data;
  const k = coef.rows;
  for (let i = 0; i < x.rows; i++) for (let c = 0; c < k; c++) z[i * k + c]! += intercept[c]!;
  return z;
}

/** log(1 + exp(v)) without overflow. */
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
    const residual = new Float64Array(n * k);
    const zeroIntercept = new Float64Array(k);
    // theta = [W (K x d) row-major, b (K)]
    const objective = (theta: Float64Array, grad: Float64Array): number => {
      const intercept = this.fitIntercept ? theta.subarray(weightCount) : zeroIntercept;
      const z = logits(x, { rows: k, cols: d, data: theta.slice(0, weightCount) }, intercept);
      let loss = 0;
      for (let i = 0; i < n; i++) {
        const yi = codes[i]!;
        if (k === 1) {
          const v = z[i]!;
          loss += yi === 1 ? softplus(-v) : softplus(v);
          residual[i] = 1 / (1 + Math.exp(-v)) - yi;
          continue;
        }
        let max = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < k; c++) max = Math.max(max, z[i * k + c]!);
        let sum = 0;
        for (let c = 0; c < k; c++) sum += residual[i * k + c] = Math.exp(z[i * k + c]! - max);
        loss += max + Math.log(sum) - z[i * k + yi]!;
        for (let c = 0; c < k; c++) residual[i * k + c] = residual[i * k + c]! / sum - (c === yi ? 1 : 0);
      }
      grad.fill(0);
      let norm = 0;
      // dW = R^T X, [K, d]; db = column sums of R.
      grad.set(matmulMatrix({ rows: n, cols: k, data: residual }, x, { transposeA: true }).data);
      if (this.fitIntercept) {
        for (let i = 0; i < n; i++)
          for (let c = 0; c < k; c++) grad[weightCount + c]! += residual[i * k + c]!;
      }
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
