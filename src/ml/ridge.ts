// ml/ridge: L2-regularised least squares (scikit-learn's Ridge with its "cholesky" solver):
// minimises ||y - X w - b||^2 + alpha ||w||^2 by solving (Xc^T Xc + alpha I) w = Xc^T yc on
// centred data; alpha > 0 keeps the system positive definite.
import { dense, matmulDense, solve, transposeDense } from "../ops/linalg/dense.js";
import { checkState, type EstimatorState } from "./estimator.js";
import { type MatrixInput, toMatrix, toVector, type VectorInput } from "./matrix.js";
import { positiveOption } from "./params.js";
import { centred, interceptFor, LinearRegressor } from "./regression-base.js";

export interface RidgeOptions {
  /** Penalty strength (default 1). */
  alpha?: number;
  fitIntercept?: boolean;
}

/**
 * Ridge regression.
 * @example
 * const ridge = new Ridge({ alpha: 1 }).fit(x, y);
 */
export class Ridge extends LinearRegressor {
  static readonly kind = "Ridge";
  readonly kindName = Ridge.kind;
  readonly alpha: number;
  readonly fitIntercept: boolean;

  constructor(options: RidgeOptions = {}) {
    super();
    this.alpha = positiveOption(Ridge.kind, "alpha", options.alpha, 1);
    this.fitIntercept = options.fitIntercept ?? true;
  }

  getParams(): RidgeOptions {
    return { alpha: this.alpha, fitIntercept: this.fitIntercept };
  }

  fit(xInput: MatrixInput, yInput: VectorInput): this {
    const op = "Ridge.fit";
    const raw = toMatrix(op, xInput);
    const c = centred(raw, toVector(op, yInput, raw.rows), this.fitIntercept);
    const x = dense(c.x.rows, c.x.cols, c.x.data);
    const xt = transposeDense(x);
    const gram = matmulDense(xt, x);
    for (let j = 0; j < gram.cols; j++) gram.data[j * gram.cols + j]! += this.alpha;
    const coef = Float64Array.from(solve(gram, matmulDense(xt, dense(c.y.length, 1, c.y))).data);
    this.fitted = { coef, intercept: interceptFor(coef, c.xMean, c.yMean) };
    return this;
  }

  static fromJSON(state: EstimatorState): Ridge {
    return new Ridge(state.params as RidgeOptions).restore(checkState(Ridge.kind, state));
  }
}
