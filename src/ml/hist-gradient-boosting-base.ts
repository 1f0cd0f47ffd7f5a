// ml/hist-gradient-boosting-base: what HistGradientBoostingClassifier and ...Regressor share: the
// checked options, getParams, and the fitted ensemble's iteration count, feature importances and
// validation scores (each read fails with "<kind>.<getter>" before fit), and the raw scores of X.
import { requireFitted } from "./estimator.js";
import {
  type BoostedTrees,
  boostingParams,
  type HistGradientBoostingOptions,
  predictRaw,
} from "./hist-gradient-boosting.js";
import { checkFeatures, type MatrixInput, toMatrix } from "./matrix.js";

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

  /** The fitted ensemble and its raw scores of X ([K][n]), X checked against the fitted features. */
  protected rawScores(op: string, xInput: MatrixInput): { fitted: F; raw: Float64Array[]; rows: number } {
    const fitted = requireFitted(op, this.fitted);
    const x = toMatrix(op, xInput);
    checkFeatures(op, x, fitted.features);
    return { fitted, raw: predictRaw(fitted, x), rows: x.rows };
  }
}
