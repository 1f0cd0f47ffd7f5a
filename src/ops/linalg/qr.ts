// ops/linalg/qr: Householder QR of [..., M, N] float tensors ("reduced", "complete" or "r" mode),
// with the gradient rule for the reduced factors of a full-column-rank A with M >= N.
import { record } from "../../autograd/backward.js";
import { GradError, ValueError } from "../../core/errors.js";
import type { Tensor } from "../../tensor/tensor.js";
import { sub } from "../binary.js";
import { matmul } from "../linalg.js";
import type { TensorLike } from "../operand.js";
import { matrixTranspose } from "../shape.js";
import { floatDType, mapMatrices, matrixBatch, packArrays } from "./batch.js";
import { qr as qrDense } from "./dense-qr.js";
import { inv } from "./solve.js";
import { tril } from "./triangle.js";

export type QrMode = "reduced" | "complete" | "r";

/** A = Q R. With mode "r", q is null. */
export interface Qr {
  readonly q: Tensor | null;
  readonly r: Tensor;
}

const MODES: readonly QrMode[] = ["reduced", "complete", "r"];

/**
 * QR decomposition by Householder reflections, with LAPACK's signs (R's diagonal may be
 * negative), so Q and R match NumPy's. Reduced: Q [..., M, K], R [..., K, N] (K = min(M, N));
 * complete: Q [..., M, M], R [..., M, N]; "r": R only. Gradients: reduced mode, M >= N, R
 * non-singular.
 * @example
 * const { q, r } = linalg.qr(randn([4, 3])); // q [4, 3], r [3, 3]
 */
export function qr(input: TensorLike, mode: QrMode = "reduced"): Qr {
  if (!MODES.includes(mode))
    throw new ValueError(`qr: mode must be "reduced", "complete" or "r" (got ${JSON.stringify(mode)})`);
  const A = matrixBatch("qr", input);
  const a = A.x;
  const { rows: m, cols: n, batchShape } = A;
  const k = Math.min(m, n);
  const complete = mode === "complete";
  const dtype = floatDType(A);
  const parts = mapMatrices(A, (mat) => qrDense(mat, complete ? "complete" : "reduced"));
  const qCols = complete ? m : k;
  const q = packArrays(
    dtype,
    [...batchShape, m, qCols],
    parts.map((p) => p.q.data),
  );
  const r = packArrays(
    dtype,
    [...batchShape, complete ? m : k, n],
    parts.map((p) => p.r.data),
  );
  const differentiable = () => {
    if (m < n || (complete && m !== n))
      throw new GradError(
        `qr: the gradient needs M >= N and the reduced mode (got A [${m}, ${n}], mode ${mode})`,
      );
  };
  // with M = dR R^T - Q^T dQ:
  // dA = Q dR + (dQ - Q Q^T dQ - Q tril(M - M^T, -1)) R^-T
  const rInvT = () => matrixTranspose(inv(r));
  const lowerSkew = (mm: Tensor) => tril(sub(mm, matrixTranspose(mm)), -1);
  const rOut = record("qr", r, [a], (dr) => {
    differentiable();
    const mm = matmul(dr, r, { transposeB: true });
    return [sub(matmul(q, dr), matmul(matmul(q, lowerSkew(mm)), rInvT()))];
  });
  // NOTE: q is recorded even when only R is returned: R's rule uses it, and a second derivative
  // must see it depend on A
  const qOut = record("qr", q, [a], (dq) => {
    differentiable();
    const qtdq = matmul(q, dq, { transposeA: true });
    const mm = sub(0, qtdq);
    return [matmul(sub(sub(dq, matmul(q, qtdq)), matmul(q, lowerSkew(mm))), rInvT())];
  });
  return { q: mode === "r" ? null : qOut, r: rOut };
}
