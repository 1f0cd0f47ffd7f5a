// ml/pca: principal component analysis (scikit-learn's PCA with the "full" solver): the SVD of the
// centred data X - mean = U S Vt (ops/linalg's dense svd), components = the first rows of Vt,
// explained variance S^2 / (n - 1), optional whitening to unit variance per component.
// NOTE: component signs follow ops/linalg's convention (largest entry of each component positive);
// scikit-learn fixes them from U instead, so components agree up to sign.
import { ValueError } from "../core/errors.js";
import { dense, eigh, svd } from "../ops/linalg/dense.js";
import { Tensor } from "../tensor/tensor.js";
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
  columnMeans,
  type Matrix,
  type MatrixInput,
  matmulMatrix,
  matrixToTensor,
  toMatrix,
} from "./matrix.js";
import { intOption } from "./params.js";

export interface PCAOptions {
  /** Components kept (default min(rows, features)). */
  nComponents?: number;
  /** Scale the projections to unit variance (default false). */
  whiten?: boolean;
}

interface Fitted {
  mean: Float64Array;
  /** [k, d] */
  components: Matrix;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  singularValues: Float64Array;
}

/** Kept eigenvalues and their gaps must be at least this fraction of the largest for the Gram route. */
const GRAM_SEPARATION = 1e-4;

/**
 * The top k singular values and right singular vectors of a tall centred X from the eigenvectors
 * of its Gram matrix X^T X (one native GEMM and a d x d eigh, instead of a QR and Jacobi sweeps):
 * ~n d^2 multiply-adds at GEMM speed. Squaring X squares its condition number, so this is used
 * only when it loses nothing that matters: every kept eigenvalue, and every gap between the kept
 * ones and the next, is at least GRAM_SEPARATION of the largest, so their absolute error
 * (~eps lambda_1) is below ~1e-11 relative. Otherwise null, and PCA takes the Jacobi SVD.
 */
function axesFromGram(centred: Matrix, k: number): { s: Float64Array; vt: { data: Float64Array } } | null {
  const { rows: n, cols: d } = centred;
  if (n < 2 * d) return null;
  const gram = matmulMatrix(centred, centred, { transposeA: true }); // (d, d)
  const { values, vectors } = eigh(dense(d, d, gram.data)); // ascending
  const largest = values[d - 1]!;
  if (!(largest > 0)) return null;
  for (let c = 0; c < k; c++) {
    const value = values[d - 1 - c]!;
    const next = c + 1 < d ? values[d - 2 - c]! : 0;
    if (value < GRAM_SEPARATION * largest || value - next < GRAM_SEPARATION * largest) return null;
  }
  const s = new Float64Array(k);
  const vt = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    const column = d - 1 - c;
    s[c] = Math.sqrt(values[column]!);
    // eigh makes each eigenvector's largest-magnitude entry positive, as the SVD does Vt's rows.
    for (let j = 0; j < d; j++) vt[c * d + j] = vectors.data[j * d + column]!;
  }
  return { s, vt: { data: vt } };
}

/**
 * Principal component analysis.
 * @example
 * const pca = new PCA({ nComponents: 2 }).fit(x);
 * pca.explainedVarianceRatio; pca.transform(x); // [n, 2]
 */
export class PCA {
  static readonly kind = "PCA";
  readonly nComponents: number | undefined;
  readonly whiten: boolean;
  private fitted: Fitted | null = null;

  constructor(options: PCAOptions = {}) {
    this.nComponents =
      options.nComponents === undefined
        ? undefined
        : intOption(PCA.kind, "nComponents", options.nComponents, 1);
    this.whiten = options.whiten ?? false;
  }

  getParams(): PCAOptions {
    return {
      ...(this.nComponents !== undefined ? { nComponents: this.nComponents } : {}),
      whiten: this.whiten,
    };
  }

  private get state(): Fitted {
    return requireFitted("PCA", this.fitted);
  }
  /** Principal axes [k, features], by decreasing explained variance. */
  get components(): Matrix {
    return this.state.components;
  }
  get explainedVariance(): Float64Array {
    return this.state.explainedVariance;
  }
  get explainedVarianceRatio(): Float64Array {
    return this.state.explainedVarianceRatio;
  }
  get singularValues(): Float64Array {
    return this.state.singularValues;
  }
  get mean(): Float64Array {
    return this.state.mean;
  }

