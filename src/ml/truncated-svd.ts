// ml/truncated-svd: dimensionality reduction by a truncated SVD of X without centring
// (scikit-learn's TruncatedSVD, computed exactly like its "arpack" algorithm rather than the
// randomized default): components = the first k rows of Vt, X V gives the projections.
import { ValueError } from "../core/errors.js";
import { dense, svd } from "../ops/linalg/dense.js";
import type { Tensor } from "../tensor/tensor.js";
import {
  checkState,
  type EstimatorState,
  makeState,
  requireFitted,
  stateNumber,
  stateNumbers,
  toNumbers,
} from "./estimator.js";
import {
  checkFeatures,
  type Matrix,
  type MatrixInput,
  matmulMatrix,
  matrixToTensor,
  toMatrix,
} from "./matrix.js";
import { intOption } from "./params.js";

export interface TruncatedSVDOptions {
  /** Components kept (default 2). */
  nComponents?: number;
}

/** Population variance of each column of m. */
function columnVariances(m: Matrix): Float64Array {
  const out = new Float64Array(m.cols);
  for (let j = 0; j < m.cols; j++) {
    let mean = 0;
    for (let i = 0; i < m.rows; i++) mean += m.data[i * m.cols + j]!;
    mean /= m.rows;
    for (let i = 0; i < m.rows; i++) out[j]! += (m.data[i * m.cols + j]! - mean) ** 2;
    out[j]! /= m.rows;
  }
  return out;
}

/**
 * Truncated SVD (latent semantic analysis on term matrices).
 * @example
 * const svd = new TruncatedSVD({ nComponents: 5 }).fit(x); svd.transform(x); // [n, 5]
 */
export class TruncatedSVD {
  static readonly kind = "TruncatedSVD";
  readonly nComponents: number;
  /** [k, d] */
  components: Matrix | null = null;
  explainedVariance: Float64Array | null = null;
  explainedVarianceRatio: Float64Array | null = null;
  singularValues: Float64Array | null = null;

  constructor(options: TruncatedSVDOptions = {}) {
    this.nComponents = intOption(TruncatedSVD.kind, "nComponents", options.nComponents, 2);
  }

  getParams(): TruncatedSVDOptions {
    return { nComponents: this.nComponents };
  }

  fit(xInput: MatrixInput): this {
    const op = "TruncatedSVD.fit";
    const x = toMatrix(op, xInput);
    const k = this.nComponents;
    if (k > Math.min(x.rows, x.cols))
      throw new ValueError(
        `${op}: nComponents = ${k} is more than min(rows, features) = ${Math.min(x.rows, x.cols)}`,
      );
    const { s, vt } = svd(dense(x.rows, x.cols, x.data.slice()), { computeU: false });
    this.components = { rows: k, cols: x.cols, data: vt.data.slice(0, k * x.cols) };
    this.singularValues = s.slice(0, k);
    const projected = matmulMatrix(x, this.components, { transposeB: true });
    this.explainedVariance = columnVariances(projected);
    const total = columnVariances(x).reduce((a, b) => a + b, 0);
    this.explainedVarianceRatio = this.explainedVariance.map((v) => v / total);
    return this;
  }

  /** Projections X V, [n, k]. */
  transform(xInput: MatrixInput): Tensor {
    const op = "TruncatedSVD.transform";
    const components = requireFitted(op, this.components);
    const x = toMatrix(op, xInput);
    checkFeatures(op, x, components.cols);
    const y = matmulMatrix(x, components, { transposeB: true });
    return matrixToTensor(y);
  }

  toJSON(): EstimatorState {
    const c = this.components;
    return makeState(
      TruncatedSVD.kind,
      this.getParams(),
      c === null
        ? null
        : {
            features: c.cols,
            components: toNumbers(c.data),
            explainedVariance: toNumbers(this.explainedVariance ?? []),
            explainedVarianceRatio: toNumbers(this.explainedVarianceRatio ?? []),
            singularValues: toNumbers(this.singularValues ?? []),
          },
    );
  }

  static fromJSON(state: EstimatorState): TruncatedSVD {
    const kind = TruncatedSVD.kind;
    const est = new TruncatedSVD(state.params as TruncatedSVDOptions);
    const fitted = checkState(kind, state);
    if (fitted !== null) {
      const d = stateNumber(kind, fitted, "features");
      const k = est.nComponents;
      est.components = { rows: k, cols: d, data: stateNumbers(kind, fitted, "components", k * d) };
      est.explainedVariance = stateNumbers(kind, fitted, "explainedVariance", k);
      est.explainedVarianceRatio = stateNumbers(kind, fitted, "explainedVarianceRatio", k);
      est.singularValues = stateNumbers(kind, fitted, "singularValues", k);
    }
    return est;
  }
}
