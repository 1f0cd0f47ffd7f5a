// ops/linalg/dense-qr: Householder QR of a float64 row-major m x n matrix. The reflectors follow
// LAPACK's dlarfg convention (beta = -sign(alpha) * ||x||), so Q and R match NumPy's up to
// rounding, not just up to signs.
import { type DenseMatrix, dense, euclideanNorm, transposeDense } from "./dense-matrix.js";

/** "r": R only (reduced), Q is not formed. */
export type QrMode = "reduced" | "complete" | "r";

/** A = Q R: reduced Q is m x k, R is k x n (k = min(m, n)); complete Q is m x m, R is m x n. */
export interface QrResult {
  /** null in mode "r". */
  readonly q: DenseMatrix | null;
  readonly r: DenseMatrix;
}

/** Householder vectors (v[0] = 1 implied) and scalars: H_j = I - tau_j v_j v_j^T. */
interface Reflectors {
  /** The reduced matrix by columns: entry (i, c) at c * m + i (R on and above the diagonal). */
  readonly columns: Float64Array;
  readonly vs: Float64Array[];
  readonly taus: Float64Array;
  /** Column j of A P is column perm[j] of A (the identity without pivoting). */
  readonly perm: Int32Array;
}

/**
 * Applies H = I - tau v v^T to rows row0.. of the columns col0.. of a column-stored matrix
 * (column c at c * m): per column one dot product and one update, both contiguous and m long.
 */
function reflectColumns(
  C: Float64Array,
  m: number,
  row0: number,
  col0: number,
  cols: number,
  v: Float64Array,
  tau: number,
): void {
  const len = v.length;
  for (let c = col0; c < cols; c++) {
    const base = c * m + row0;
    let dot = 0;
    for (let i = 0; i < len; i++) dot += v[i]! * C[base + i]!;
    const f = tau * dot;
    if (f !== 0) for (let i = 0; i < len; i++) C[base + i]! -= f * v[i]!;
  }
}

/** Swaps columns p and q of a column-stored matrix (two contiguous runs of m). */
function swapColumns(C: Float64Array, m: number, p: number, q: number): void {
  for (let i = 0; i < m; i++) {
    const t = C[p * m + i]!;
    C[p * m + i] = C[q * m + i]!;
    C[q * m + i] = t;
  }
}

/**
 * Householder reflections, working on a column-stored copy so every inner loop runs down a
 * contiguous column (tall-skinny inputs get long loops, not short rows). With `pivot`, column
 * pivoting (LAPACK's dgeqp3 strategy): step j brings forward the remaining column of largest
 * norm, so |R_00| >= |R_11| >= ... and a rank-deficient A shows a small trailing block.
 */
function householder(a: DenseMatrix, pivot = false): Reflectors {
  const m = a.rows;
  const n = a.cols;
  const k = Math.min(m, n);
  const C = transposeDense(a).data; // row c = column c of A
  const vs: Float64Array[] = [];
  const taus = new Float64Array(k);
  const perm = Int32Array.from({ length: n }, (_, j) => j);
  // squared column norms of the trailing block, downdated after each step (and recomputed where
  // the downdate has cancelled most of the value)
  const norms = pivot ? Float64Array.from({ length: n }, (_, c) => euclideanNorm(C, c * m, 1, m) ** 2) : null;
  const exactAt = norms?.slice() ?? null;
  for (let j = 0; j < k; j++) {
    if (norms !== null && exactAt !== null) {
      let best = j;
      for (let c = j + 1; c < n; c++) if (norms[c]! > norms[best]!) best = c;
      if (best !== j) {
        swapColumns(C, m, j, best);
        for (const arr of [norms, exactAt]) {
          const t = arr[j]!;
          arr[j] = arr[best]!;
          arr[best] = t;
        }
        const t = perm[j]!;
        perm[j] = perm[best]!;
        perm[best] = t;
      }
    }
    const len = m - j;
    const at = j * m + j; // (j, j)
    const v = new Float64Array(len);
    v[0] = 1;
    vs.push(v);
    const alpha = C[at]!;
    const xnorm = euclideanNorm(C, at + 1, 1, len - 1);
    if (xnorm === 0) continue; // H = I (tau 0), as dlarfg
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
    const tau = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = 1; i < len; i++) v[i] = C[at + i]! * scale;
    taus[j] = tau;
    C[at] = beta;
    C.fill(0, at + 1, at + len);
    reflectColumns(C, m, j, j + 1, n, v, tau);
    if (norms !== null && exactAt !== null) {
      for (let c = j + 1; c < n; c++) {
        const left = norms[c]! - C[c * m + j]! ** 2;
        if (left > 1e-8 * exactAt[c]!) norms[c] = left;
        else {
          norms[c] = euclideanNorm(C, c * m + j + 1, 1, m - j - 1) ** 2;
          exactAt[c] = norms[c]!;
        }
      }
    }
  }
  return { columns: C, vs, taus, perm };
}

