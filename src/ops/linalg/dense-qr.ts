// ops/linalg/dense-qr: Householder QR of a float64 row-major m x n matrix. The reflectors follow
// LAPACK's dlarfg convention (beta = -sign(alpha) * ||x||), so Q and R match NumPy's up to
// rounding, not just up to signs.
import { type DenseMatrix, dense, euclideanNorm, matmulDense, transposeDense } from "./dense-matrix.js";

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

/** Panel width of the blocked factorization and the size from which blocking pays. */
const BLOCK = 32;
const BLOCKED_MIN = 64;

/** Reflectors j0 .. j0 + jb - 1 as an (m - j0) x jb matrix V: unit diagonal, zeros above. */
function panelV(vs: readonly Float64Array[], j0: number, jb: number, m: number): DenseMatrix {
  const rows = m - j0;
  const V = new Float64Array(rows * jb);
  for (let p = 0; p < jb; p++) {
    const v = vs[j0 + p]!; // length m - j0 - p, starting at row p of the panel
    for (let i = 0; i < v.length; i++) V[(p + i) * jb + p] = v[i]!;
  }
  return dense(rows, jb, V);
}

/**
 * Upper-triangular T with H_j0 H_j0+1 ... H_j0+jb-1 = I - V T V^T (LAPACK's dlarft, forward):
 * column p is T[0:p, p] = -tau_p T[0:p, 0:p] (V[:, 0:p]^T v_p), T[p, p] = tau_p.
 */
function blockT(V: DenseMatrix, taus: Float64Array, j0: number): DenseMatrix {
  const { rows, cols: jb } = V;
  const T = new Float64Array(jb * jb);
  const w = new Float64Array(jb);
  for (let p = 0; p < jb; p++) {
    const tau = taus[j0 + p]!;
    T[p * jb + p] = tau;
    if (tau === 0 || p === 0) continue;
    w.fill(0, 0, p);
    for (let r = p; r < rows; r++) {
      const vrp = V.data[r * jb + p]!;
      if (vrp !== 0) for (let q = 0; q < p; q++) w[q]! += V.data[r * jb + q]! * vrp;
    }
    for (let i = 0; i < p; i++) {
      let acc = 0;
      for (let q = i; q < p; q++) acc += T[i * jb + q]! * w[q]!;
      T[i * jb + p] = -tau * acc;
    }
  }
  return dense(jb, jb, T);
}

/**
 * Applies a block reflector to the column-stored columns [c0, c1), rows j0.. : with B the block
 * (its transpose Bt is what the storage holds), B <- (I - V T^T V^T) B when factoring
 * (Q^T A), or B <- (I - V T V^T) B when forming Q. In the transposed storage that is
 * Bt <- Bt - (Bt V) X V^T with X = T or T^T: two GEMMs through the backend.
 */
function applyBlock(
  C: Float64Array,
  m: number,
  j0: number,
  c0: number,
  c1: number,
  V: DenseMatrix,
  T: DenseMatrix,
  formingQ: boolean,
): void {
  const rows = m - j0;
  const nt = c1 - c0;
  if (nt <= 0) return;
  const Bt = new Float64Array(nt * rows);
  for (let c = 0; c < nt; c++) Bt.set(C.subarray((c0 + c) * m + j0, (c0 + c + 1) * m), c * rows);
  const bt = dense(nt, rows, Bt);
  const w = matmulDense(matmulDense(bt, V), T, { transB: formingQ }); // nt x jb
  const update = matmulDense(w, V, { transB: true }); // nt x rows
  for (let c = 0; c < nt; c++) {
    const base = (c0 + c) * m + j0;
    for (let i = 0; i < rows; i++) C[base + i]! -= update.data[c * rows + i]!;
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
  // blocked (LAPACK's dgeqrf): reflectors are applied inside a panel of BLOCK columns one by one,
  // then to the trailing columns at once as I - V T^T V^T, two GEMMs
  const blocked = !pivot && k >= BLOCKED_MIN;
  for (let j = 0; j < k; j++) {
    const panelStart = blocked ? j - (j % BLOCK) : 0;
    const panelEnd = blocked ? Math.min(panelStart + BLOCK, k) : n;
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
    // xnorm 0: H = I (tau 0), as dlarfg
    if (xnorm !== 0) {
      const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
      const tau = (beta - alpha) / beta;
      const scale = 1 / (alpha - beta);
      for (let i = 1; i < len; i++) v[i] = C[at + i]! * scale;
      taus[j] = tau;
      C[at] = beta;
      C.fill(0, at + 1, at + len);
      reflectColumns(C, m, j, j + 1, panelEnd, v, tau);
    }
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
    if (blocked && j === panelEnd - 1 && panelEnd < n) {
      const V = panelV(vs, panelStart, panelEnd - panelStart, m);
      applyBlock(C, m, panelStart, panelEnd, n, V, blockT(V, taus, panelStart), false);
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
  const k = h.vs.length;
  if (k >= BLOCKED_MIN) {
    // panels from the last: Q[j0:, j0:] <- (I - V T V^T) Q[j0:, j0:]; columns before j0 are still
    // e_c there and untouched
    for (let j0 = k - ((k - 1) % BLOCK) - 1; j0 >= 0; j0 -= BLOCK) {
      const V = panelV(h.vs, j0, Math.min(BLOCK, k - j0), m);
      applyBlock(Qc, m, j0, j0, cols, V, blockT(V, h.taus, j0), true);
    }
    return transposeDense(dense(cols, m, Qc));
  }
  for (let j = k - 1; j >= 0; j--) {
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
