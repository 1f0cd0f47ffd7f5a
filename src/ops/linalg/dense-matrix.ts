// ops/linalg/dense-matrix: the float64 row-major matrix record every dense routine takes and
// returns, with the few helpers they share (identity, transpose, product, copies).
import { kernels } from "../../backend/registry.js";
import { ShapeError, ValueError } from "../../core/errors.js";

/** A row-major float64 matrix: element (i, j) is data[i * cols + j]. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Machine epsilon of float64 (2^-52). */
export const EPS64 = 2.220446049250313e-16;
/** Machine epsilon of float32 (2^-23). */
export const EPS32 = 1.1920928955078125e-7;

/** Wraps (does not copy) `data` as a rows x cols matrix. */
export function dense(
  rows: number,
  cols: number,
  data: Float64Array = new Float64Array(rows * cols),
): DenseMatrix {
  if (data.length !== rows * cols)
    throw new ShapeError(`dense: ${rows} x ${cols} needs ${rows * cols} values (got ${data.length})`);
  return { rows, cols, data };
}

/** A copy of `a` with its own storage. */
export function copyDense(a: DenseMatrix): DenseMatrix {
  return { rows: a.rows, cols: a.cols, data: a.data.slice() };
}

/** The n x n identity. */
export function identity(n: number): DenseMatrix {
  const out = dense(n, n);
  for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
  return out;
}

/** a^T as a new matrix. */
export function transposeDense(a: DenseMatrix): DenseMatrix {
  const { rows, cols, data } = a;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j]!;
  return dense(cols, rows, out);
}

/**
 * a @ b, or with transposes op(a) @ op(b), through the active backend's GEMM kernel (the native
 * multi-threaded one when the addon loaded, the reference loops otherwise).
 */
export function matmulDense(
  a: DenseMatrix,
  b: DenseMatrix,
  options: { transA?: boolean; transB?: boolean } = {},
): DenseMatrix {
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const kb = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  if (k !== kb) {
    throw new ShapeError(
      `matmulDense: inner dimensions differ (${a.rows}x${a.cols}${transA ? "^T" : ""} and ${b.rows}x${b.cols}${transB ? "^T" : ""})`,
    );
  }
  const out = new Float64Array(m * n);
  if (m * n * k > 0)
    kernels().matmul(a.data, b.data, out, {
      batch: 1,
      m,
      n,
      k,
      transA,
      transB,
      aBatchStride: 0,
      bBatchStride: 0,
    });
  return dense(m, n, out);
}

/** Largest absolute entry (0 for an empty matrix). */
export function maxAbs(a: DenseMatrix): number {
  let best = 0;
  for (const v of a.data) {
    const x = Math.abs(v);
    if (x > best || Number.isNaN(x)) best = x;
  }
  return best;
}

/** Throws a ShapeError naming `op` unless `a` is square. */
export function requireSquare(op: string, a: DenseMatrix): void {
  if (a.rows !== a.cols) throw new ShapeError(`${op}: expected a square matrix (got ${a.rows} x ${a.cols})`);
}

/**
 * Throws a ValueError naming `op` when `a` holds a NaN or an infinity: the iterative
 * decompositions would not converge on one, and LU / Cholesky would misreport it as singular or
 * indefinite.
 */
export function requireFinite(op: string, a: DenseMatrix): void {
  for (const v of a.data) {
    if (!Number.isFinite(v)) throw new ValueError(`${op}: the matrix contains NaN or Infinity (got ${v})`);
  }
}

/** Column j of a as a new vector. */
export function column(a: DenseMatrix, j: number): Float64Array {
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) out[i] = a.data[i * a.cols + j]!;
  return out;
}

/**
 * Plane rotation of two rows of a row-major buffer, in place: row p <- c p - s q, row q <- s p + c q
 * (`len` entries starting at offsets pOffset and qOffset). The one rotation Jacobi SVD, Jacobi eigh
 * and the QL sweeps all apply.
 */
export function rotateRows(
  m: Float64Array,
  pOffset: number,
  qOffset: number,
  len: number,
  c: number,
  s: number,
): void {
  for (let k = 0; k < len; k++) {
    const x = m[pOffset + k]!;
    const y = m[qOffset + k]!;
    m[pOffset + k] = c * x - s * y;
    m[qOffset + k] = s * x + c * y;
  }
}

/**
 * Euclidean norm of `count` entries of `data` from `start` with `stride`: a plain sum of squares
 * when that is safe, rescaled by the largest magnitude when squares would overflow or underflow
 * (what Math.hypot guards against, at a fraction of its cost in a loop).
 */
export function euclideanNorm(data: Float64Array, start: number, stride: number, count: number): number {
  let total = 0;
  for (let i = 0, at = start; i < count; i++, at += stride) total += data[at]! * data[at]!;
  if (total < 1e300 && (total > 1e-290 || total === 0)) return Math.sqrt(total);
  let scale = 0;
  for (let i = 0, at = start; i < count; i++, at += stride) scale = Math.max(scale, Math.abs(data[at]!));
  if (scale === 0 || !Number.isFinite(scale)) return Math.sqrt(total);
  let scaled = 0;
  for (let i = 0, at = start; i < count; i++, at += stride) scaled += (data[at]! / scale) ** 2;
  return Math.sqrt(scaled) * scale;
}