  fit(xInput: MatrixInput): this {
    const op = "PCA.fit";
    const x = toMatrix(op, xInput);
    const limit = Math.min(x.rows, x.cols);
    const k = this.nComponents ?? limit;
    if (k > limit)
      throw new ValueError(`${op}: nComponents = ${k} is more than min(rows, features) = ${limit}`);
    if (x.rows < 2) throw new ValueError(`${op}: needs at least 2 rows (got ${x.rows})`);
    const mean = columnMeans(x);
    const centredData = x.data.slice();
    for (let o = 0; o < centredData.length; o += x.cols)
      for (let j = 0; j < x.cols; j++) centredData[o + j]! -= mean[j]!;
    const centred: Matrix = { rows: x.rows, cols: x.cols, data: centredData };
    const { s, vt } =
      axesFromGram(centred, k) ?? svd(dense(x.rows, x.cols, centredData), { computeU: false });
    const variance = s.map((v) => (v * v) / (x.rows - 1));
    // Total variance from the data itself, so the ratios stay right when k < min(n, d).
    let total = 0;
    for (const v of centredData) total += v * v;
    total /= x.rows - 1;
    this.fitted = {
      mean,
      components: { rows: k, cols: x.cols, data: vt.data.slice(0, k * x.cols) },
      explainedVariance: variance.slice(0, k),
      explainedVarianceRatio: variance.slice(0, k).map((v) => v / total),
      singularValues: s.slice(0, k),
    };
    return this;
  }

  /** Projections on the components, [n, k] (whitened when asked). */
  transform(xInput: MatrixInput): Tensor {
    const op = "PCA.transform";
    const f = requireFitted(op, this.fitted);
    const x = toMatrix(op, xInput);
    checkFeatures(op, x, f.mean.length);
    for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) x.data[i * x.cols + j]! -= f.mean[j]!;
    const y = matmulMatrix(x, f.components, { transposeB: true });
    const k = f.components.rows;
    if (this.whiten)
      for (let i = 0; i < y.rows; i++)
        for (let c = 0; c < k; c++) y.data[i * k + c]! /= Math.sqrt(f.explainedVariance[c]!);
    return new Tensor(y.data, [y.rows, k]);
  }

  fitTransform(xInput: MatrixInput): Tensor {
    return this.fit(xInput).transform(xInput);
  }

  /** Back to feature space: Y components + mean (undoing the whitening), [n, features]. */
  inverseTransform(yInput: MatrixInput): Tensor {
    const op = "PCA.inverseTransform";
    const f = requireFitted(op, this.fitted);
    const y = toMatrix(op, yInput, "Y");
    const k = f.components.rows;
    checkFeatures(op, y, k);
    if (this.whiten)
      for (let i = 0; i < y.rows; i++)
        for (let c = 0; c < k; c++) y.data[i * k + c]! *= Math.sqrt(f.explainedVariance[c]!);
    const x = matmulMatrix(y, f.components);
    for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) x.data[i * x.cols + j]! += f.mean[j]!;
    return matrixToTensor(x);
  }

  toJSON(): EstimatorState {
    const f = this.fitted;
    return makeState(
      PCA.kind,
      this.getParams(),
      f === null
        ? null
        : {
            features: f.mean.length,
            mean: toNumbers(f.mean),
            components: toNumbers(f.components.data),
            explainedVariance: toNumbers(f.explainedVariance),
            explainedVarianceRatio: toNumbers(f.explainedVarianceRatio),
            singularValues: toNumbers(f.singularValues),
          },
    );
  }

  static fromJSON(state: EstimatorState): PCA {
    const kind = PCA.kind;
    const est = new PCA(state.params as PCAOptions);
    const fitted = checkState(kind, state);
    if (fitted !== null) {
      const d = stateNumber(kind, fitted, "features");
      const variance = stateNumbers(kind, fitted, "explainedVariance");
      const k = variance.length;
      est.fitted = {
        mean: stateNumbers(kind, fitted, "mean", d),
        components: { rows: k, cols: d, data: stateNumbers(kind, fitted, "components", k * d) },
        explainedVariance: variance,
        explainedVarianceRatio: stateNumbers(kind, fitted, "explainedVarianceRatio", k),
        singularValues: stateNumbers(kind, fitted, "singularValues", k),
      };
    }
    return est;
  }
}
