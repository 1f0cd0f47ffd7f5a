// ops/compare: comparisons and logic (bool results, no gradient) and where(cond, a, b).

import { record } from "../autograd/backward.js";
import { kernels } from "../backend/registry.js";
import { allocateUninit } from "../core/dtype.js";
import { DTypeError } from "../core/errors.js";
import { broadcastShapes, broadcastStrides, sizeOf } from "../core/shape.js";
import { zerosLike } from "../tensor/creation.js";
import { Tensor } from "../tensor/tensor.js";
import { applyBinary } from "./broadcast-apply.js";
import { cast } from "./cast.js";
import { type TensorLike, toTensor, toTensorPair } from "./operand.js";
import { sumTo } from "./reduce.js";

type CompareOp = "equal" | "notEqual" | "less" | "lessEqual" | "greater" | "greaterEqual";
type LogicOp = "logicalAnd" | "logicalOr" | "logicalXor";

function compare(op: CompareOp, x: TensorLike, z: TensorLike): Tensor {
  let [a, b] = toTensorPair(op, x, z);
  if (a.dtype !== b.dtype) {
    a = cast(a, "float32");
    b = cast(b, "float32");
  }
  return applyBinary(op, a, b, "bool");
}

function logic(op: LogicOp, x: TensorLike, z: TensorLike): Tensor {
  const a = cast(toTensor(x), "bool");
  const b = cast(toTensor(z), "bool");
  return applyBinary(op, a, b, "bool");
}

/** bool: a == b */
export const equal = (a: TensorLike, b: TensorLike): Tensor => compare("equal", a, b);
/** bool: a != b */
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => compare("notEqual", a, b);
/** bool: a < b */
export const less = (a: TensorLike, b: TensorLike): Tensor => compare("less", a, b);
/** bool: a <= b */
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => compare("lessEqual", a, b);
/** bool: a > b */
export const greater = (a: TensorLike, b: TensorLike): Tensor => compare("greater", a, b);
/** bool: a >= b */
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => compare("greaterEqual", a, b);
/** bool: both non-zero. */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => logic("logicalAnd", a, b);
/** bool: either non-zero. */
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => logic("logicalOr", a, b);
/** bool: exactly one non-zero. */
export const logicalXor = (a: TensorLike, b: TensorLike): Tensor => logic("logicalXor", a, b);

/**
 * Picks a where cond is true and b elsewhere, all three broadcast together.
 * @example
 * where(greater(x, 0), x, 0); // relu
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const cond = toTensor(condition);
  if (cond.dtype !== "bool")
    throw new DTypeError(`where: condition must be a bool tensor (got ${cond.dtype})`);
  const [ta, tb] = toTensorPair("where", a, b);
  if (ta.dtype !== tb.dtype) throw new DTypeError(`where: dtypes differ (got ${ta.dtype} and ${tb.dtype})`);
  const shape = broadcastShapes("where", cond.shape, ta.shape, tb.shape);
  const out = allocateUninit(ta.dtype, sizeOf(shape));
  kernels().where(
    cond.data as Uint8Array,
    broadcastStrides(cond.shape, shape),
    ta.data,
    broadcastStrides(ta.shape, shape),
    tb.data,
    broadcastStrides(tb.shape, shape),
    out,
    shape,
  );
  const y = new Tensor(out, shape);
  return record("where", y, [ta, tb], (dy) => {
    const zero = zerosLike(dy);
    return [
      ta.requiresGrad ? sumTo(where(cond, dy, zero), ta.shape) : null,
      tb.requiresGrad ? sumTo(where(cond, zero, dy), tb.shape) : null,
    ];
  });
}
