// ops/linalg/dense-svd: singular value decomposition of a float64 row-major matrix by one-sided
// (Hestenes) Jacobi rotations, after a Householder QR when the matrix is tall. One-sided Jacobi
// gives singular values to high relative accuracy, including the small ones of ill-conditioned
// and rank-deficient matrices. Signs are fixed so each row of Vt has its largest entry positive.
import {
  column,
  type DenseMatrix,
  dense,
  EPS64,
  euclideanNorm,
  matmulDense,
  requireFinite,
  rotateRows,
  transposeDense,
} from "./dense-matrix.js";
import { qr, qrR } from "./dense-qr.js";

/** A = U diag(s) Vt with s descending. Thin: U m x k, Vt k x n; full: U m x m, Vt n x n. */
export interface SvdResult {
  readonly u: DenseMatrix;
  readonly s: Float64Array;
  readonly vt: DenseMatrix;
}

export interface SvdOptions {
  /** Square U and Vt (default false: thin, k = min(m, n) columns). */
  fullMatrices?: boolean;
  /**
   * Form U (default true). With false, u is an m x 0 matrix: a tall A then skips forming Q and
   * Q U_R, about two thirds of the work (PCA needs only s and Vt).
   */
  computeU?: boolean;
}

const MAX_SWEEPS = 80;

/** Columns of a stored as rows (column-contiguous), so a rotation touches two contiguous rows. */
function jacobiColumns(w: Float64Array, v: Float64Array, m: number, n: number): void {
  // columns count as orthogonal once |cos| <= sqrt(m) eps (LAPACK dgesvj's tolerance)
  const tol = Math.sqrt(m) * EPS64;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const po = p * m;
        const qo = q * m;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = w[po + i]!;
          const y = w[qo + i]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        // rotation that makes columns p and q orthogonal: t is the smaller root of t^2 + 2 zeta t - 1
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotateRows(w, po, qo, m, c, s);
        rotateRows(v, p * n, q * n, n, c, s);
      }
    }
    if (!rotated) return;
  }
}

/**
 * `count` unit vectors of length m orthogonal to each other and to `cols`: the trailing columns
 * of the complete Householder Q of [cols].
 */
export function orthonormalComplement(
  cols: readonly Float64Array[],
  m: number,
  count: number,
): Float64Array[] {
  const g = cols.length;
  const a = new Float64Array(m * g);
  cols.forEach((c, j) => {
    for (let i = 0; i < m; i++) a[i * g + j] = c[i]!;
  });
  const q = g === 0 ? null : qr(dense(m, g, a), "complete").q;
  const out: Float64Array[] = [];
  for (let j = g; j < g + count; j++) {
    const col = new Float64Array(m);
    for (let i = 0; i < m; i++) col[i] = q === null ? (i === j ? 1 : 0) : q.data[i * m + j]!;
    out.push(col);
  }
  return out;
}

/**
 * Thin SVD of a tall (m >= n) matrix as column lists: u (n columns of length m; none without
 * `wantU`), s, v (n x n columns). Signs make the largest-magnitude entry of each column of
 * `signFrom` positive.
 */
