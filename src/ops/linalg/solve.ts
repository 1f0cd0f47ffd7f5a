// ops/linalg/solve: solve, inv, det and slogdet on [..., N, N] float tensors (batched over leading
// axes, computed in float64 through LU with partial pivoting), each with its gradient rule.
import { record } from "../../autograd/backward.js";
import { DTypeError, ShapeError, ValueError } from "../../core/errors.js";
import { broadcastShapes, formatShape, shapesEqual } from "../../core/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { mul } from "../binary.js";
import { matmul } from "../linalg.js";
import { type TensorLike, toTensor } from "../operand.js";
import { broadcastTo, matrixTranspose, reshape } from "../shape.js";
import { neg } from "../unary.js";
import { floatDType, mapMatrices, matrixAt, matrixBatch, packArrays, packMatrices } from "./batch.js";
import { det as detDense, type LuFactors, luFactor, luSolve, slogdet as slogdetDense } from "./dense-lu.js";
import { type DenseMatrix, identity } from "./dense-matrix.js";

/** LU factors of one matrix of a batch, or a ValueError that says it is singular and what to use. */
function factorNonSingular(op: string, a: DenseMatrix, index: number, count: number): LuFactors {
  if (!a.data.every(Number.isFinite))
    throw new ValueError(
      `${op}: ${count > 1 ? `matrix ${index} of the batch` : "the matrix"} contains NaN or Infinity`,
    );
  const f = luFactor(a);
  if (f.singular) {
    const which = count > 1 ? `matrix ${index} of the batch is singular` : "matrix is singular";
    throw new ValueError(
      `${op}: ${which} to working precision (numerical rank below N); use linalg.lstsq or linalg.pinv for a least-squares solution`,
    );
  }
  return f;
}

/** X = A^-1 B for A [..., N, N] and B [..., N, K] with equal batch shapes. */
function solveMatrices(a: Tensor, b: Tensor): Tensor {
  const A = matrixBatch("solve", a, true);
  const B = matrixBatch("solve", b);
  const xs = mapMatrices(A, (m, i) => luSolve(factorNonSingular("solve", m, i, A.count), matrixAt(B, i)));
  const x = packMatrices(floatDType(A), A.batchShape, xs, A.rows, B.cols);
  return record("solve", x, [a, b], (dx) => {
    // X = A^-1 B: dB = A^-T dX, dA = -dB X^T
    const db = solveMatrices(matrixTranspose(a), dx);
    const da = a.requiresGrad ? neg(matmul(db, x, { transposeB: true })) : null;
    return [da, b.requiresGrad ? db : null];
  });
}

/**
 * Solves A X = B for square, non-singular A [..., N, N]. B is [..., N, K] (batch axes broadcast)
 * or a vector [N] (then X is [..., N]). A singular A raises a ValueError that suggests lstsq.
 * @example
 * linalg.solve(tensor([[3, 1], [1, 2]]), tensor([9, 8])); // [2, 3]
 */
export function solve(aInput: TensorLike, bInput: TensorLike): Tensor {
  const A = matrixBatch("solve", aInput, true);
  const b = toTensor(bInput);
  if (b.dtype !== A.x.dtype)
    throw new DTypeError(
      `solve: dtypes differ (got A ${A.x.dtype} and B ${b.dtype}); cast one of them with cast()`,
    );
  const n = A.rows;
  const vector = b.rank === 1;
  const fits = vector ? b.shape[0] === n : b.rank >= 2 && b.shape[b.rank - 2] === n;
  if (!fits) {
    throw new ShapeError(
      `solve: A ${formatShape(A.x.shape)} needs B of shape [..., ${n}, K] or [${n}] (got ${formatShape(b.shape)})`,
    );
  }
  const b2 = vector ? reshape(b, [n, 1]) : b;
  const batch = broadcastShapes("solve", A.batchShape, b2.shape.slice(0, -2));
  const a3 = shapesEqual(A.batchShape, batch) ? A.x : broadcastTo(A.x, [...batch, n, n]);
  const bShape = [...batch, ...b2.shape.slice(-2)];
  const b3 = shapesEqual(b2.shape, bShape) ? b2 : broadcastTo(b2, bShape);
  const x = solveMatrices(a3, b3);
  return vector ? reshape(x, [...batch, n]) : x;
}

/**
 * Inverse of each square, non-singular matrix of A [..., N, N].
 * @example
 * linalg.inv(tensor([[2, 0], [0, 4]])); // [[0.5, 0], [0, 0.25]]
 */
export function inv(input: TensorLike): Tensor {
  const A = matrixBatch("inv", input, true);
  const a = A.x;
  const ys = mapMatrices(A, (m, i) => luSolve(factorNonSingular("inv", m, i, A.count), identity(A.rows)));
  const y = packMatrices(floatDType(A), A.batchShape, ys, A.rows, A.rows);
  // Y = A^-1: dA = -Y^T dY Y^T
  return record("inv", y, [a], (dy) => [
    neg(matmul(matmul(y, dy, { transposeA: true }), y, { transposeB: true })),
  ]);
}

/** d(log|det A|)/dA = A^-T, scaled per matrix by `scale` [...batch]. */
function scaledInverseTranspose(a: Tensor, scale: Tensor): Tensor {
  return mul(reshape(scale, [...scale.shape, 1, 1]), matrixTranspose(inv(a)));
}

/**
 * Determinant of each matrix of A [..., N, N] (shape [...batch]). The gradient, det(A) A^-T,
 * needs a non-singular A.
 * @example
 * linalg.det(tensor([[1, 2], [3, 4]])); // -2
 */
export function det(input: TensorLike): Tensor {
  const A = matrixBatch("det", input, true);
  const a = A.x;
  const values = mapMatrices(A, (m) => detDense(m));
  const d = packArrays(floatDType(A), A.batchShape, [values]);
  // d det A = det(A) A^-T
  return record("det", d, [a], (dd) => [scaledInverseTranspose(a, mul(dd, d))]);
}

/** sign(det A) and log|det A| per matrix; a singular matrix gives sign 0 and -Infinity (as NumPy). */
export interface Slogdet {
  readonly sign: Tensor;
  readonly logAbsDet: Tensor;
}

/**
 * Sign and natural log of |det A| for A [..., N, N], without the overflow of det. The gradient
 * of logAbsDet is A^-T; sign has none.
 * @example
 * const { sign, logAbsDet } = linalg.slogdet(tensor([[1, 2], [3, 4]])); // -1, log 2
 */
export function slogdet(input: TensorLike): Slogdet {
  const A = matrixBatch("slogdet", input, true);
  const a = A.x;
  const parts = mapMatrices(A, (m) => slogdetDense(m));
  const dtype = floatDType(A);
  const sign = packArrays(dtype, A.batchShape, [parts.map((p) => p.sign)]);
  const logAbsDet = record(
    "slogdet",
    packArrays(dtype, A.batchShape, [parts.map((p) => p.logAbsDet)]),
    [a],
    (dl) => [scaledInverseTranspose(a, dl)],
  );
  return { sign, logAbsDet };
}
