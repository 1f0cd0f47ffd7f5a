// ops/crossentropy: softmax crossentropy straight from logits, one fused op per target kind
// (integer labels, or dense / soft targets over the last axis). Forward: one log-softmax kernel
// pass (kept for the backward) and the per-row loss -sum t log p; backward: dlogits =
// dloss (p sum(t) - t) with p = exp(log p), from two kernel passes and a per-row correction,
// instead of the composed logSoftmax + oneHot + mul + sum + neg and their adjoints.

import { record } from "../autograd/backward.js";
import { kernels } from "../backend/registry.js";
import { allocate, type FloatArray } from "../core/dtype.js";
import { DTypeError, IndexError, ShapeError } from "../core/errors.js";
import { formatShape, shapesEqual, sizeOf } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { logSoftmax } from "./activation.js";
import { mul } from "./binary.js";
import { oneHot } from "./indexing.js";
import { requireFloat, type TensorLike, toTensor } from "./operand.js";
import { sum } from "./reduce.js";
import { neg } from "./unary.js";

/** log-softmax of [rows, cols] logits over the last axis, in logits' dtype. */
function logSoftmaxRows(z: Tensor, rows: number, cols: number): FloatArray {
  const logp = allocate(z.dtype, rows * cols) as FloatArray;
  kernels().logSoftmax(z.data as FloatArray, rows, cols, 1, logp);
  return logp;
}

/** p = exp(log p), each row scaled by scale[r] (broadcast multiply, in place). */
function scaledSoftmax(logp: FloatArray, scale: FloatArray, rows: number, cols: number): FloatArray {
  const k = kernels();
  const p = allocate(logp instanceof Float32Array ? "float32" : "float64", rows * cols) as FloatArray;
  k.unary.exp(logp, p);
  k.binary.mul(p, [cols, 1], scale, [1, 0], p, [rows, cols]);
  return p;
}

function checkLogits(op: string, z: Tensor): number {
  requireFloat(op, z);
  if (z.rank < 1) throw new ShapeError(`${op}: logits need a class axis (got ${formatShape(z.shape)})`);
  return z.shape[z.rank - 1]!;
}

/**
 * -log softmax(logits)[label] per row: logits [..., C], labels int32 [...] in [0, C); returns
 * logits.shape without the class axis. Differentiable in logits.
 * @example
 * sparseSoftmaxCrossentropy(tensor([[2, 0, -1]]), tensor([0], { dtype: "int32" })); // [0.17...]
 */
export function sparseSoftmaxCrossentropy(logitsInput: TensorLike, labelsInput: TensorLike): Tensor {
  const op = "sparseSoftmaxCrossentropy";
  const z = toTensor(logitsInput);
  const labels = toTensor(labelsInput);
  const cols = checkLogits(op, z);
  if (labels.dtype !== "int32") throw new DTypeError(`${op}: labels must be int32 (got ${labels.dtype})`);
  const batchShape = z.shape.slice(0, -1);
  if (!shapesEqual(labels.shape, batchShape)) {
    throw new ShapeError(
      `${op}: labels must have shape ${formatShape(batchShape)} for logits of shape ${formatShape(z.shape)} (got ${formatShape(labels.shape)})`,
    );
  }
  const rows = labels.size;
  const lab = labels.data as Int32Array;
  for (let r = 0; r < rows; r++) {
    const v = lab[r]!;
    if (v < 0 || v >= cols) throw new IndexError(`${op}: label ${v} is out of range for ${cols} classes`);
  }
  const logp = logSoftmaxRows(z, rows, cols);
  const loss = allocate(z.dtype, rows) as FloatArray;
  for (let r = 0; r < rows; r++) loss[r] = -logp[r * cols + lab[r]!]!;
  const y = new Tensor(loss, batchShape);
  return record(
    op,
    y,
    [z],
    (dy) => {
      // dz = dy (p - onehot)
      const g = dy.data as FloatArray;
      const dz = scaledSoftmax(logp, g, rows, cols);
      for (let r = 0; r < rows; r++) dz[r * cols + lab[r]!]! -= g[r]!;
      return [new Tensor(dz, z.shape)];
    },
    ([logits]) => composedCrossentropy(logits!, oneHot(labels, cols, { dtype: z.dtype })),
  );
}

/**
 * -sum_c t log softmax(logits) over the last axis, for targets t of logits' shape and dtype (one-hot
 * or soft, rows need not sum to 1); returns logits.shape without the class axis. Differentiable in
 * both: dlogits = dloss (p sum(t) - t), dtargets = -dloss log p.
 */
export function softmaxCrossentropy(logitsInput: TensorLike, targetsInput: TensorLike): Tensor {
  const op = "softmaxCrossentropy";
  const z = toTensor(logitsInput);
  const t = toTensor(targetsInput);
  const cols = checkLogits(op, z);
  if (t.dtype !== z.dtype)
    throw new DTypeError(`${op}: targets must have logits' dtype ${z.dtype} (got ${t.dtype})`);
  if (!shapesEqual(t.shape, z.shape)) {
    throw new ShapeError(
      `${op}: targets must have the logits' shape ${formatShape(z.shape)} (got ${formatShape(t.shape)})`,
    );
  }
  const batchShape = z.shape.slice(0, -1);
  const rows = sizeOf(batchShape);
  const logp = logSoftmaxRows(z, rows, cols);
  const td = t.data as FloatArray;
  const loss = allocate(z.dtype, rows) as FloatArray;
  const tsum = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let acc = 0;
    let s = 0;
    for (let c = r * cols, end = c + cols; c < end; c++) {
      acc += td[c]! * logp[c]!;
      s += td[c]!;
    }
    loss[r] = -acc;
    tsum[r] = s;
  }
  const y = new Tensor(loss, batchShape);
  return record(
    op,
    y,
    [z, t],
    (dy) => {
      const g = dy.data as FloatArray;
      let dz: Tensor | null = null;
      if (z.requiresGrad) {
        const scale = allocate(z.dtype, rows) as FloatArray;
        for (let r = 0; r < rows; r++) scale[r] = g[r]! * tsum[r]!;
        const d = scaledSoftmax(logp, scale, rows, cols);
        for (let r = 0; r < rows; r++) {
          const gr = g[r]!;
          for (let c = r * cols, end = c + cols; c < end; c++) d[c]! -= gr * td[c]!;
        }
        dz = new Tensor(d, z.shape);
      }
      let dt: Tensor | null = null;
      if (t.requiresGrad) {
        const d = allocate(z.dtype, rows * cols) as FloatArray;
        for (let r = 0; r < rows; r++) {
          const gr = g[r]!;
          for (let c = r * cols, end = c + cols; c < end; c++) d[c] = -gr * logp[c]!;
        }
        dt = new Tensor(d, t.shape);
      }
      return [dz, dt];
    },
    ([logits, targets]) => composedCrossentropy(logits!, targets!),
  );
}

/** -sum(t log softmax(z)) over the last axis in recorded ops: the form a second derivative goes through. */
function composedCrossentropy(z: Tensor, t: Tensor): Tensor {
  return neg(sum(mul(t, logSoftmax(z)), -1));
}
