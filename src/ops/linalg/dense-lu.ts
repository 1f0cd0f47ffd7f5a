// ops/linalg/dense-lu: LU with partial pivoting (solve, inv, det, slogdet) and the Cholesky
// factorization, on float64 row-major matrices. LU is blocked from 96 x 96 on, its O(n^3) trailing
// updates going through the backend GEMM.
import { ShapeError, ValueError } from "../../core/errors.js";
import {
  copyDense,
  type DenseMatrix,
  dense,
  EPS64,
  identity,
  matmulDense,
  maxAbs,
  requireFinite,
  requireSquare,
} from "./dense-matrix.js";
import { singularValues } from "./dense-svd.js";

/** P A = L U packed in one matrix (unit lower L below the diagonal, U on and above it). */
export interface LuFactors {
  readonly lu: DenseMatrix;
  /** Row i of P A is row pivots[i] of A. */
  readonly pivots: Int32Array;
  /** +1 or -1: the sign of the permutation. */
  readonly sign: number;
  /**
   * Singular to working precision: a pivot is exactly zero, or a pivot below SUSPECT_PIVOT *
   * n * eps * max|A| sent A to the SVD and its numerical rank (NumPy's matrix_rank rule,
   * s_min <= n eps s_max) is below n. Pivots alone misjudge: rounding leaves rank-deficient
   * matrices with pivots of a few thousand eps * max|A|, far above an exact zero.
   */
  readonly singular: boolean;
}

/** Pivots below this many n * eps * max|A| make luFactor ask the SVD whether A is singular. */
const SUSPECT_PIVOT = 1e4;

/** NumPy's matrix_rank test: is the smallest singular value at or below n * eps * the largest? */
function rankDeficient(a: DenseMatrix): boolean {
  const s = singularValues(a);
  const n = a.rows;
  return n > 0 && s[n - 1]! <= n * EPS64 * s[0]!;
}

/** Panel width of the blocked LU and the size from which blocking pays. */
const BLOCK = 32;
const BLOCKED_MIN = 96;

/**
 * After the panel of columns [j0, j1) is factored: U12 = L11^-1 A12 (unit lower forward
 * substitution on rows j0..j1-1, columns j1..), then A22 -= L21 U12 through one GEMM.
 */
function updateTrailing(d: Float64Array, n: number, j0: number, j1: number): void {
  const jb = j1 - j0;
  const rest = n - j1;
  for (let r = j0 + 1; r < j1; r++)
    for (let p = j0; p < r; p++) {
      const l = d[r * n + p]!;
      if (l !== 0) for (let j = j1; j < n; j++) d[r * n + j]! -= l * d[p * n + j]!;
    }
  const l21 = new Float64Array(rest * jb);
  const u12 = new Float64Array(jb * rest);
  for (let i = 0; i < rest; i++) l21.set(d.subarray((j1 + i) * n + j0, (j1 + i) * n + j1), i * jb);
  for (let i = 0; i < jb; i++) u12.set(d.subarray((j0 + i) * n + j1, (j0 + i) * n + n), i * rest);
  const product = matmulDense(dense(rest, jb, l21), dense(jb, rest, u12)).data;
  for (let i = 0; i < rest; i++) {
    const row = (j1 + i) * n + j1;
    for (let j = 0; j < rest; j++) d[row + j]! -= product[i * rest + j]!;
  }
}

/**
 * Factors a square matrix; never throws on singular input (see `singular`). With `rankTest`
 * false, `singular` only reports an exactly zero pivot (det and slogdet need no more).
 */
