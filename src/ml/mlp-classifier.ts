// ml/mlp-classifier: a multi-layer perceptron classifier (scikit-learn's MLPClassifier defaults,
// ml/mlp's network): sigmoid output for two classes, softmax for more, log-loss.
import type { Labels, LabelValue } from "../data/split/labels.js";
import { Tensor } from "../tensor/tensor.js";
import { accuracyFromProba, encodeTargets, labelsFromProba, stateClasses } from "./classes.js";
import { checkState, type EstimatorState, makeState, requireFitted } from "./estimator.js";
import { type MatrixInput, toMatrix } from "./matrix.js";
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

/**
 * Multi-layer perceptron classifier.
 * @example
 * const mlp = new MLPClassifier({ hiddenLayerSizes: [64], seed: 0 }).fit(x, y); mlp.score(x, y);
 */
export class MLPClassifier {
  static readonly kind = "MLPClassifier";
  private readonly options: MLPOptions;
  private fitted: { net: MLPNetwork; classes: LabelValue[] } | null = null;

  constructor(options: MLPOptions = {}) {
    mlpParams(MLPClassifier.kind, options);
    this.options = { ...options };
  }

  getParams(): MLPOptions {
    return { ...this.options };
  }

  get classes(): LabelValue[] {
    return requireFitted("MLPClassifier.classes", this.fitted).classes;
  }

  fit(xInput: MatrixInput, y: Labels): this {
    const op = "MLPClassifier.fit";
    const x = toMatrix(op, xInput);
    const { codes, classes } = encodeTargets(op, y, x.rows);
    const k = classes.length === 2 ? 1 : classes.length;
    const targets = new Float64Array(x.rows * k);
    codes.forEach((c, i) => {
      if (k === 1) targets[i] = c;
      else targets[i * k + c] = 1;
    });
    const net = trainMLP(
      x,
      { rows: x.rows, cols: k, data: targets },
      k === 1 ? "sigmoid" : "softmax",
      mlpParams(op, this.options),
      generatorFor(this.options.seed),
    );
    this.fitted = { net, classes };
    return this;
  }

  /** Class probabilities [n, classes]. */
  predictProba(xInput: MatrixInput): Tensor {
    const op = "MLPClassifier.predictProba";
    const { net, classes } = requireFitted(op, this.fitted);
    const out = predictNetwork(op, net, xInput);
    if (classes.length !== 2) return new Tensor(out.data, [out.rows, classes.length]);
    const proba = new Float64Array(2 * out.rows);
    for (let i = 0; i < out.rows; i++) {
      proba[2 * i] = 1 - out.data[i]!;
      proba[2 * i + 1] = out.data[i]!;
    }
    return new Tensor(proba, [out.rows, 2]);
  }

  predict(xInput: MatrixInput): LabelValue[] {
    return labelsFromProba(this.predictProba(xInput), this.classes);
  }

  /** Accuracy on (X, y). */
  score(xInput: MatrixInput, y: Labels): number {
    return accuracyFromProba("MLPClassifier.score", this.predictProba(xInput), this.classes, y);
  }

  toJSON(): EstimatorState {
    const f = this.fitted;
    return makeState(
      MLPClassifier.kind,
      this.getParams(),
      f === null ? null : { ...networkToJson(f.net), classes: f.classes },
    );
  }

  static fromJSON(state: EstimatorState): MLPClassifier {
    const kind = MLPClassifier.kind;
    const est = new MLPClassifier(state.params as MLPOptions);
    const fitted = checkState(kind, state);
    if (fitted !== null)
      est.fitted = { net: networkFromJson(kind, fitted), classes: stateClasses(kind, fitted.classes) };
    return est;
  }
}
