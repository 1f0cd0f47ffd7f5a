// ops/linalg/lstsq: least squares (lstsq), the pseudo-inverse (pinv) and the numerical rank
// (matrixRank), all through the SVD (never the normal equations), batched over leading axes.
import { isGradEnabled } from "../../autograd/mode.js";
import { DTypeError, ShapeError, ValueError } from "../../core/errors.js";
import { formatShape } from "../../core/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { div, mul } from "../binary.js";
import { cast } from "../cast.js";
import { greater, where } from "../compare.js";
import { matmul } from "../linalg.js";
import { type TensorLike, toTensor } from "../operand.js";
import { max } from "../reduce.js";
import { matrixTranspose, reshape } from "../shape.js";
import { epsOf, floatDType, mapMatrices, matrixAt, matrixBatch, packArrays } from "./batch.js";
import { lstsq as lstsqDense } from "./dense.js";
import { singularValues } from "./dense-svd.js";
import { svd } from "./svd.js";

/** The result of lstsq, as numpy.linalg.lstsq returns it. */
export interface Lstsq {
  /** [..., N, K] (or [..., N] for a vector b): the minimum-norm least-squares solution. */
  readonly solution: Tensor;
  /** [..., K] squared residual norms when every matrix has rank N < M; shape [0] otherwise. */
  readonly residuals: Tensor;
  /** [...] int32 numerical rank of each matrix. */
  readonly rank: Tensor;
  /** [..., min(M, N)] descending. */
  readonly singularValues: Tensor;
}

export interface RcondOptions {
  /** Singular values <= rcond * max(s) count as zero (default max(M, N) * eps of the dtype). */
  rcond?: number;
}

function rcondFor(
  op: string,
  options: RcondOptions,
  m: number,
  n: number,
  dtype: "float32" | "float64",
): number {
  const rcond = options.rcond ?? Math.max(m, n) * epsOf(dtype);
  if (!(rcond >= 0)) throw new ValueError(`${op}: rcond must be a non-negative number (got ${rcond})`);
  return rcond;
}

/**
 * Moore-Penrose pseudo-inverse of A [..., M, N] (shape [..., N, M]) from the SVD; built from ops,
 * so it is differentiable where the kept singular values are distinct.
 * @example
 * linalg.pinv(tensor([[1, 2], [2, 4]])); // rank 1: [[0.04, 0.08], [0.08, 0.16]]
 */
export function pinv(input: TensorLike, options: RcondOptions = {}): Tensor {
  const A = matrixBatch("pinv", input);
  const rcond = rcondFor("pinv", options, A.rows, A.cols, floatDType(A));
  const { u, s, vh } = svd(A.x);
  const k = Math.min(A.rows, A.cols);
  if (k === 0)
    return reshape(matmul(matrixTranspose(vh), u, { transposeB: true }), [...A.batchShape, A.cols, A.rows]);
  // keep s_i > rcond * max(s): s+ = 1 / s there, 0 elsewhere
  const cutoff = mul(max(s, -1, { keepDims: true }), rcond);
  const keep = greater(s, cutoff);
  const sInv = where(keep, div(1, where(keep, s, 1)), 0);
  const scaled = mul(matrixTranspose(vh), reshape(sInv, [...A.batchShape, 1, k])); // V diag(s+)
  return matmul(scaled, u, { transposeB: true });
}

/**
 * Least-squares solution of A X = B through the SVD, with NumPy's rcond semantics for
 * rank-deficient A. A is [..., M, N]; B is [..., M, K] or a vector [M]. The solution is
 * differentiable (through pinv) when an input requires a gradient.
 * @example
 * linalg.lstsq(tensor([[1, 0], [1, 1], [1, 2]]), tensor([1, 2, 4])).solution; // [0.8333, 1.5]
 */
export function lstsq(aInput: TensorLike, bInput: TensorLike, options: RcondOptions = {}): Lstsq {
  const A = matrixBatch("lstsq", aInput);
  const b = toTensor(bInput);
  if (b.dtype !== A.x.dtype)
    throw new DTypeError(
      `lstsq: dtypes differ (got A ${A.x.dtype} and B ${b.dtype}); cast one of them with cast()`,
    );
  const { rows: m, cols: n, batchShape } = A;
  const vector = b.rank === 1;
  const b2 = vector ? reshape(b, [b.size, 1]) : b;
  const fits = vector
    ? b.shape[0] === m && batchShape.length === 0
    : b.rank === A.x.rank &&
      b.shape[b.rank - 2] === m &&
      formatShape(b.shape.slice(0, -2)) === formatShape(batchShape);
  if (!fits) {
    throw new ShapeError(
      `lstsq: A ${formatShape(A.x.shape)} needs B of shape [..., ${m}, K] with the same batch${batchShape.length === 0 ? ` or [${m}]` : ""} (got ${formatShape(b.shape)})`,
    );
  }
  const dtype = floatDType(A);
  const rcond = rcondFor("lstsq", options, m, n, dtype);
  const B = matrixBatch("lstsq", b2);
  const k = B.cols;
  const results = mapMatrices(A, (mat, i) => lstsqDense(mat, matrixAt(B, i), rcond));
  const fullRank = m > n && results.every((r) => r.rank === n);
  const ranks = Int32Array.from(results, (r) => r.rank);
  const rank = cast(packArrays("float64", batchShape, [ranks]), "int32");
  const singularValues = packArrays(
    dtype,
    [...batchShape, Math.min(m, n)],
    results.map((r) => r.singularValues),
  );
  const residuals = fullRank
    ? packArrays(
        dtype,
        [...batchShape, k],
        results.map((r) => r.residuals),
      )
    : packArrays(dtype, [0], []);
  const needsGrad = isGradEnabled() && (A.x.requiresGrad || b.requiresGrad);
  let solution = needsGrad
    ? matmul(pinv(A.x, { rcond }), b2)
    : packArrays(
        dtype,
        [...batchShape, n, k],
        results.map((r) => r.solution.data),
      );
  if (vector) solution = reshape(solution, [n]);
  return { solution, residuals, rank, singularValues };
}

/**
 * Numerical rank of A [..., M, N]: the number of singular values above tol (default
 * max(s) * max(M, N) * eps, as NumPy). Returns int32 [...].
 * @example
 * linalg.matrixRank(tensor([[1, 2], [2, 4]])); // 1
 */
export function matrixRank(input: TensorLike, options: { tol?: number } = {}): Tensor {
  const A = matrixBatch("matrixRank", input);
  const eps = epsOf(floatDType(A));
  const ranks = mapMatrices(A, (mat) => {
    const s = singularValues(mat);
    const tol = options.tol ?? (s[0] ?? 0) * Math.max(A.rows, A.cols) * eps;
    return s.filter((v) => v > tol).length;
  });
  return cast(packArrays("float64", A.batchShape, [ranks]), "int32");
}
