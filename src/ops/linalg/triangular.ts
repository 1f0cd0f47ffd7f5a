// ops/linalg/triangular: solveTriangular, X = A^-1 B for triangular A [..., N, N] by
// substitution (O(N^2 K), no factorization), batched, with its gradient rule.
import { record } from "../../autograd/backward.js";
import { DTypeError, ShapeError, ValueError } from "../../core/errors.js";
import { formatShape, shapesEqual } from "../../core/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { matmul } from "../linalg.js";
import { type TensorLike, toTensor } from "../operand.js";
import { matrixTranspose } from "../shape.js";
import { neg } from "../unary.js";
import { floatDType, mapMatrices, matrixAt, matrixBatch, packMatrices } from "./batch.js";
import { triangularSolve } from "./dense-lu.js";
import { tril, triu } from "./triangle.js";

export interface SolveTriangularOptions {
  /** A is upper triangular (true) or lower triangular (false). Required: the other triangle is ignored. */
  upper: boolean;
}

function solveTriangularMatrices(a: Tensor, b: Tensor, upper: boolean): Tensor {
  const A = matrixBatch("solveTriangular", a, true);
  const B = matrixBatch("solveTriangular", b);
  const xs = mapMatrices(A, (m, i) => {
    for (let d = 0; d < m.rows; d++) {
      if (m.data[d * m.rows + d] === 0)
        throw new ValueError(
          `solveTriangular: matrix${A.count > 1 ? ` ${i} of the batch` : ""} is singular (zero on the diagonal at ${d})`,
        );
    }
    return triangularSolve(m, matrixAt(B, i), !upper);
  });
  const x = packMatrices(floatDType(A), A.batchShape, xs, A.rows, B.cols);
  return record("solveTriangular", x, [a, b], (dx) => {
    // X = A^-1 B: dB = A^-T dX (A^T has the other triangle), dA = -dB X^T kept on A's triangle
    const db = solveTriangularMatrices(matrixTranspose(a), dx, !upper);
    const full = neg(matmul(db, x, { transposeB: true }));
    const da = a.requiresGrad ? (upper ? triu(full) : tril(full)) : null;
    return [da, b.requiresGrad ? db : null];
  });
}

/**
 * Solves A X = B for triangular A [..., N, N] and B [..., N, K] (same batch shape), reading only
 * A's upper or lower triangle.
 * @example
 * linalg.solveTriangular(tensor([[2, 0], [1, 1]]), tensor([[2], [3]]), { upper: false }); // [[1], [2]]
 */
export function solveTriangular(
  aInput: TensorLike,
  bInput: TensorLike,
  options: SolveTriangularOptions,
): Tensor {
  const A = matrixBatch("solveTriangular", aInput, true);
  const b = toTensor(bInput);
  if (typeof options?.upper !== "boolean")
    throw new ValueError("solveTriangular: options.upper must be true or false (which triangle A holds)");
  if (b.dtype !== A.x.dtype)
    throw new DTypeError(`solveTriangular: dtypes differ (got A ${A.x.dtype} and B ${b.dtype})`);
  if (
    b.rank !== A.x.rank ||
    b.shape[b.rank - 2] !== A.rows ||
    !shapesEqual(b.shape.slice(0, -2), A.batchShape)
  ) {
    throw new ShapeError(
      `solveTriangular: A ${formatShape(A.x.shape)} needs B of shape [${[...A.batchShape, A.rows].join(",")}, K] (got ${formatShape(b.shape)})`,
    );
  }
  return solveTriangularMatrices(A.x, b, options.upper);
}
