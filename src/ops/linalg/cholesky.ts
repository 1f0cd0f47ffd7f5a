// ops/linalg/cholesky: the Cholesky factor of symmetric positive-definite matrices [..., N, N]
// (lower by default, upper on request), with its gradient rule.
import { record } from "../../autograd/backward.js";
import { ValueError } from "../../core/errors.js";
import { eye } from "../../tensor/creation.js";
import type { Tensor } from "../../tensor/tensor.js";
import { add, mul, sub } from "../binary.js";
import { matmul } from "../linalg.js";
import type { TensorLike } from "../operand.js";
import { matrixTranspose } from "../shape.js";
import { floatDType, mapMatrices, matrixBatch, packMatrices } from "./batch.js";
import { cholesky as choleskyDense } from "./dense-lu.js";
import { inv } from "./solve.js";
import { tril } from "./triangle.js";

export interface CholeskyOptions {
  /** Return the upper factor U = L^T (A = U^T U) instead of L (default false). */
  upper?: boolean;
}

/** L = chol(A) for A [..., N, N]; reads A's lower triangle. */
function choleskyLower(a: Tensor): Tensor {
  const A = matrixBatch("cholesky", a, true);
  const ls = mapMatrices(A, (m, i) => {
    try {
      return choleskyDense(m);
    } catch (e) {
      if (e instanceof ValueError && A.count > 1)
        throw new ValueError(e.message.replace("cholesky: matrix", `cholesky: matrix ${i} of the batch`));
      throw e;
    }
  });
  const l = packMatrices(floatDType(A), A.batchShape, ls, A.rows, A.rows);
  return record("cholesky", l, [a], (dl) => {
    // Phi(X) = tril(X) with its diagonal halved; S = L^-T Phi(L^T dL) L^-1; dA = (S + S^T) / 2
    const n = A.rows;
    const p = matmul(l, dl, { transposeA: true });
    const phi = sub(tril(p), mul(mul(p, eye(n, n, { dtype: l.dtype })), 0.5));
    const lInv = inv(l);
    const s = matmul(matmul(lInv, phi, { transposeA: true }), lInv);
    return [mul(add(s, matrixTranspose(s)), 0.5)];
  });
}

/**
 * Cholesky factor of symmetric positive-definite matrices: A = L L^T with L lower triangular.
 * Only the lower triangle of A is read (as NumPy); a matrix that is not positive definite raises
 * a ValueError naming the failing leading minor. The gradient is the symmetric one (A symmetric).
 * @example
 * linalg.cholesky(tensor([[4, 2], [2, 3]])); // [[2, 0], [1, 1.414...]]
 */
export function cholesky(input: TensorLike, options: CholeskyOptions = {}): Tensor {
  const l = choleskyLower(matrixBatch("cholesky", input, true).x);
  return options.upper === true ? matrixTranspose(l) : l;
}