function svdTall(
  a: DenseMatrix,
  wantU: boolean,
  signFrom: "u" | "v",
): { u: Float64Array[]; s: Float64Array; v: Float64Array[] } {
  const m = a.rows;
  const n = a.cols;
  // a tall matrix is reduced to its n x n R factor first: the rotations then cost n, not m, per
  // entry; Q is only formed when U is wanted
  const factor = m > n ? (wantU ? qr(a, "reduced") : { q: null, r: qrR(a) }) : null;
  const core = factor === null ? a : factor.r;
  const rows = core.rows;
  const w = transposeDense(core).data; // n x rows: row j = column j
  const v = new Float64Array(n * n); // row j = column j of V
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  jacobiColumns(w, v, rows, n);
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) norms[j] = euclideanNorm(w, j * rows, 1, rows);
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => norms[y]! - norms[x]! || x - y);
  const s = Float64Array.from(order, (j) => norms[j]!);
  const smax = s[0] ?? 0;
  const coreU: Float64Array[] = [];
  const vCols: Float64Array[] = [];
  const missing: number[] = [];
  order.forEach((j, rank) => {
    const sj = norms[j]!;
    const col = new Float64Array(rows);
    if (sj > smax * EPS64 * 1e-3 && sj > 0) for (let i = 0; i < rows; i++) col[i] = w[j * rows + i]! / sj;
    else missing.push(rank);
    coreU.push(col);
    vCols.push(v.slice(j * n, j * n + n));
  });
  // exactly (or numerically) zero singular values leave no direction: complete the basis
  if (missing.length > 0) {
    const kept = coreU.filter((_, r) => !missing.includes(r));
    const extra = orthonormalComplement(kept, rows, missing.length);
    missing.forEach((r, i) => {
      coreU[r] = extra[i]!;
    });
  }
  const q = factor?.q ?? null;
  // U = Q U_R (one GEMM) when A was reduced to R first
  const u = !wantU ? [] : q === null ? coreU : columnsOf(matmulDense(q, fromColumns(coreU, n)));
  // sign convention: the largest-magnitude entry of each column of `signFrom` is positive
  const flip = (col: Float64Array) => {
    for (let i = 0; i < col.length; i++) col[i] = -col[i]!;
  };
  vCols.forEach((vc, j) => {
    const ref = signFrom === "v" ? vc : u[j]!;
    let best = 0;
    for (let i = 0; i < ref.length; i++) if (Math.abs(ref[i]!) > Math.abs(ref[best]!)) best = i;
    if (ref[best]! < 0) {
      flip(vc);
      if (wantU) flip(u[j]!);
    }
  });
  return { u, s, v: vCols };
}

function fromColumns(cols: readonly Float64Array[], rows: number): DenseMatrix {
  const n = cols.length;
  const out = new Float64Array(rows * n);
  cols.forEach((c, j) => {
    for (let i = 0; i < rows; i++) out[i * n + j] = c[i]!;
  });
  return dense(rows, n, out);
}

function columnsOf(a: DenseMatrix): Float64Array[] {
  return Array.from({ length: a.cols }, (_, j) => column(a, j));
}

function fromRows(rowList: readonly Float64Array[], cols: number): DenseMatrix {
  const out = new Float64Array(rowList.length * cols);
  rowList.forEach((r, i) => {
    out.set(r, i * cols);
  });
  return dense(rowList.length, cols, out);
}

/**
 * Singular value decomposition A = U diag(s) Vt, s descending.
 * @example
 * const { u, s, vt } = svd(dense(3, 2, Float64Array.of(1, 2, 3, 4, 5, 6)));
 */
export function svd(a: DenseMatrix, options: SvdOptions = {}): SvdResult {
  requireFinite("svd", a);
  const m = a.rows;
  const n = a.cols;
  const full = options.fullMatrices ?? false;
  const wantU = options.computeU ?? true;
  const wide = m < n;
  // for a wide A, A^T = U' S V'^T gives A = V' S U'^T; either way Vh's rows fix the signs
  const tall = wide ? svdTall(transposeDense(a), true, "u") : svdTall(a, wantU, "v");
  let left = wantU ? (wide ? tall.v : tall.u) : [];
  let right = wide ? tall.u : tall.v;
  if (full) {
    if (wantU && left.length < m) left = [...left, ...orthonormalComplement(left, m, m - left.length)];
    if (right.length < n) right = [...right, ...orthonormalComplement(right, n, n - right.length)];
  }
  return { u: fromColumns(left, m), s: tall.s, vt: fromRows(right, n) };
}

/** Singular values only, descending. */
export function singularValues(a: DenseMatrix): Float64Array {
  requireFinite("svd", a);
  return a.rows < a.cols ? svdTall(transposeDense(a), false, "v").s : svdTall(a, false, "v").s;
}
