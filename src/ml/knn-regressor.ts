// ml/knn-regressor: k-nearest-neighbours regression (scikit-learn's KNeighborsRegressor, brute-force
// Euclidean search): the mean of the k nearest targets, uniform or weighted by inverse distance.
import { Tensor } from "../tensor/tensor.js";
import {
  checkState,
  type EstimatorState,
  makeState,
  requireFitted,
  stateNumber,
  stateNumbers,
  toNumbers,
} from "./estimator.js";
import type { KNeighborsOptions } from "./knn-classifier.js";
import {
  checkFeatures,
  type Matrix,
  type MatrixInput,
  toMatrix,
  toVector,
  type VectorInput,
} from "./matrix.js";
import { kNearest, type NeighborWeights, neighborWeights } from "./neighbors.js";
import { choiceOption, intOption } from "./params.js";
import { r2Score } from "./regression-base.js";

/**
 * k-nearest-neighbours regressor.
 * @example
 * const knn = new KNeighborsRegressor({ nNeighbors: 5, weights: "distance" }).fit(xTrain, yTrain);
 */
export class KNeighborsRegressor {
  static readonly kind = "KNeighborsRegressor";
  readonly nNeighbors: number;
  readonly weights: NeighborWeights;
  private fitted: { x: Matrix; y: Float64Array } | null = null;

  constructor(options: KNeighborsOptions = {}) {
    this.nNeighbors = intOption(KNeighborsRegressor.kind, "nNeighbors", options.nNeighbors, 5);
    this.weights = choiceOption(KNeighborsRegressor.kind, "weights", options.weights, "uniform", [
      "uniform",
      "distance",
    ]);
  }

  getParams(): KNeighborsOptions {
    return { nNeighbors: this.nNeighbors, weights: this.weights };
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
    const query = toMatrix(op, xInput);
    checkFeatures(op, query, fitted.x.cols);
    const k = this.nNeighbors;
    const { indices, distances } = kNearest(fitted.x, query, k);
    const out = new Float64Array(query.rows);
    const w = new Float64Array(k);
    for (let q = 0; q < query.rows; q++) {
      neighborWeights(distances, q * k, k, this.weights, w);
      let sum = 0;
      let total = 0;
      for (let s = 0; s < k; s++) {
        sum += w[s]! * fitted.y[indices[q * k + s]!]!;
        total += w[s]!;
      }
      out[q] = sum / total;
    }
    return new Tensor(out, [query.rows]);
  }

  /** R^2 on (X, y). */
  score(xInput: MatrixInput, y: VectorInput): number {
    const predicted = this.predict(xInput).data;
    return r2Score(predicted, toVector("KNeighborsRegressor.score", y, predicted.length));
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
      const cols = stateNumber(kind, fitted, "features");
      const data = stateNumbers(kind, fitted, "x");
      est.fitted = {
        x: { rows: data.length / cols, cols, data },
        y: stateNumbers(kind, fitted, "y", data.length / cols),
      };
    }
    return est;
  }
}