export function luFactor(a: DenseMatrix, rankTest = true): LuFactors {
  requireSquare("lu", a);
  const n = a.rows;
  const lu = copyDense(a);
  const d = lu.data;
  const pivots = new Int32Array(n);
  for (let i = 0; i < n; i++) pivots[i] = i;
  const tiny = n * EPS64 * maxAbs(a);
  let sign = 1;
  let exactZero = false;
  let smallest = Number.POSITIVE_INFINITY;
  // blocked (LAPACK's dgetrf, right-looking): eliminate inside a panel of BLOCK columns, then
  // U12 = L11^-1 A12 and the trailing A22 -= L21 U12 as one backend GEMM
  const blocked = n >= BLOCKED_MIN;
  for (let k = 0; k < n; k++) {
    const panelStart = blocked ? k - (k % BLOCK) : 0;
    const panelEnd = blocked ? Math.min(panelStart + BLOCK, n) : n;
    let p = k;
    let best = Math.abs(d[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(d[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = d[k * n + j]!;
        d[k * n + j] = d[p * n + j]!;
        d[p * n + j] = t;
      }
      const t = pivots[k]!;
      pivots[k] = pivots[p]!;
      pivots[p] = t;
      sign = -sign;
    }
    const pivot = d[k * n + k]!;
    smallest = Math.min(smallest, Math.abs(pivot));
    if (pivot === 0) exactZero = true;
    else {
      for (let i = k + 1; i < n; i++) {
        const f = d[i * n + k]! / pivot;
        d[i * n + k] = f;
        if (f === 0) continue;
        for (let j = k + 1; j < panelEnd; j++) d[i * n + j]! -= f * d[k * n + j]!;
      }
    }
    if (blocked && k === panelEnd - 1 && panelEnd < n) updateTrailing(d, n, panelStart, panelEnd);
  }
  const singular = exactZero || (rankTest && smallest <= SUSPECT_PIVOT * tiny && rankDeficient(a));
  return { lu, pivots, sign, singular };
}

/** Solves A X = B from A's LU factors (B is n x k). */
export function luSolve(f: LuFactors, b: DenseMatrix): DenseMatrix {
  const n = f.lu.rows;
  const k = b.cols;
  const d = f.lu.data;
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) x.set(b.data.subarray(f.pivots[i]! * k, f.pivots[i]! * k + k), i * k);
  // forward: L y = P b (unit diagonal)
  for (let i = 0; i < n; i++)
    for (let p = 0; p < i; p++) {
      const l = d[i * n + p]!;
      if (l !== 0) for (let j = 0; j < k; j++) x[i * k + j]! -= l * x[p * k + j]!;
    }
  // backward: U x = y
  for (let i = n - 1; i >= 0; i--) {
    for (let p = i + 1; p < n; p++) {
      const u = d[i * n + p]!;
      if (u !== 0) for (let j = 0; j < k; j++) x[i * k + j]! -= u * x[p * k + j]!;
    }
    const diag = d[i * n + i]!;
    for (let j = 0; j < k; j++) x[i * k + j]! /= diag;
  }
  return dense(n, k, x);
}

function singularError(op: string): ValueError {
  return new ValueError(
    `${op}: matrix is singular to working precision (numerical rank below N); use lstsq or pinv for a least-squares solution`,
  );
}

/** Solves A X = B for square, non-singular A; throws a ValueError on a singular A. */
export function solve(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  requireSquare("solve", a);
  if (b.rows !== a.rows)
    throw new ShapeError(`solve: A is ${a.rows} x ${a.cols} but B has ${b.rows} rows (expected ${a.rows})`);
  requireFinite("solve", a);
  const f = luFactor(a);
  if (f.singular) throw singularError("solve");
  return luSolve(f, b);
}

/** The inverse of a square, non-singular matrix; throws a ValueError on a singular one. */
export function inv(a: DenseMatrix): DenseMatrix {
  requireSquare("inv", a);
  requireFinite("inv", a);
  const f = luFactor(a);
  if (f.singular) throw singularError("inv");
  return luSolve(f, identity(a.rows));
}

/** sign and log|det A| (sign 0 and -Infinity for a singular matrix, as NumPy). */
export function slogdet(a: DenseMatrix): { sign: number; logAbsDet: number } {
  requireSquare("slogdet", a);
  const n = a.rows;
  if (n === 0) return { sign: 1, logAbsDet: 0 };
  const f = luFactor(a, false);
  let sign = f.sign;
  let log = 0;
  for (let i = 0; i < n; i++) {
    const u = f.lu.data[i * n + i]!;
    if (u === 0) return { sign: 0, logAbsDet: Number.NEGATIVE_INFINITY };
    if (u < 0) sign = -sign;
    log += Math.log(Math.abs(u));
  }
  return { sign, logAbsDet: log };
}

/** det A as the product of U's diagonal (exactly 0 only when a pivot is exactly 0). */
export function det(a: DenseMatrix): number {
  requireSquare("det", a);
  const n = a.rows;
  const f = luFactor(a, false);
  let prod = f.sign;
  for (let i = 0; i < n; i++) prod *= f.lu.data[i * n + i]!;
  return prod + 0; // -0 (an odd permutation times an exact zero) reads as 0, as NumPy's
}

/**
 * Lower-triangular L with A = L L^T, reading only A's lower triangle (as LAPACK's potrf with
 * uplo L). Throws a ValueError naming the failing leading minor when A is not positive definite.
 */
export function cholesky(a: DenseMatrix): DenseMatrix {
  requireSquare("cholesky", a);
  requireFinite("cholesky", a);
  const n = a.rows;
  const A = a.data;
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j]!;
    for (let p = 0; p < j; p++) s -= L[j * n + p]! * L[j * n + p]!;
    if (!(s > 0)) {
      throw new ValueError(
        `cholesky: matrix is not positive definite (the leading minor of order ${j + 1} is not positive)`,
      );
    }
    const ljj = Math.sqrt(s);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = A[i * n + j]!;
      for (let p = 0; p < j; p++) t -= L[i * n + p]! * L[j * n + p]!;
      L[i * n + j] = t / ljj;
    }
  }
  return dense(n, n, L);
}

/**
 * Solves T X = B for triangular T (lower or upper, non-unit diagonal), B n x k. With
 * `transposed`, solves T^T X = B instead.
 */
export function triangularSolve(
  t: DenseMatrix,
  b: DenseMatrix,
  lower: boolean,
  transposed = false,
): DenseMatrix {
  const n = t.rows;
  const k = b.cols;
  const T = t.data;
  const x = b.data.slice();
  // T^T of a lower matrix is upper: walk the effective triangle
  const effLower = lower !== transposed;
  const at = (i: number, j: number): number => (transposed ? T[j * n + i]! : T[i * n + j]!);
  for (let s = 0; s < n; s++) {
    const i = effLower ? s : n - 1 - s;
    const from = effLower ? 0 : i + 1;
    const to = effLower ? i : n;
    for (let p = from; p < to; p++) {
      const v = at(i, p);
      if (v !== 0) for (let j = 0; j < k; j++) x[i * k + j]! -= v * x[p * k + j]!;
    }
    const diag = at(i, i);
    for (let j = 0; j < k; j++) x[i * k + j]! /= diag;
  }
  return dense(n, k, x);
}
