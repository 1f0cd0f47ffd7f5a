// ops/linalg/dense-qr: Householder QR of a float64 row-major m x n matrix. The reflectors follow
// LAPACK's dlarfg convention (beta = -sign(alpha) * ||x||), so Q and R match NumPy's up to
// rounding, not just up to signs.
import { type DenseMatrix, dense, euclideanNorm } from "./dense-matrix.js";

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
  readonly r: Float64Array;
  readonly vs: Float64Array[];
  readonly taus: Float64Array;
}

/**
 * M[row0:, col0:] -= tau v (v^T M[row0:, col0:]) for a row-major M with `cols` columns. Both
 * passes run along rows, so the inner loops read contiguous memory.
 */
function applyReflector(
  M: Float64Array,
  cols: number,
  row0: number,
  col0: number,
  v: Float64Array,
  tau: number,
): void {
  const width = cols - col0;
  if (width <= 0) return;
  const w = new Float64Array(width); // w = v^T M[row0:, col0:]
  for (let i = 0; i < v.length; i++) {
    const vi = v[i]!;
    if (vi === 0) continue;
    const base = (row0 + i) * cols + col0;
    for (let c = 0; c < width; c++) w[c]! += vi * M[base + c]!;
  }
  for (let i = 0; i < v.length; i++) {
    const f = tau * v[i]!;
    if (f === 0) continue;
    const base = (row0 + i) * cols + col0;
    for (let c = 0; c < width; c++) M[base + c]! -= f * w[c]!;
  }
}

/** Squared norm of column c of the row-major m x n buffer R from row `from` down. */
function columnNorm2(R: Float64Array, m: number, n: number, c: number, from: number): number {
  return euclideanNorm(R, from * n + c, n, m - from) ** 2;
}

/**
 * Householder reflections; with `pivot`, column pivoting (LAPACK's dgeqp3 strategy): step j
 * brings forward the remaining column of largest norm, so |R_00| >= |R_11| >= ... and a
 * rank-deficient A shows a small trailing block. `perm[j]` is the column of A that became
 * column j of A P.
 */
function householder(a: DenseMatrix, pivot = false): Reflectors & { perm: Int32Array } {
  const m = a.rows;
  const n = a.cols;
  const k = Math.min(m, n);
  const R = a.data.slice();
  const vs: Float64Array[] = [];
  const taus = new Float64Array(k);
  const perm = Int32Array.from({ length: n }, (_, j) => j);
  // squared column norms of the trailing block, downdated after each step (and recomputed where
  // the downdate has cancelled most of the value)
  const norms = pivot ? Float64Array.from({ length: n }, (_, c) => columnNorm2(R, m, n, c, 0)) : null;
  const exactAt = norms?.slice() ?? null;
  for (let j = 0; j < k; j++) {
    if (norms !== null && exactAt !== null) {
      let best = j;
      for (let c = j + 1; c < n; c++) if (norms[c]! > norms[best]!) best = c;
      if (best !== j) {
        for (let i = 0; i < m; i++) {
          const t = R[i * n + j]!;
          R[i * n + j] = R[i * n + best]!;
          R[i * n + best] = t;
        }
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
    const v = new Float64Array(len);
    const alpha = R[j * n + j]!;
    const xnorm = euclideanNorm(R, (j + 1) * n + j, n, m - j - 1);
    vs.push(v);
    v[0] = 1;
    if (xnorm === 0) continue; // H = I (tau 0), as dlarfg
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
    const tau = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = 1; i < len; i++) v[i] = R[(j + i) * n + j]! * scale;
    taus[j] = tau;
    // apply H to the trailing columns: R[j:, c] -= tau v (v^T R[j:, c])
    R[j * n + j] = beta;
    for (let i = 1; i < len; i++) R[(j + i) * n + j] = 0;
    applyReflector(R, n, j, j + 1, v, tau);
    if (norms !== null && exactAt !== null) {
      for (let c = j + 1; c < n; c++) {
        const left = norms[c]! - R[j * n + c]! ** 2;
        if (left > 1e-8 * exactAt[c]!) norms[c] = left;
        else {
          norms[c] = columnNorm2(R, m, n, c, j + 1);
          exactAt[c] = norms[c]!;
        }
      }
    }
  }
  return { r: R, vs, taus, perm };
}

/** Q's first `cols` columns: H_0 H_1 ... H_{k-1} applied to the identity's first columns. */
function formQ(h: Reflectors, m: number, cols: number): DenseMatrix {
  const Q = new Float64Array(m * cols);
  for (let i = 0; i < Math.min(m, cols); i++) Q[i * cols + i] = 1;
  for (let j = h.vs.length - 1; j >= 0; j--) {
    const tau = h.taus[j]!;
    if (tau === 0) continue;
    applyReflector(Q, cols, j, 0, h.vs[j]!, tau);
  }
  return dense(m, cols, Q);
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
  const rRows = mode === "complete" ? m : k;
  const r = new Float64Array(rRows * n);
  for (let i = 0; i < Math.min(rRows, m); i++) for (let j = i; j < n; j++) r[i * n + j] = h.r[i * n + j]!;
  const q = mode === "r" ? null : formQ(h, m, mode === "complete" ? m : k);
  return { q, r: dense(rRows, n, r) };
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
  const r = new Float64Array(k * n);
  for (let i = 0; i < k; i++) for (let j = i; j < n; j++) r[i * n + j] = h.r[i * n + j]!;
  return { q: wantQ ? formQ(h, m, k) : null, r: dense(k, n, r), perm: h.perm };
}
