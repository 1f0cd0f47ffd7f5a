// ops/swiglu: the SwiGLU gate of LLaMA-style feed-forward blocks as one fused op: one kernel
// forward, one for both gradients (backend/fused/swiglu holds the kernels' specification).

import { record } from "../autograd/backward.js";
import { kernels } from "../backend/registry.js";
import { allocateUninit, type FloatArray } from "../core/dtype.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { Tensor } from "../tensor/tensor.js";
import { mul } from "./binary.js";
import { requireFloat, type TensorLike, toTensor } from "./operand.js";
import { sigmoid } from "./unary.js";

/**
 * SwiGLU: silu(gate) * up = gate * sigmoid(gate) * up, element by element, for gate and up of one
 * shape and float dtype (in a feed-forward block both are projections of the same input).
 * @example
 * const h = ts.swiglu(ts.matmul(x, wGate), ts.matmul(x, wUp)); // then h @ wDown
 */
export function swiglu(gateInput: TensorLike, upInput: TensorLike): Tensor {
  const gate = toTensor(gateInput);
  const up = toTensor(upInput);
  requireFloat("swiglu", gate);
  requireFloat("swiglu", up);
  if (gate.dtype !== up.dtype)
    throw new DTypeError(`swiglu: gate and up must share a dtype (got ${gate.dtype} and ${up.dtype})`);
  if (gate.shape.length !== up.shape.length || gate.shape.some((d, i) => d !== up.shape[i]))
    throw new ShapeError(
      `swiglu: gate and up must have the same shape (got [${gate.shape.join(",")}] and [${up.shape.join(",")}])`,
    );
  const params = { n: gate.size };
  const g = gate.data as FloatArray;
  const u = up.data as FloatArray;
  const out = allocateUninit(gate.dtype, gate.size) as FloatArray;
  kernels().swiglu(g, u, out, params);
  return record(
    "swiglu",
    new Tensor(out, gate.shape),
    [gate, up],
    (dy) => {
      const dGate = allocateUninit(gate.dtype, gate.size) as FloatArray;
      const dUp = allocateUninit(gate.dtype, gate.size) as FloatArray;
      kernels().swigluBackward(g, u, dy.data as FloatArray, dGate, dUp, params);
      return [new Tensor(dGate, gate.shape), new Tensor(dUp, up.shape)];
    },
    // the composed form, which a second derivative goes through
    ([a, b]) => mul(mul(a!, sigmoid(a!)), b!),
  );
}
