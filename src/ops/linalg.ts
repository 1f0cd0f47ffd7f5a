// ops/linalg: matmul (1-D, 2-D and batched with broadcast batch dimensions and transposes), dot,
// outer, and the fused linear op (x @ w + b, then an activation) that dense layers call.

import { record } from "../autograd/backward.js";
import type { EpilogueActivation } from "../backend/kernels.js";

/** Re-exported so that layers name the fusable activations through ops/, never backend/. */
export type { EpilogueActivation };

import { kernels } from "../backend/registry.js";
import { allocateUninit, type FloatArray } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { broadcastShapes, formatShape, type Shape, shapesEqual, sizeOf } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { add, mul } from "./binary.js";
import { requireFloat, type TensorLike, toTensor, toTensorPair } from "./operand.js";
import { sumTo } from "./reduce.js";
import { broadcastTo, reshape } from "./shape.js";
import { relu, sigmoid, tanh } from "./unary.js";

export interface MatmulOptions {
  /** Use the transpose of a's last two axes. */
  transposeA?: boolean;
  /** Use the transpose of b's last two axes. */
  transposeB?: boolean;
}

/**
 * Matrix product with NumPy semantics: 1-D operands are promoted to a row / column and the
 * promoted axis removed; leading (batch) axes broadcast.
 * @example
 * matmul(randn([8, 3, 4]), randn([4, 5])); // shape [8, 3, 5]
 */
export function matmul(x: TensorLike, z: TensorLike, options: MatmulOptions = {}): Tensor {
  const [a0, b0] = toTensorPair("matmul", x, z);
  requireFloat("matmul", a0);
  if (a0.rank === 0 || b0.rank === 0)
    throw new ShapeError("matmul: operands must have at least one dimension (got a scalar)");
  const transA = options.transposeA ?? false;
  const transB = options.transposeB ?? false;
  const a = a0.rank === 1 ? reshape(a0, [1, a0.size]) : a0;
  const b = b0.rank === 1 ? reshape(b0, [b0.size, 1]) : b0;
  // errors name the shapes the caller passed, not the promoted [1, k] / [k, 1] views
  const y = matmul2(a, b, transA && a0.rank > 1, transB && b0.rank > 1, [a0.shape, b0.shape]);
  let shape = [...y.shape];
  if (a0.rank === 1) shape.splice(shape.length - 2, 1);
  if (b0.rank === 1) shape = shape.slice(0, -1);
  return reshape(y, shape);
}

