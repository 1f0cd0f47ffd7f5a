// ml/hist-gradient-boosting-regressor: gradient-boosted trees on binned features for regression
// (scikit-learn's HistGradientBoostingRegressor with the squared-error loss).
import { Tensor } from "../tensor/tensor.js";
import { checkState, type EstimatorState, makeState } from "./estimator.js";
import {
  type BoostedTrees,
  boostedFromJson,
  boostedToJson,
  fitBoosting,
  type HistGradientBoostingOptions,
} from "./hist-gradient-boosting.js";
import { HistGradientBoostingBase } from "./hist-gradient-boosting-base.js";
import { type MatrixInput, toMatrix, toVector, type VectorInput } from "./matrix.js";
import { predictionR2 } from "./regression-base.js";

/**
 * Histogram gradient-boosted trees regressor.
 * @example
 * const gbm = new HistGradientBoostingRegressor({ learningRate: 0.05 }).fit(x, y);
 * gbm.predict(xTest); gbm.score(xTest, yTest); // R^2
 */
export class HistGradientBoostingRegressor extends HistGradientBoostingBase<BoostedTrees> {
  static readonly kind = "HistGradientBoostingRegressor";

  constructor(options: HistGradientBoostingOptions = {}) {
    super(HistGradientBoostingRegressor.kind, options);
  }

  fit(xInput: MatrixInput, yInput: VectorInput): this {
    const op = "HistGradientBoostingRegressor.fit";
    const x = toMatrix(op, xInput);
    this.fitted = fitBoosting(op, this.params, x, toVector(op, yInput, x.rows), "squared_error", 1);
    return this;
  }

  /** Predictions, a float64 tensor [n]. */
  predict(xInput: MatrixInput): Tensor {
    const { raw, rows } = this.rawScores("HistGradientBoostingRegressor.predict", xInput);
    return new Tensor(raw[0]!, [rows]);
  }

  /** R^2 on (X, y). */
  score(xInput: MatrixInput, y: VectorInput): number {
    return predictionR2("HistGradientBoostingRegressor.score", this.predict(xInput), y);
  }

  toJSON(): EstimatorState {
    const f = this.fitted;
    return makeState(
      HistGradientBoostingRegressor.kind,
      this.getParams(),
      f === null ? null : boostedToJson(f),
    );
  }

  static fromJSON(state: EstimatorState): HistGradientBoostingRegressor {
    const kind = HistGradientBoostingRegressor.kind;
    const est = new HistGradientBoostingRegressor(state.params as HistGradientBoostingOptions);
    const fitted = checkState(kind, state);
    if (fitted !== null) est.fitted = boostedFromJson(kind, fitted);
    return est;
  }
}
