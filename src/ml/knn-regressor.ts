// ml/knn-regressor: k-nearest-neighbours regression (scikit-learn's KNeighborsRegressor, brute-force
// Euclidean search): the mean of the k nearest targets, uniform or weighted by inverse distance.
import { Tensor } from "../tensor/tensor.js";
import {
  checkState,
  type EstimatorState,
  makeState,
  requireFitted,
  stateNumbers,
  toNumbers,
} from "./estimator.js";
import { type Matrix, type MatrixInput, toMatrix, toVector, type VectorInput } from "./matrix.js";
import {
  KNeighborsBase,
  type KNeighborsOptions,
  trainingRowsFromState,
  visitNeighbors,
} from "./neighbors.js";
import { predictionR2 } from "./regression-base.js";

/**
 * k-nearest-neighbours regressor.
 * @example
 * const knn = new KNeighborsRegressor({ nNeighbors: 5, weights: "distance" }).fit(xTrain, yTrain);
 */
export class KNeighborsRegressor extends KNeighborsBase {
  static readonly kind = "KNeighborsRegressor";
  private fitted: { x: Matrix; y: Float64Array } | null = null;

  constructor(options: KNeighborsOptions = {}) {
    super(KNeighborsRegressor.kind, options);
  }

  fit(xInput: MatrixInput, yInput: VectorInput): this {
    const op = "KNeighborsRegressor.fit";
    const x = toMatrix(op, xInput);
    this.fitted = { x, y: toVector(op, yInput, x.rows) };
    return this;
  }

  /** Predictions, a float64 tensor [n]. */
  predict(xInput: MatrixInput): Tensor {
    const op = "KNeighborsRegressor.predict";
    const fitted = requireFitted(op, this.fitted);
    const out: number[] = [];
    const rows = visitNeighbors(op, fitted.x, xInput, this.nNeighbors, this.weights, (_q, neighbors, w) => {
      let sum = 0;
      let total = 0;
      neighbors.forEach((row, s) => {
        sum += w[s]! * fitted.y[row]!;
        total += w[s]!;
      });
      out.push(sum / total);
    });
    return new Tensor(Float64Array.from(out), [rows]);
  }

  /** R^2 on (X, y). */
  score(xInput: MatrixInput, y: VectorInput): number {
    return predictionR2("KNeighborsRegressor.score", this.predict(xInput), y);
  }

  toJSON(): EstimatorState {
    const f = this.fitted;
    return makeState(
      KNeighborsRegressor.kind,
      this.getParams(),
      f === null ? null : { features: f.x.cols, x: toNumbers(f.x.data), y: toNumbers(f.y) },
    );
  }

  static fromJSON(state: EstimatorState): KNeighborsRegressor {
    const kind = KNeighborsRegressor.kind;
    const est = new KNeighborsRegressor(state.params as KNeighborsOptions);
    const fitted = checkState(kind, state);
    if (fitted !== null) {
      const x = trainingRowsFromState(kind, fitted);
      est.fitted = { x, y: stateNumbers(kind, fitted, "y", x.rows) };
    }
    return est;
  }
}
