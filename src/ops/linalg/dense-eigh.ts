// ops/linalg/dense-eigh: eigen-decomposition of a real symmetric float64 matrix: cyclic Jacobi
// rotations up to JACOBI_MAX_SIZE, tridiagonal QL (dense-tridiagonal.ts) above. Reads the lower
// triangle only (as NumPy's eigh with UPLO="L"). Eigenvalues come ascending; each eigenvector
// column has its largest-magnitude entry positive.
import { ValueError } from "../../core/errors.js";
import { type DenseMatrix, dense, EPS64, euclideanNorm, requireSquare, rotateRows } from "./dense-matrix.js";
import { type SymmetricEigenRows, symmetricEigenRows } from "./dense-tridiagonal.js";

/** A = V diag(values) V^T; `vectors` holds the eigenvectors as columns. */
export interface EighResult {
  readonly values: Float64Array;
  readonly vectors: DenseMatrix;
}

const MAX_SWEEPS = 100;
/** Up to this size cyclic Jacobi (small tiny eigenvalues to high relative accuracy); above it, tridiagonal QL. */
export const JACOBI_MAX_SIZE = 32;

/**
 * Symmetric eigen-decomposition.
 * @example
 * const { values, vectors } = eigh(dense(2, 2, Float64Array.of(2, 1, 1, 2))); // values [1, 3]
 */
export function eigh(a: DenseMatrix): EighResult {
  requireSquare("eigh", a);
  const n = a.rows;
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v = a.data[i * n + j]!;
      if (!Number.isFinite(v)) throw new ValueError(`eigh: the matrix contains NaN or Infinity (got ${v})`);
      A[i * n + j] = v;
      A[j * n + i] = v;
    }
  const norm = euclideanNorm(A, 0, 1, n * n);
  const { values: diagonal, vectorRows: VT } =
    n > JACOBI_MAX_SIZE ? symmetricEigenRows(A, n) : jacobi(A, n, norm);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => diagonal[x]! - diagonal[y]! || x - y);
  const values = Float64Array.from(order, (i) => diagonal[i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((src, j) => {
    const row = VT.subarray(src * n, src * n + n);
    let best = 0;
    for (let i = 0; i < n; i++) if (Math.abs(row[i]!) > Math.abs(row[best]!)) best = i;
    const sign = row[best]! < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) vectors[i * n + j] = sign * row[i]!;
  });
  return { values, vectors: dense(n, n, vectors) };
}

/** Cyclic Jacobi on the symmetric A (overwritten): the diagonal and the eigenvectors as rows. */
function jacobi(A: Float64Array, n: number, norm: number): SymmetricEigenRows {
  // eigenvectors as rows (row j = column j of V), so a rotation updates two contiguous rows
  const VT = new Float64Array(n * n);
  for (let i = 0; i < n; i++) VT[i * n + i] = 1;
  const floor = EPS64 * EPS64 * norm;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        const app = A[p * n + p]!;
        const aqq = A[q * n + q]!;
        if (Math.abs(apq) <= Math.max(floor, EPS64 * Math.sqrt(Math.abs(app * aqq)))) continue;
        rotated = true;
        // t = tan(theta), the smaller root of t^2 + 2 theta t - 1 = 0 with theta = (aqq - app) / (2 apq)
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A <- J^T A J, J the rotation in the (p, q) plane. A stays symmetric, so rows p and q are
        // rotated (contiguous) and mirrored into columns p and q; the 2 x 2 block has a closed form.
        const po = p * n;
        const qo = q * n;
        rotateRows(A, po, qo, n, c, s);
        A[po + p] = app - t * apq;
        A[qo + q] = aqq + t * apq;
        A[po + q] = 0;
        A[qo + p] = 0;
        for (let k = 0; k < n; k++) {
          A[k * n + p] = A[po + k]!;
          A[k * n + q] = A[qo + k]!;
        }
        rotateRows(VT, po, qo, n, c, s);
      }
    }
    if (!rotated) break;
  }
  return { values: Float64Array.from({ length: n }, (_, i) => A[i * n + i]!), vectorRows: VT };
}
