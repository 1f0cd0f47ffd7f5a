// ml/regression-base: what the linear regressors share: centring for the intercept, prediction
// X w + b, the R^2 score and the JSON state of (coef, intercept).
import { Tensor } from "../tensor/tensor.js";
import {
  type EstimatorState,
  type JsonValue,
  makeState,
  requireFitted,
  stateNumber,
  stateNumbers,
  toNumbers,
} from "./estimator.js";
import {
  checkFeatures,
  columnMeans,
  type Matrix,
  type MatrixInput,
  toMatrix,
  toVector,
  type VectorInput,
} from "./matrix.js";

/** A fitted linear model: coef [d] and intercept. */
export interface LinearFit {
  coef: Float64Array;
  intercept: number;
}

/** X and y centred on their means (zero means when fitIntercept is false). */
export function centred(
  x: Matrix,
  y: Float64Array,
  fitIntercept: boolean,
): { x: Matrix; y: Float64Array; xMean: Float64Array; yMean: number } {
  const xMean = fitIntercept ? columnMeans(x) : new Float64Array(x.cols);
  let yMean = 0;
  if (fitIntercept) {
    for (const v of y) yMean += v;
    yMean /= y.length;
  }
  const data = x.data.slice();
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) data[i * x.cols + j]! -= xMean[j]!;
  return { x: { rows: x.rows, cols: x.cols, data }, y: y.map((v) => v - yMean), xMean, yMean };
}

/** intercept = mean(y) - mean(X) . w */
export function interceptFor(coef: Float64Array, xMean: Float64Array, yMean: number): number {
  let s = yMean;
  for (let j = 0; j < coef.length; j++) s -= xMean[j]! * coef[j]!;
  return s;
}

/** Coefficient of determination 1 - SS_res / SS_tot. */
export function r2Score(predicted: ArrayLike<number>, actual: Float64Array): number {
  let mean = 0;
  for (const v of actual) mean += v;
  mean /= actual.length;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < actual.length; i++) {
    residual += (actual[i]! - predicted[i]!) ** 2;
    total += (actual[i]! - mean) ** 2;
  }
  return total === 0 ? (residual === 0 ? 1 : 0) : 1 - residual / total;
}

/** A regressor's score: R^2 of its predictions against y (checked as a vector of their length). */
export function predictionR2(op: string, predictions: Tensor, y: VectorInput): number {
  const predicted = predictions.data;
  return r2Score(predicted, toVector(op, y, predicted.length));
}

/** Base of LinearRegression, Ridge, Lasso and ElasticNet: predict, score, state. */
export abstract class LinearRegressor {
  protected fitted: LinearFit | null = null;
  abstract readonly kindName: string;

  /** Coefficients [d]. */
  get coef(): Float64Array {
    return requireFitted(`${this.kindName}.coef`, this.fitted).coef;
  }

  get intercept(): number {
    return requireFitted(`${this.kindName}.intercept`, this.fitted).intercept;
  }

  abstract getParams(): object;

  /** Predictions X w + b, a float64 tensor [n]. */
  predict(xInput: MatrixInput): Tensor {
    const op = `${this.kindName}.predict`;
    const { coef, intercept } = requireFitted(op, this.fitted);
    const x = toMatrix(op, xInput);
    checkFeatures(op, x, coef.length);
    const out = new Float64Array(x.rows);
    for (let i = 0; i < x.rows; i++) {
      let s = intercept;
      for (let j = 0; j < x.cols; j++) s += x.data[i * x.cols + j]! * coef[j]!;
      out[i] = s;
    }
    return new Tensor(out, [x.rows]);
  }

  /** R^2 on (X, y). */
  score(xInput: MatrixInput, y: VectorInput): number {
    return predictionR2(`${this.kindName}.score`, this.predict(xInput), y);
  }

  toJSON(): EstimatorState {
    const f = this.fitted;
    const fitted: { [key: string]: JsonValue } | null =
      f === null ? null : { coef: toNumbers(f.coef), intercept: f.intercept };
    return makeState(this.kindName, this.getParams(), fitted);
  }

  /** Restores coef and intercept from a state's fitted part. */
  protected restore(fitted: { [key: string]: JsonValue } | null): this {
    if (fitted !== null) {
      this.fitted = {
        coef: stateNumbers(this.kindName, fitted, "coef"),
        intercept: stateNumber(this.kindName, fitted, "intercept"),
      };
    }
    return this;
  }
}
