// ml/linear-regression: ordinary least squares (scikit-learn's LinearRegression): the
// minimum-norm solution of min ||X w - y|| on centred data through ops/linalg's SVD-based lstsq
// (no normal equations), so rank-deficient X still gets an answer.
import { dense, lstsq } from "../ops/linalg/dense.js";
import { checkState, type EstimatorState } from "./estimator.js";
import { type MatrixInput, toMatrix, toVector, type VectorInput } from "./matrix.js";
import { centred, interceptFor, LinearRegressor } from "./regression-base.js";

export interface LinearRegressionOptions {
  /** Learn an intercept (default true). */
  fitIntercept?: boolean;
}

/**
 * Least-squares linear regression.
 * @example
 * const ols = new LinearRegression().fit(x, y); ols.coef; ols.score(x, y); // R^2
 */
export class LinearRegression extends LinearRegressor {
  static readonly kind = "LinearRegression";
  readonly kindName = LinearRegression.kind;
  readonly fitIntercept: boolean;
  /** Rank of the centred X seen by the last fit. */
  rank = 0;

  constructor(options: LinearRegressionOptions = {}) {
    super();
    this.fitIntercept = options.fitIntercept ?? true;
  }

  getParams(): LinearRegressionOptions {
    return { fitIntercept: this.fitIntercept };
  }

  fit(xInput: MatrixInput, yInput: VectorInput): this {
    const op = "LinearRegression.fit";
    const raw = toMatrix(op, xInput);
    const c = centred(raw, toVector(op, yInput, raw.rows), this.fitIntercept);
    const result = lstsq(dense(c.x.rows, c.x.cols, c.x.data), dense(c.y.length, 1, c.y));
    this.rank = result.rank;
    const coef = Float64Array.from(result.solution.data);
    this.fitted = { coef, intercept: interceptFor(coef, c.xMean, c.yMean) };
    return this;
  }

  static fromJSON(state: EstimatorState): LinearRegression {
    return new LinearRegression(state.params as LinearRegressionOptions).restore(
      checkState(LinearRegression.kind, state),
    );
  }
}
