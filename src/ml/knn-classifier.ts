// ml/knn-classifier: k-nearest-neighbours classification (scikit-learn's KNeighborsClassifier with
// the brute-force Euclidean search): a vote of the k nearest training rows, uniform or weighted by
// inverse distance; ties go to the first class in sorted order.
import type { Labels, LabelValue } from "../data/split/labels.js";
import { Tensor } from "../tensor/tensor.js";
import { accuracyFromProba, encodeTargets, labelsFromProba, stateClasses } from "./classes.js";
import {
  checkState,
  type EstimatorState,
  makeState,
  requireFitted,
  stateNumbers,
  toNumbers,
} from "./estimator.js";
import { type Matrix, type MatrixInput, toMatrix } from "./matrix.js";
import {
  KNeighborsBase,
  type KNeighborsOptions,
  trainingRowsFromState,
  visitNeighbors,
} from "./neighbors.js";

export type { KNeighborsOptions } from "./neighbors.js";

interface Fitted {
  x: Matrix;
  codes: Int32Array;
  classes: LabelValue[];
}

/**
 * k-nearest-neighbours classifier.
 * @example
 * const knn = new KNeighborsClassifier({ nNeighbors: 5 }).fit(xTrain, yTrain);
 * knn.score(xTest, yTest);
 */
export class KNeighborsClassifier extends KNeighborsBase {
  static readonly kind = "KNeighborsClassifier";
  private fitted: Fitted | null = null;

  constructor(options: KNeighborsOptions = {}) {
    super(KNeighborsClassifier.kind, options);
  }

  get classes(): LabelValue[] {
    return requireFitted("KNeighborsClassifier.classes", this.fitted).classes;
  }

  fit(xInput: MatrixInput, y: Labels): this {
    const op = "KNeighborsClassifier.fit";
    const x = toMatrix(op, xInput);
    const { codes, classes } = encodeTargets(op, y, x.rows);
    this.fitted = { x, codes, classes };
    return this;
  }

  /** Class probabilities [n, classes]: the (weighted) share of the neighbours' votes. */
  predictProba(xInput: MatrixInput): Tensor {
    const op = "KNeighborsClassifier.predictProba";
    const fitted = requireFitted(op, this.fitted);
    const nClasses = fitted.classes.length;
    const out: number[] = [];
    const rows = visitNeighbors(op, fitted.x, xInput, this.nNeighbors, this.weights, (_q, neighbors, w) => {
      const votes = new Float64Array(nClasses);
      let total = 0;
      neighbors.forEach((row, s) => {
        votes[fitted.codes[row]!]! += w[s]!;
        total += w[s]!;
      });
      for (let c = 0; c < nClasses; c++) out.push(votes[c]! / total);
    });
    return new Tensor(Float64Array.from(out), [rows, nClasses]);
  }

  /** The most probable class of each row. */
  predict(xInput: MatrixInput): LabelValue[] {
    return labelsFromProba(this.predictProba(xInput), this.classes);
  }

  /** Accuracy on (X, y). */
  score(xInput: MatrixInput, y: Labels): number {
    return accuracyFromProba("KNeighborsClassifier.score", this.predictProba(xInput), this.classes, y);
  }

  toJSON(): EstimatorState {
    const f = this.fitted;
    return makeState(
      KNeighborsClassifier.kind,
      this.getParams(),
      f === null
        ? null
        : { features: f.x.cols, x: toNumbers(f.x.data), codes: toNumbers(f.codes), classes: f.classes },
    );
  }

  static fromJSON(state: EstimatorState): KNeighborsClassifier {
    const kind = KNeighborsClassifier.kind;
    const est = new KNeighborsClassifier(state.params as KNeighborsOptions);
    const fitted = checkState(kind, state);
    if (fitted !== null) {
      const x = trainingRowsFromState(kind, fitted);
      const codes = Int32Array.from(stateNumbers(kind, fitted, "codes", x.rows));
      est.fitted = { x, codes, classes: stateClasses(kind, fitted.classes) };
    }
    return est;
  }
}
