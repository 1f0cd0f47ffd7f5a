// ops/linalg/eigh: eigenvalues (ascending) and eigenvectors of real symmetric matrices [..., N, N],
// with the gradient rule for distinct eigenvalues.
import { record } from "../../autograd/backward.js";
import { eye } from "../../tensor/creation.js";
import type { Tensor } from "../../tensor/tensor.js";
import { add, mul, sub } from "../binary.js";
import { matmul } from "../linalg.js";
import type { TensorLike } from "../operand.js";
import { matrixTranspose, reshape } from "../shape.js";
import { reciprocal } from "../unary.js";
import { floatDType, mapMatrices, matrixBatch, packArrays } from "./batch.js";
import { eigh as eighDense } from "./dense-eigh.js";

/** Eigenvalues [..., N] ascending and eigenvectors [..., N, N] as columns: A = V diag(w) V^T. */
export interface Eigh {
  readonly eigenvalues: Tensor;
  readonly eigenvectors: Tensor;
}

/**
 * F[i][j] = 1 / (w_j - w_i) off the diagonal, 0 on it, for w [..., N]: built from ops so a
 * second derivative sees it too.
 */
export function inverseGaps(w: Tensor, gapOf: (w: Tensor) => Tensor = (x) => x): Tensor {
  const n = w.shape[w.rank - 1]!;
  const g = gapOf(w);
  const gaps = sub(reshape(g, [...g.shape.slice(0, -1), 1, n]), reshape(g, [...g.shape.slice(0, -1), n, 1]));
  const identity = eye(n, n, { dtype: w.dtype });
  return mul(reciprocal(add(gaps, identity)), sub(1, identity));
}

/** M - M^T for M [..., N, N]. */
export function skew(m: Tensor): Tensor {
  return sub(m, matrixTranspose(m));
}

/**
 * Symmetric eigen-decomposition by Jacobi rotations. Reads the lower triangle of A (as NumPy's
 * eigh); eigenvalues ascending; each eigenvector's largest-magnitude entry is positive. Gradients
 * assume a symmetric A and distinct eigenvalues (the eigenvector rule divides by their gaps).
 * @example
 * const { eigenvalues, eigenvectors } = linalg.eigh(tensor([[2, 1], [1, 2]])); // [1, 3]
 */
export function eigh(input: TensorLike): Eigh {
  const A = matrixBatch("eigh", input, true);
  const a = A.x;
  const n = A.rows;
  const dtype = floatDType(A);
  const parts = mapMatrices(A, (m) => eighDense(m));
  const w = packArrays(
    dtype,
    [...A.batchShape, n],
    parts.map((p) => p.values),
  );
  const v = packArrays(
    dtype,
    [...A.batchShape, n, n],
    parts.map((p) => p.vectors.data),
  );
  // every output's rule is linear in its own gradient, so each records its share of dA:
  // dA = V (diag(dw) + F o (V^T dV - dV^T V) / 2) V^T, F_ij = 1 / (w_j - w_i)
  const sandwich = (inner: Tensor) => matmul(matmul(v, inner), v, { transposeB: true });
  const eigenvalues = record("eigh", w, [a], (dw) => [
    sandwich(mul(reshape(dw, [...dw.shape, 1]), eye(n, n, { dtype }))),
  ]);
  const eigenvectors = record("eigh", v, [a], (dv) => [
    sandwich(mul(mul(inverseGaps(w), skew(matmul(v, dv, { transposeA: true }))), 0.5)),
  ]);
  return { eigenvalues, eigenvectors };
}

/** Eigenvalues only (ascending), [..., N]. */
export function eigvalsh(input: TensorLike): Tensor {
  return eigh(input).eigenvalues;
}