/** The first `rows` rows of R (upper triangle of the reduced columns) as a row-major rows x n matrix. */
function upperR(h: Reflectors, m: number, n: number, rows: number): DenseMatrix {
  const r = new Float64Array(rows * n);
  for (let c = 0; c < n; c++) {
    const top = Math.min(c + 1, rows, m);
    for (let i = 0; i < top; i++) r[i * n + c] = h.columns[c * m + i]!;
  }
  return dense(rows, n, r);
}

/** Q's first `cols` columns: H_0 H_1 ... H_{k-1} applied to the identity's first columns. */
function formQ(h: Reflectors, m: number, cols: number): DenseMatrix {
  const Qc = new Float64Array(cols * m); // row c = column c of Q
  for (let c = 0; c < Math.min(m, cols); c++) Qc[c * m + c] = 1;
  for (let j = h.vs.length - 1; j >= 0; j--) {
    const tau = h.taus[j]!;
    // columns c < j are still e_c, zero in rows j.. : H_j leaves them alone
    if (tau !== 0) reflectColumns(Qc, m, j, j, cols, h.vs[j]!, tau);
  }
  return transposeDense(dense(cols, m, Qc));
}

/**
 * QR decomposition by Householder reflections.
 * @example
 * const { q, r } = qr(dense(3, 2, Float64Array.of(1, 2, 3, 4, 5, 6)));
 */
export function qr(a: DenseMatrix, mode?: "reduced" | "complete"): QrResult & { readonly q: DenseMatrix };
export function qr(a: DenseMatrix, mode: QrMode): QrResult;
export function qr(a: DenseMatrix, mode: QrMode = "reduced"): QrResult {
  const m = a.rows;
  const n = a.cols;
  const k = Math.min(m, n);
  const h = householder(a);
  const q = mode === "r" ? null : formQ(h, m, mode === "complete" ? m : k);
  return { q, r: upperR(h, m, n, mode === "complete" ? m : k) };
}

/** R of the reduced QR (min(m, n) x n) without forming Q. */
export function qrR(a: DenseMatrix): DenseMatrix {
  return qr(a, "r").r;
}

/** A P = Q R with column pivoting: R is k x n (k = min(m, n)) with a non-increasing |diagonal|. */
export interface PivotedQr {
  /** m x k, or null when not asked for. */
  readonly q: DenseMatrix | null;
  readonly r: DenseMatrix;
  /** Column j of A P is column perm[j] of A. */
  readonly perm: Int32Array;
}

/**
 * QR with column pivoting (rank-revealing): A P = Q R.
 * @example
 * const { r, perm } = qrPivoted(a); // |r[0][0]| >= |r[1][1]| >= ...
 */
export function qrPivoted(a: DenseMatrix, wantQ = true): PivotedQr {
  const m = a.rows;
  const n = a.cols;
  const k = Math.min(m, n);
  const h = householder(a, true);
  return { q: wantQ ? formQ(h, m, k) : null, r: upperR(h, m, n, k), perm: h.perm };
}
