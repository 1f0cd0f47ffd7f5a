// ml/hist-gradient-boosting-base: what HistGradientBoostingClassifier and ...Regressor share: the
// checked options, getParams, and the fitted ensemble's iteration count, feature importances and
// validation scores (each read fails with "<kind>.<getter>" before fit).
import { requireFitted } from "./estimator.js";
import {
  type BoostedTrees,
  boostingParams,
  type HistGradientBoostingOptions,
} from "./hist-gradient-boosting.js";

export abstract class HistGradientBoostingBase<F extends BoostedTrees> {
  protected readonly options: HistGradientBoostingOptions;
  protected readonly params: ReturnType<typeof boostingParams>;
  protected fitted: F | null = null;
  readonly #kind: string;

  protected constructor(kind: string, options: HistGradientBoostingOptions) {
    this.params = boostingParams(kind, options);
    this.options = { ...options };
    this.#kind = kind;
  }

  getParams(): HistGradientBoostingOptions {
    return { ...this.options };
  }

  /** Iterations run (fewer than maxIter when early stopping stopped it). */
  get nIter(): number {
    return requireFitted(`${this.#kind}.nIter`, this.fitted).trees.length;
  }

  /** Share of the total split gain per feature (sums to 1). */
  get featureImportances(): Float64Array {
    return requireFitted(`${this.#kind}.featureImportances`, this.fitted).featureImportances;
  }

  /** Minus the loss per iteration (baseline first), on the validation split when early stopping. */
  get validationScores(): number[] {
    return requireFitted(`${this.#kind}.validationScores`, this.fitted).validationScores;
  }
}
