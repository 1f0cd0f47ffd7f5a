// ml/hist-gradient-boosting-classifier: gradient-boosted trees on binned features for
// classification (scikit-learn's HistGradientBoostingClassifier): binary log-loss with one tree
// per iteration, multiclass (softmax) log-loss with one tree per class per iteration.
import type { Labels, LabelValue } from "../data/split/labels.js";
import type { Tensor } from "../tensor/tensor.js";
import {
  accuracyFromProba,
  encodeTargets,
  labelsFromProba,
  probabilitiesFromScores,
  stateClasses,
} from "./classes.js";
import { checkState, type EstimatorState, makeState, requireFitted } from "./estimator.js";
import {
  type BoostedTrees,
  boostedFromJson,
  boostedToJson,
  fitBoosting,
  type HistGradientBoostingOptions,
} from "./hist-gradient-boosting.js";
import { HistGradientBoostingBase } from "./hist-gradient-boosting-base.js";
import { type MatrixInput, toMatrix } from "./matrix.js";

/**
 * Histogram gradient-boosted trees classifier.
 * @example
 * const gbm = new HistGradientBoostingClassifier({ maxIter: 200, earlyStopping: true }).fit(x, y);
 * gbm.score(xTest, yTest); gbm.featureImportances;
 */
export class HistGradientBoostingClassifier extends HistGradientBoostingBase<
  BoostedTrees & { classes: LabelValue[] }
> {
  static readonly kind = "HistGradientBoostingClassifier";

  constructor(options: HistGradientBoostingOptions = {}) {
    super(HistGradientBoostingClassifier.kind, options);
  }

  get classes(): LabelValue[] {
    return requireFitted("HistGradientBoostingClassifier.classes", this.fitted).classes;
  }

  fit(xInput: MatrixInput, y: Labels): this {
    const op = "HistGradientBoostingClassifier.fit";
    const x = toMatrix(op, xInput);
    const { codes, classes } = encodeTargets(op, y, x.rows);
    const k = classes.length === 2 ? 1 : classes.length;
    const trees = fitBoosting(op, this.params, x, Float64Array.from(codes), "log_loss", k);
    this.fitted = { ...trees, classes };
    return this;
  }

  /** Class probabilities [n, classes]. */
  predictProba(xInput: MatrixInput): Tensor {
    const op = "HistGradientBoostingClassifier.predictProba";
    // raw is [K][n]; the scores go row-major [n, K].
    const { fitted, raw, rows } = this.rawScores(op, xInput);
    const k = raw.length;
    const scores = new Float64Array(rows * k);
    for (let i = 0; i < rows; i++) for (let c = 0; c < k; c++) scores[i * k + c] = raw[c]![i]!;
    return probabilitiesFromScores(scores, rows, fitted.classes.length);
  }

  /** The most probable class of each row. */
  predict(xInput: MatrixInput): LabelValue[] {
    return labelsFromProba(this.predictProba(xInput), this.classes);
  }

  /** Accuracy on (X, y). */
  score(xInput: MatrixInput, y: Labels): number {
    return accuracyFromProba(
      "HistGradientBoostingClassifier.score",
      this.predictProba(xInput),
      this.classes,
      y,
    );
  }

  toJSON(): EstimatorState {
    const f = this.fitted;
    return makeState(
      HistGradientBoostingClassifier.kind,
      this.getParams(),
      f === null ? null : { ...boostedToJson(f), classes: f.classes },
    );
  }

  static fromJSON(state: EstimatorState): HistGradientBoostingClassifier {
    const kind = HistGradientBoostingClassifier.kind;
    const est = new HistGradientBoostingClassifier(state.params as HistGradientBoostingOptions);
    const fitted = checkState(kind, state);
    if (fitted !== null)
      est.fitted = { ...boostedFromJson(kind, fitted), classes: stateClasses(kind, fitted.classes) };
    return est;
  }
}
