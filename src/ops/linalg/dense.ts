// ops/linalg/dense: the float64 array-level linear algebra API. ts.linalg.* (tensor ops, batched,
// with gradients) and the ml/ estimators both call these. Matrices are row-major Float64Arrays in a
// DenseMatrix record { rows, cols, data }; nothing here allocates a Tensor or records a gradient.
//
// Signatures (A is m x n unless it must be square; all results are new arrays):
//   dense(rows, cols, data?) -> DenseMatrix                     wrap a Float64Array (no copy)
//   identity(n), transposeDense(a), copyDense(a)
//   matmulDense(a, b, { transA?, transB? })   through the backend GEMM (native when loaded)
//   requireFinite(op, a), euclideanNorm(data, start, stride, count)
//   solve(a, b) -> X               A X = B, A n x n, B n x k; ValueError if A is singular
//   inv(a) -> A^-1                 ValueError if singular (message suggests lstsq / pinv)
//   det(a) -> number; slogdet(a) -> { sign, logAbsDet }
//   luFactor(a) -> { lu, pivots, sign, singular }; luSolve(f, b) -> X
//   cholesky(a) -> L               A = L L^T, lower triangle read; ValueError if not SPD
//   triangularSolve(t, b, lower, transposed?) -> X
//   qr(a, mode = "reduced" | "complete" | "r") -> { q, r }       Householder (LAPACK signs)
//   qrPivoted(a, wantQ?) -> { q, r, perm }   A P = Q R, column pivoting: rank-revealing |diag R|
//   svd(a, { fullMatrices?, computeU? }) -> { u, s (descending), vt }   one-sided Jacobi;
//                                  rows of vt have their largest entry positive
//   singularValues(a) -> Float64Array (descending)
//   eigh(a) -> { values (ascending), vectors (columns) }   symmetric, lower triangle read; Jacobi / QL
//   lstsq(a, b, rcond?) -> { solution, residuals, rank, singularValues }   SVD based, like gelsd
//   pinv(a, rcond?) -> A^+ (n x m)
// rcond: singular values at or below rcond * max(s) count as zero; default max(m, n) * eps64.
import { ShapeError, ValueError } from "../../core/errors.js";
import { type DenseMatrix, dense, EPS64, matmulDense, requireFinite } from "./dense-matrix.js";
import { type SvdResult, svd } from "./dense-svd.js";

export { type EighResult, eigh } from "./dense-eigh.js";
export {
  cholesky,
  det,
  inv,
  type LuFactors,
  luFactor,
  luSolve,
  slogdet,
  solve,
  triangularSolve,
} from "./dense-lu.js";
export {
  copyDense,
  type DenseMatrix,
  dense,
  EPS32,
  EPS64,
  euclideanNorm,
  identity,
  matmulDense,
  requireFinite,
  transposeDense,
} from "./dense-matrix.js";
export { type PivotedQr, type QrMode, type QrResult, qr, qrPivoted } from "./dense-qr.js";
export { type SvdOptions, type SvdResult, singularValues, svd } from "./dense-svd.js";

/** The least-squares result, as numpy.linalg.lstsq returns it. */
export interface LstsqResult {
  /** n x k minimum-norm solution of min ||A X - B||. */
  readonly solution: DenseMatrix;
  /** Squared residual norm of each column of B when rank == n < m; empty otherwise (as NumPy). */
  readonly residuals: Float64Array;
  /** Number of singular values above rcond * max(s). */
  readonly rank: number;
  readonly singularValues: Float64Array;
}

function checkRcond(op: string, rcond: number): void {
  if (!(rcond >= 0)) throw new ValueError(`${op}: rcond must be a non-negative number (got ${rcond})`);
}

/** V diag(1/s) U^T b restricted to the first `rank` singular triplets (two GEMMs), n x k. */
function pseudoSolve(f: SvdResult, rank: number, b: DenseMatrix): DenseMatrix {
  const coef = matmulDense(f.u, b, { transA: true }); // U^T b, K x k
  const k = b.cols;
  for (let r = 0; r < coef.rows; r++) {
    const scale = r < rank ? 1 / f.s[r]! : 0;
    for (let j = 0; j < k; j++) coef.data[r * k + j]! *= scale;
  }
  return matmulDense(f.vt, coef, { transA: true });
}

function rankOf(s: Float64Array, rcond: number): number {
  const cutoff = rcond * (s[0] ?? 0);
  let rank = 0;
  for (const v of s) if (v > cutoff) rank++;
  return rank;
}

/**
 * Minimum-norm least-squares solution of A X = B through the SVD (never the normal equations).
 * @example
 * lstsq(dense(3, 2, Float64Array.of(1, 0, 1, 1, 1, 2)), dense(3, 1, Float64Array.of(1, 2, 4)));
 */
export function lstsq(a: DenseMatrix, b: DenseMatrix, rcond = EPS64 * Math.max(a.rows, a.cols)): LstsqResult {
  if (b.rows !== a.rows)
    throw new ShapeError(`lstsq: A is ${a.rows} x ${a.cols} but B has ${b.rows} rows (expected ${a.rows})`);
  checkRcond("lstsq", rcond);
  requireFinite("lstsq", a);
  const n = a.cols;
  const f = svd(a);
  const rank = rankOf(f.s, rcond);
  const solution = pseudoSolve(f, rank, b);
  let residuals = new Float64Array(0);
  if (rank === n && a.rows > n) {
    residuals = new Float64Array(b.cols);
    for (let i = 0; i < a.rows; i++)
      for (let j = 0; j < b.cols; j++) {
        let r = -b.data[i * b.cols + j]!;
        for (let p = 0; p < n; p++) r += a.data[i * n + p]! * solution.data[p * b.cols + j]!;
        residuals[j]! += r * r;
      }
  }
  return { solution, residuals, rank, singularValues: f.s };
}

/** Moore-Penrose pseudo-inverse (n x m) through the SVD. */
export function pinv(a: DenseMatrix, rcond = EPS64 * Math.max(a.rows, a.cols)): DenseMatrix {
  checkRcond("pinv", rcond);
  requireFinite("pinv", a);
  const m = a.rows;
  const eye = new Float64Array(m * m);
  for (let i = 0; i < m; i++) eye[i * m + i] = 1;
  const f = svd(a);
  return pseudoSolve(f, rankOf(f.s, rcond), dense(m, m, eye));
}
