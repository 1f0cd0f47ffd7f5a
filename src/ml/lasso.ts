// ml/lasso: L1-regularised linear regression, ElasticNet with l1Ratio fixed at 1 (scikit-learn's
// Lasso): 1 / (2n) ||y - X w - b||^2 + alpha ||w||_1.

import { ElasticNet, type ElasticNetOptions } from "./elastic-net.js";
import { checkState, type EstimatorState } from "./estimator.js";

export type LassoOptions = Omit<ElasticNetOptions, "l1Ratio">;

/**
 * Lasso regression.
 * @example
 * const m = new Lasso({ alpha: 0.1 }).fit(x, y); m.coef; // some exactly 0
 */
export class Lasso extends ElasticNet {
  static override readonly kind: string = "Lasso";

  constructor(options: LassoOptions = {}) {
    super({ ...options, l1Ratio: 1 }, Lasso.kind);
  }

  override getParams(): LassoOptions {
    const { alpha, fitIntercept, maxIter, tol } = this;
    return { alpha, fitIntercept, maxIter, tol };
  }

  static override fromJSON(state: EstimatorState): Lasso {
    return new Lasso(state.params as LassoOptions).restore(checkState(Lasso.kind, state));
  }
}
