// ml/mlp-regressor: a multi-layer perceptron regressor (scikit-learn's MLPRegressor defaults,
// ml/mlp's network): identity output, half squared error.
import { Tensor } from "../tensor/tensor.js";
import { checkState, type EstimatorState, makeState, requireFitted } from "./estimator.js";
import { type MatrixInput, toMatrix, toVector, type VectorInput } from "./matrix.js";
import {
  type MLPNetwork,
  type MLPOptions,
  mlpParams,
  networkFromJson,
  networkToJson,
  predictNetwork,
  trainMLP,
} from "./mlp.js";
import { generatorFor } from "./params.js";
import { predictionR2 } from "./regression-base.js";

/**
 * Multi-layer perceptron regressor.
 * @example
 * const mlp = new MLPRegressor({ hiddenLayerSizes: [64], maxIter: 500, seed: 0 }).fit(x, y);
 */
export class MLPRegressor {
  static readonly kind = "MLPRegressor";
  private readonly options: MLPOptions;
  private net: MLPNetwork | null = null;

  constructor(options: MLPOptions = {}) {
    mlpParams(MLPRegressor.kind, options);
    this.options = { ...options };
  }

  getParams(): MLPOptions {
    return { ...this.options };
  }

  fit(xInput: MatrixInput, yInput: VectorInput): this {
    const op = "MLPRegressor.fit";
    const x = toMatrix(op, xInput);
    const y = toVector(op, yInput, x.rows);
    this.net = trainMLP(
      x,
      { rows: x.rows, cols: 1, data: y },
      "identity",
      mlpParams(op, this.options),
      generatorFor(this.options.seed),
    );
    return this;
  }

  /** Predictions, a float64 tensor [n]. */
  predict(xInput: MatrixInput): Tensor {
    const op = "MLPRegressor.predict";
    const net = requireFitted(op, this.net);
    const out = predictNetwork(op, net, xInput);
    return new Tensor(out.data, [out.rows]);
  }

  /** R^2 on (X, y). */
  score(xInput: MatrixInput, y: VectorInput): number {
    return predictionR2("MLPRegressor.score", this.predict(xInput), y);
  }

  toJSON(): EstimatorState {
    return makeState(MLPRegressor.kind, this.getParams(), this.net === null ? null : networkToJson(this.net));
  }

  static fromJSON(state: EstimatorState): MLPRegressor {
    const est = new MLPRegressor(state.params as MLPOptions);
    const fitted = checkState(MLPRegressor.kind, state);
    if (fitted !== null) est.net = networkFromJson(MLPRegressor.kind, fitted);
    return est;
  }
}
