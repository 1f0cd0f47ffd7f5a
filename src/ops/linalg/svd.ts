// ops/linalg/svd: singular value decomposition of [..., M, N] float tensors (thin or full), the
// singular values alone, and the gradient rule for distinct, non-zero singular values.
// K = min(M, N) throughout.
import { record } from "../../autograd/backward.js";
import { isGradEnabled } from "../../autograd/mode.js";
import { GradError } from "../../core/errors.js";
import type { Tensor } from "../../tensor/tensor.js";
import { div, mul, sub } from "../binary.js";
import { slice } from "../indexing.js";
import { matmul } from "../linalg.js";
import type { TensorLike } from "../operand.js";
import { reshape } from "../shape.js";
import { square } from "../unary.js";
import { floatDType, mapMatrices, matrixBatch, packArrays } from "./batch.js";
import { singularValues, svd as svdDense } from "./dense-svd.js";
import { inverseGaps, skew } from "./eigh.js";

export interface SvdOptions {
  /** U [..., M, M] and Vh [..., N, N] instead of the thin [..., M, K] and [..., K, N] (default false). */
  fullMatrices?: boolean;
}

/** A = U diag(S) Vh, S [..., K] descending. */
export interface Svd {
  readonly u: Tensor;
  readonly s: Tensor;
  readonly vh: Tensor;
}

/** The first `count` entries of the last (or second-to-last) axis of t. */
function leading(t: Tensor, count: number, axis: -1 | -2): Tensor {
  const size = t.shape[t.rank + axis]!;
  if (size === count) return t;
  const specs = t.shape.map(() => null as [number, number] | null);
  specs[t.rank + axis] = [0, count];
  return slice(t, specs);
}

/**
 * Singular value decomposition by one-sided Jacobi rotations (after a Householder QR when A is
 * tall): accurate small singular values, including for rank-deficient and ill-conditioned A. Signs
 * are fixed so each row of Vh has its largest entry positive. Gradients need distinct non-zero
 * singular values; with fullMatrices they exist for S, and for U / Vh only when A is square.
 * @example
 * const { u, s, vh } = linalg.svd(randn([5, 3])); // u [5, 3], s [3], vh [3, 3]
 */
export function svd(input: TensorLike, options: SvdOptions = {}): Svd {
  const A = matrixBatch("svd", input);
  const a = A.x;
  const { rows: m, cols: n, batchShape } = A;
  const k = Math.min(m, n);
  const full = options.fullMatrices ?? false;
  const dtype = floatDType(A);
  const parts = mapMatrices(A, (mat) => svdDense(mat, { fullMatrices: full }));
  const uCols = full ? m : k;
  const vRows = full ? n : k;
  const u = packArrays(
    dtype,
    [...batchShape, m, uCols],
    parts.map((p) => p.u.data),
  );
  const s = packArrays(
    dtype,
    [...batchShape, k],
    parts.map((p) => p.s),
  );
  const vh = packArrays(
    dtype,
    [...batchShape, vRows, n],
    parts.map((p) => p.vt.data),
  );
  // the rules below use the thin factors: U_k [..., M, K], Vh_k [..., K, N]. NOTE: taken inside
  // the rules, from the recorded outputs, so a second derivative sees them depend on A
  const uk = () => leading(u, k, -1);
  const vhk = () => leading(vh, k, -2);
  const sRow = () => reshape(s, [...batchShape, 1, k]); // s_j along columns
  const sCol = () => reshape(s, [...batchShape, k, 1]); // s_i along rows
  const f = () => inverseGaps(s, square); // 1 / (s_j^2 - s_i^2)
  const thinOnly = (which: string) => {
    if (full && m !== n)
      throw new GradError(
        `svd: the gradient through ${which} needs fullMatrices: false (or a square matrix)`,
      );
  };
  // dA = U [F o skew(U^T dU) S + diag(dS) + S F o skew(V^T dV)] Vh
  //      + (I - U U^T) dU S^-1 Vh + U S^-1 dVh (I - V Vh)
  const sOut = record("svd", s, [a], (ds) => [matmul(mul(uk(), reshape(ds, [...batchShape, 1, k])), vhk())]);
  const uOut = record("svd", u, [a], (du) => {
    thinOnly("U");
    const [uThin, sj] = [uk(), sRow()];
    const utdu = matmul(uThin, du, { transposeA: true });
    let inner = matmul(uThin, mul(mul(f(), skew(utdu)), sj));
    if (m > k) inner = sub(inner, div(sub(matmul(uThin, utdu), du), sj));
    return [matmul(inner, vhk())];
  });
  const vhOut = record("svd", vh, [a], (dvh) => {
    thinOnly("Vh");
    const [vhThin, si] = [vhk(), sCol()];
    const vtdv = matmul(vhThin, dvh, { transposeB: true }); // V^T dV = Vh dVh^T
    let inner = matmul(mul(si, mul(f(), skew(vtdv))), vhThin);
    // dVh V Vh = (V^T dV)^T Vh
    if (n > k) inner = sub(inner, div(sub(matmul(vtdv, vhThin, { transposeA: true }), dvh), si));
    return [matmul(uk(), inner)];
  });
  return { u: uOut, s: sOut, vh: vhOut };
}

/** Singular values [..., K], descending (differentiable where they are distinct and non-zero). */
export function svdvals(input: TensorLike): Tensor {
  const A = matrixBatch("svdvals", input);
  // without a gradient to record, U and V are not needed: the values alone cost far less
  if (A.x.requiresGrad && isGradEnabled()) return svd(A.x).s;
  return packArrays(
    floatDType(A),
    [...A.batchShape, Math.min(A.rows, A.cols)],
    mapMatrices(A, singularValues),
  );
}
