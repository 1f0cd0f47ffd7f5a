// ml/matrix: the float64 row-major matrix every estimator works on, and the checks at the public
// boundary that turn a Tensor or nested arrays into one (rank 2, at least one row, no NaN or Inf).
import { ShapeError, ValueError } from "../core/errors.js";
import { type MatmulOptions, matmul } from "../ops/linalg.js";
import { Tensor } from "../tensor/tensor.js";

/** A dense float64 matrix, row-major: entry (i, j) is data[i * cols + j]. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** What estimators accept as X: a rank-2 Tensor or an array of equal-length number rows. */
export type MatrixInput = Tensor | readonly (readonly number[])[] | Matrix;

/** What regressors accept as y: a rank-1 Tensor, a number array or a typed array. */
export type VectorInput = Tensor | readonly number[] | Float64Array | Float32Array | Int32Array;

function isMatrix(x: unknown): x is Matrix {
  if (typeof x !== "object" || x === null || x instanceof Tensor || Array.isArray(x)) return false;
  const m = x as Partial<Matrix>;
  return typeof m.rows === "number" && typeof m.cols === "number" && m.data instanceof Float64Array;
}

function checkFinite(op: string, name: string, data: ArrayLike<number>, cols: number): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) {
      const where = cols > 0 ? `row ${Math.floor(i / cols)}, column ${i % cols}` : `index ${i}`;
      throw new ValueError(
        `${op}: ${name} must hold finite numbers (got ${v} at ${where}); impute or drop missing values first`,
      );
    }
  }
}

/** Validates X and returns it as a float64 matrix (copied, so the caller's data is never changed). */
export function toMatrix(op: string, x: MatrixInput, name = "X"): Matrix {
  let rows: number;
  let cols: number;
  let data: Float64Array;
  if (x instanceof Tensor) {
    if (x.rank !== 2)
      throw new ShapeError(
        `${op}: ${name} must be a rank-2 tensor [samples, features] (got shape [${x.shape.join(",")}])`,
      );
    rows = x.shape[0]!;
    cols = x.shape[1]!;
    data = Float64Array.from(x.data);
  } else if (isMatrix(x)) {
    ({ rows, cols } = x);
    data = x.data.slice();
  } else if (Array.isArray(x)) {
    rows = x.length;
    cols = rows > 0 ? (x[0] as readonly number[]).length : 0;
    data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = x[i] as unknown;
      if (!Array.isArray(row) || row.length !== cols) {
        throw new ShapeError(
          `${op}: ${name} row ${i} must be an array of ${cols} numbers (got ${Array.isArray(row) ? `${row.length} values` : typeof row})`,
        );
      }
      for (let j = 0; j < cols; j++) {
        const v = row[j] as unknown;
        if (typeof v !== "number")
          throw new ValueError(`${op}: ${name}[${i}][${j}] must be a number (got ${typeof v})`);
        data[i * cols + j] = v;
      }
    }
  } else {
    throw new ValueError(`${op}: ${name} must be a rank-2 Tensor or an array of number rows`);
  }
  if (rows === 0 || cols === 0)
    throw new ShapeError(`${op}: ${name} must have at least one row and one column (got [${rows},${cols}])`);
  checkFinite(op, name, data, cols);
  return { rows, cols, data };
}

/** Validates a numeric target vector of length `n`. */
export function toVector(op: string, y: VectorInput, n: number, name = "y"): Float64Array {
  let out: Float64Array;
  if (y instanceof Tensor) {
    if (y.rank !== 1 && !(y.rank === 2 && y.shape[1] === 1)) {
      throw new ShapeError(`${op}: ${name} must be a rank-1 tensor (got shape [${y.shape.join(",")}])`);
    }
    out = Float64Array.from(y.data);
  } else if (Array.isArray(y) || ArrayBuffer.isView(y)) {
    out = Float64Array.from(y as ArrayLike<number>);
  } else {
    throw new ValueError(`${op}: ${name} must be a rank-1 Tensor, an array or a typed array of numbers`);
  }
  if (out.length !== n) throw new ShapeError(`${op}: ${name} has ${out.length} values but X has ${n} rows`);
  checkFinite(op, name, out, 0);
  return out;
}

/** Checks that X at predict time has the feature count seen by fit. */
export function checkFeatures(op: string, x: Matrix, expected: number): void {
  if (x.cols !== expected)
    throw new ShapeError(`${op}: X has ${x.cols} features but the estimator was fitted with ${expected}`);
}

/** Squared Euclidean distance between row i of a and row j of b. */
export function squaredDistance(a: Matrix, i: number, b: Matrix, j: number): number {
  const d = a.cols;
  const ad = a.data;
  const bd = b.data;
  let sum = 0;
  for (let k = 0, p = i * d, q = j * d; k < d; k++, p++, q++) {
    const diff = ad[p]! - bd[q]!;
    sum += diff * diff;
  }
  return sum;
}

/** The rows of m at `indices`, in that order, as a new matrix. */
export function takeMatrixRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = new Float64Array(indices.length * m.cols);
  for (let r = 0; r < indices.length; r++)
    out.set(m.data.subarray(indices[r]! * m.cols, (indices[r]! + 1) * m.cols), r * m.cols);
  return { rows: indices.length, cols: m.cols, data: out };
}

/** A float64 tensor over a matrix's data: shared when m owns its whole buffer, else copied (a tensor owns its array). */
export function matrixToTensor(m: Matrix): Tensor {
  const owned = m.data.length === m.data.buffer.byteLength / 8;
  return new Tensor(owned ? m.data : m.data.slice(), [m.rows, m.cols]);
}

/** Column means of m. */
export function columnMeans(m: Matrix): Float64Array {
  const means = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) means[j]! += m.data[i * m.cols + j]!;
  for (let j = 0; j < m.cols; j++) means[j]! /= m.rows;
  return means;
}

/** Matrix product through ops/linalg's matmul (the native float64 kernel when it loaded). */
export function matmulMatrix(a: Matrix, b: Matrix, options: MatmulOptions = {}): Matrix {
  const y = matmul(matrixToTensor(a), matrixToTensor(b), options);
  return { rows: y.shape[0]!, cols: y.shape[1]!, data: y.data as Float64Array };
}