/** Batched product of rank >= 2 operands. `shown` are the shapes error messages name. */
function matmul2(
  a: Tensor,
  b: Tensor,
  transA: boolean,
  transB: boolean,
  shown: readonly [Shape, Shape] = [a.shape, b.shape],
): Tensor {
  const m = transA ? a.shape[a.rank - 1]! : a.shape[a.rank - 2]!;
  const k = transA ? a.shape[a.rank - 2]! : a.shape[a.rank - 1]!;
  const kb = transB ? b.shape[b.rank - 1]! : b.shape[b.rank - 2]!;
  const n = transB ? b.shape[b.rank - 2]! : b.shape[b.rank - 1]!;
  if (k !== kb) {
    throw new ShapeError(
      `matmul: inner dimensions differ (got ${formatShape(shown[0])} and ${formatShape(shown[1])}${transA || transB ? `, transposeA=${transA}, transposeB=${transB}` : ""})`,
    );
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batchShape = broadcastShapes("matmul", aBatch, bBatch);
  const batch = sizeOf(batchShape);
  const aMat = a.shape.slice(-2);
  const bMat = b.shape.slice(-2);
  // a side whose batch is all ones is read with batch stride 0; other mismatches are materialised
  const aSize = sizeOf(aBatch);
  const bSize = sizeOf(bBatch);
  const aIn = aSize === 1 || shapesEqual(aBatch, batchShape) ? a : broadcastTo(a, [...batchShape, ...aMat]);
  const bIn = bSize === 1 || shapesEqual(bBatch, batchShape) ? b : broadcastTo(b, [...batchShape, ...bMat]);
  const out = allocateUninit(a.dtype, batch * m * n) as FloatArray;
  kernels().matmul(aIn.data as FloatArray, bIn.data as FloatArray, out, {
    batch,
    m,
    n,
    k,
    transA,
    transB,
    aBatchStride: aSize === 1 ? 0 : m * k,
    bBatchStride: bSize === 1 ? 0 : k * n,
  });
  const y = new Tensor(out, [...batchShape, m, n]);
  return record("matmul", y, [a, b], (dy) => {
    // y = A B: dA = dy B^T, dB = A^T dy (transposed variants follow from (XY)^T = Y^T X^T)
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (a.requiresGrad) {
      da = transA ? matmul2(b, dy, transB, true) : matmul2(dy, b, false, !transB);
      da = sumTo(da, a.shape);
    }
    if (b.requiresGrad) {
      db = transB ? matmul2(dy, a, true, transA) : matmul2(a, dy, !transA, false);
      db = sumTo(db, b.shape);
    }
    return [da, db];
  });
}

/** Inner product of two 1-D tensors. */
export function dot(x: TensorLike, z: TensorLike): Tensor {
  const [a, b] = toTensorPair("dot", x, z);
  if (a.rank !== 1 || b.rank !== 1) {
    throw new ShapeError(
      `dot: expected two 1-D tensors (got ${formatShape(a.shape)} and ${formatShape(b.shape)})`,
    );
  }
  return matmul(a, b);
}

/** Outer product of two 1-D tensors: shape [a.size, b.size]. */
export function outer(x: TensorLike, z: TensorLike): Tensor {
  const [a, b] = toTensorPair("outer", x, z);
  if (a.rank !== 1 || b.rank !== 1) {
    throw new ShapeError(
      `outer: expected two 1-D tensors (got ${formatShape(a.shape)} and ${formatShape(b.shape)})`,
    );
  }
  return mul(reshape(a, [a.size, 1]), reshape(b, [1, b.size]));
}

const EPILOGUES: readonly EpilogueActivation[] = ["none", "relu", "sigmoid", "tanh"];

/**
 * Fused dense layer: activation(x @ kernel + bias), x of shape [..., inFeatures], kernel
 * [inFeatures, units], bias [units]. One kernel call forward; one gradient rule.
 */
export function linear(
  input: TensorLike,
  kernelInput: TensorLike,
  biasInput?: TensorLike | null,
  activation: EpilogueActivation = "none",
): Tensor {
  const x = toTensor(input);
  const w = toTensor(kernelInput);
  const bias = biasInput === undefined || biasInput === null ? null : toTensor(biasInput);
  requireFloat("linear", x);
  if (!EPILOGUES.includes(activation))
    throw new ValueError(`linear: unknown activation "${activation}" (expected ${EPILOGUES.join(", ")})`);
  if (w.dtype !== x.dtype || (bias && bias.dtype !== x.dtype)) {
    throw new DTypeError(
      `linear: dtypes differ (got x ${x.dtype}, kernel ${w.dtype}${bias ? `, bias ${bias.dtype}` : ""})`,
    );
  }
  if (w.rank !== 2 || x.rank < 1 || x.shape[x.rank - 1] !== w.shape[0]) {
    throw new ShapeError(
      `linear: x [..., in] and kernel [in, units] do not fit (got ${formatShape(x.shape)} and ${formatShape(w.shape)})`,
    );
  }
  const units = w.shape[1]!;
  if (bias && (bias.rank !== 1 || bias.size !== units)) {
    throw new ShapeError(`linear: bias must have shape [${units}] (got ${formatShape(bias.shape)})`);
  }
  const m = sizeOf(x.shape.slice(0, -1));
  const out = allocateUninit(x.dtype, m * units) as FloatArray;
  kernels().matmul(x.data as FloatArray, w.data as FloatArray, out, {
    batch: 1,
    m,
    n: units,
    k: w.shape[0]!,
    transA: false,
    transB: false,
    aBatchStride: 0,
    bBatchStride: 0,
    bias: bias ? (bias.data as FloatArray) : undefined,
    activation,
  });
  const y = new Tensor(out, [...x.shape.slice(0, -1), units]);
  const inputs = bias ? [x, w, bias] : [x, w];
  return record(
    "linear",
    y,
    inputs,
    (dy) => {
      // one kernel pass: dz = dy * act'(z), expressed through y (relu' = [y > 0], sigmoid' =
      // y (1 - y), tanh' = (1 - y)(1 + y)), and the bias gradient as dz's column sums
      const wantBias = bias?.requiresGrad === true;
      let dz = dy;
      let dBias: FloatArray | null = null;
      if (activation !== "none" || wantBias) {
        const dzData = activation === "none" ? null : (allocateUninit(y.dtype, m * units) as FloatArray);
        dBias = wantBias ? (allocateUninit(y.dtype, units) as FloatArray) : null;
        kernels().epilogueBackward(y.data as FloatArray, dy.data as FloatArray, dzData, dBias, {
          rows: m,
          cols: units,
          activation,
        });
        if (dzData !== null) dz = new Tensor(dzData, y.shape);
      }
      const dz2 = reshape(dz, [m, units]);
      const x2 = reshape(x, [m, w.shape[0]!]);
      const dx = x.requiresGrad ? reshape(matmul(dz2, w, { transposeB: true }), x.shape) : null;
      const dw = w.requiresGrad ? matmul(x2, dz2, { transposeA: true }) : null;
      const grads: (Tensor | null)[] = [dx, dw];
      if (bias) grads.push(dBias === null ? null : new Tensor(dBias, [units]));
      return grads;
    },
    ([xIn, wIn, bIn]) => linearComposed(xIn!, wIn!, bIn ?? null, activation),
  );
}

/** activation(x @ kernel + bias) in separate recorded ops (the form a second derivative goes through). */
function linearComposed(x: Tensor, w: Tensor, bias: Tensor | null, activation: EpilogueActivation): Tensor {
  const z = matmul(x, w);
  return applyEpilogue(bias === null ? z : add(z, bias), activation);
}

/** Applies an epilogue activation as a separate op (for the paths that cannot fuse it). */
export function applyEpilogue(y: Tensor, activation: EpilogueActivation): Tensor {
  if (activation === "relu") return relu(y);
  if (activation === "sigmoid") return sigmoid(y);
  if (activation === "tanh") return tanh(y);
  if (activation !== "none") throw new ValueError(`linear: unknown activation "${String(activation)}"`);
  return y;
}
