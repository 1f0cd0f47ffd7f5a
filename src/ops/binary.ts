// ops/binary: elementwise arithmetic with NumPy broadcasting. Gradients are reduced back to each
// input's shape (sumTo) because broadcasting copies an input along the broadcast axes.

import { record } from "../autograd/backward.js";
import type { BinaryOp } from "../backend/kernels.js";
import { zerosLike } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";
import { applyBinary } from "./broadcast-apply.js";
import { cast } from "./cast.js";
import { equal, greater, less, where } from "./compare.js";
import { requireNumeric, type TensorLike, toTensorPair } from "./operand.js";
import { sumTo } from "./reduce.js";
import { floor, log, neg, square } from "./unary.js";

type ArithmeticOp = "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum" | "mod" | "atan2";
/** [da, db] from the inputs, the output and the upstream gradient, before reduction to input shapes. */
type GradRule = (a: Tensor, b: Tensor, y: Tensor, dy: Tensor) => [Tensor, Tensor];

// Where a == b, maximum/minimum split the gradient evenly between the two inputs.
function pickGrad(aWins: Tensor, a: Tensor, b: Tensor, dy: Tensor): [Tensor, Tensor] {
  const tie = cast(equal(a, b), dy.dtype);
  const shareA = add(cast(aWins, dy.dtype), mul(tie, 0.5));
  return [mul(dy, shareA), mul(dy, sub(1, shareA))];
}

const arithmeticRules = {
  add: (_a, _b, _y, dy) => [dy, dy],
  sub: (_a, _b, _y, dy) => [dy, neg(dy)],
  mul: (a, b, _y, dy) => [mul(dy, b), mul(dy, a)],
  div: (a, b, _y, dy) => [div(dy, b), neg(div(mul(dy, a), square(b)))], // d(a/b)/db = -a/b^2
  // d a^b / da = b a^(b-1); d a^b / db = a^b ln a (taken as 0 where a == 0)
  pow: (a, b, y, dy) => [
    mul(dy, mul(b, pow(a, sub(b, 1)))),
    mul(dy, where(equal(a, 0), zerosLike(y), mul(y, log(a)))),
  ],
  maximum: (a, b, _y, dy) => pickGrad(greater(a, b), a, b, dy),
  minimum: (a, b, _y, dy) => pickGrad(less(a, b), a, b, dy),
  mod: (a, b, _y, dy) => [dy, neg(mul(dy, floor(div(a, b))))], // a mod b = a - b floor(a/b)
  atan2: (a, b, _y, dy) => {
    const r2 = add(square(a), square(b));
    return [mul(dy, div(b, r2)), neg(mul(dy, div(a, r2)))];
  },
} satisfies Record<ArithmeticOp, GradRule>;

function arithmetic(op: ArithmeticOp, x: TensorLike, z: TensorLike): Tensor {
  let [a, b] = toTensorPair(op, x, z);
  requireNumeric(op, a);
  requireNumeric(op, b);
  if (a.dtype !== b.dtype) {
    // an int32 tensor met a fractional JS number: compute in float32
    a = cast(a, "float32");
    b = cast(b, "float32");
  }
  if ((op === "div" || op === "atan2") && a.dtype === "int32") {
    a = cast(a, "float32");
    b = cast(b, "float32");
  }
  const y = applyBinary(op as BinaryOp, a, b, a.dtype);
  if (a.dtype === "int32") return y;
  const rule = arithmeticRules[op];
  return record(op, y, [a, b], (dy) => {
    const [da, db] = rule(a, b, y, dy);
    return [a.requiresGrad ? sumTo(da, a.shape) : null, b.requiresGrad ? sumTo(db, b.shape) : null];
  });
}

/** a + b, broadcast. */
export const add = (a: TensorLike, b: TensorLike): Tensor => arithmetic("add", a, b);
/** a - b, broadcast. */
export const sub = (a: TensorLike, b: TensorLike): Tensor => arithmetic("sub", a, b);
/** a * b elementwise, broadcast. */
export const mul = (a: TensorLike, b: TensorLike): Tensor => arithmetic("mul", a, b);
/** a / b (true division: int32 inputs give float32). */
export const div = (a: TensorLike, b: TensorLike): Tensor => arithmetic("div", a, b);
/** a ** b */
export const pow = (a: TensorLike, b: TensorLike): Tensor => arithmetic("pow", a, b);
/** Elementwise maximum (NaN propagates). */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => arithmetic("maximum", a, b);
/** Elementwise minimum (NaN propagates). */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => arithmetic("minimum", a, b);
/** Floored modulo: the result has the sign of b (Python and NumPy `%`). */
export const mod = (a: TensorLike, b: TensorLike): Tensor => arithmetic("mod", a, b);
/** Angle of the point (b, a): atan2(a, b). */
export const atan2 = (a: TensorLike, b: TensorLike): Tensor => arithmetic("atan2", a, b);
