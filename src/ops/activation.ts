// ops/activation: softmax / logSoftmax (fused kernels with their own gradient rules) and the
// composite activations, which are built from primitives and so need no gradient of their own.

import { record } from "../autograd/backward.js";
import { kernels } from "../backend/registry.js";
import { allocateUninit, type FloatArray } from "../core/dtype.js";
import { normalizeAxis, splitAtAxis } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { add, div, minimum, mul, sub } from "./binary.js";
import { cast } from "./cast.js";
import { greater, less, where } from "./compare.js";
import { requireFloat, requireNumeric, type TensorLike, toTensor } from "./operand.js";
import { sum } from "./reduce.js";
import { abs, erf, exp, expm1, neg, relu, sigmoid, softplus, tanh } from "./unary.js";

/** exp(x) / sum(exp(x)) along an axis (last by default), computed stably. */
export function softmax(input: TensorLike, axis = -1): Tensor {
  const x = toTensor(input);
  requireFloat("softmax", x);
  const a = normalizeAxis("softmax", axis, x.rank);
  const { outer, size, inner } = splitAtAxis(x.shape, a);
  const out = allocateUninit(x.dtype, x.size) as FloatArray;
  kernels().softmax(x.data as FloatArray, outer, size, inner, out);
  const y = new Tensor(out, x.shape);
  // dx = y * (dy - sum(dy * y))
  return record("softmax", y, [x], (dy) => [mul(y, sub(dy, sum(mul(dy, y), a, { keepDims: true })))]);
}

/** x - logSumExp(x) along an axis (last by default), computed stably. */
export function logSoftmax(input: TensorLike, axis = -1): Tensor {
  const x = toTensor(input);
  requireFloat("logSoftmax", x);
  const a = normalizeAxis("logSoftmax", axis, x.rank);
  const { outer, size, inner } = splitAtAxis(x.shape, a);
  const out = allocateUninit(x.dtype, x.size) as FloatArray;
  kernels().logSoftmax(x.data as FloatArray, outer, size, inner, out);
  const y = new Tensor(out, x.shape);
  // dx = dy - exp(y) * sum(dy)
  return record("logSoftmax", y, [x], (dy) => [sub(dy, mul(exp(y), sum(dy, a, { keepDims: true })))]);
}

/** The input of a float-only activation, with an error naming the activation otherwise. */
function floatInput(op: string, input: TensorLike): Tensor {
  const x = toTensor(input);
  requireFloat(op, x);
  return x;
}

/** Limits values to [min, max]; the gradient is 1 inside the range and 0 outside. */
export function clip(input: TensorLike, min: number, max: number): Tensor {
  let x = toTensor(input);
  requireNumeric("clip", x);
  // like arithmetic: an int32 tensor clipped to fractional bounds is computed in float32
  if (x.dtype === "int32" && !(Number.isInteger(min) && Number.isInteger(max))) x = cast(x, "float32");
  return where(less(x, min), min, where(greater(x, max), max, x));
}

/** x for x > 0, alpha * x otherwise (Keras 3 default alpha 0.2). */
export function leakyRelu(input: TensorLike, alpha = 0.2): Tensor {
  const x = floatInput("leakyRelu", input);
  return where(greater(x, 0), x, mul(x, alpha));
}

/** x for x > 0, alpha * (e^x - 1) otherwise. */
export function elu(input: TensorLike, alpha = 1): Tensor {
  const x = floatInput("elu", input);
  // NOTE: expm1 of min(x, 0), so the unused branch never overflows and poisons the gradient with 0 * inf
  return where(greater(x, 0), x, mul(expm1(minimum(x, 0)), alpha));
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Scaled ELU with the self-normalising constants. */
export function selu(input: TensorLike): Tensor {
  return mul(elu(floatInput("selu", input), SELU_ALPHA), SELU_SCALE);
}

/**
 * GELU: x * Phi(x) exactly (0.5 x (1 + erf(x / sqrt 2))), or with the tanh approximation
 * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) when `approximate` is true. Fused: one kernel
 * forward, one for the gradient dx = dy gelu'(x).
 */
export function gelu(input: TensorLike, approximate = false): Tensor {
  const x = floatInput("gelu", input);
  const out = allocateUninit(x.dtype, x.size) as FloatArray;
  const xd = x.data as FloatArray;
  kernels().gelu(xd, out, approximate);
  return record(
    "gelu",
    new Tensor(out, x.shape),
    [x],
    (dy) => {
      const dx = allocateUninit(x.dtype, x.size) as FloatArray;
      kernels().geluBackward(xd, dy.data as FloatArray, dx, approximate);
      return [new Tensor(dx, x.shape)];
    },
    ([input]) => geluComposed(input!, approximate),
  );
}

const SQRT_HALF = Math.SQRT1_2;
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

/** gelu in elementwise ops (the form a second derivative goes through). */
function geluComposed(x: Tensor, approximate: boolean): Tensor {
  const inner = approximate
    ? tanh(mul(add(x, mul(mul(x, mul(x, x)), 0.044715)), SQRT_TWO_OVER_PI))
    : erf(mul(x, SQRT_HALF));
  return mul(mul(x, 0.5), add(inner, 1));
}

/** x / (1 + |x|) */
export function softsign(input: TensorLike): Tensor {
  const x = floatInput("softsign", input);
  return div(x, add(abs(x), 1));
}

/** x * sigmoid(x), also called SiLU. */
export function swish(input: TensorLike): Tensor {
  const x = floatInput("swish", input);
  return mul(x, sigmoid(x));
}
export const silu = swish;

/** min(max(x, 0), 6) */
export function relu6(input: TensorLike): Tensor {
  return minimum(relu(input), 6);
}

/** Piecewise-linear sigmoid: clip(x / 6 + 0.5, 0, 1) (Keras 3). */
export function hardSigmoid(input: TensorLike): Tensor {
  return clip(add(div(floatInput("hardSigmoid", input), 6), 0.5), 0, 1);
}

/** x * hardSigmoid(x) */
export function hardSwish(input: TensorLike): Tensor {
  const x = floatInput("hardSwish", input);
  return mul(x, hardSigmoid(x));
}

/** x * tanh(softplus(x)) */
export function mish(input: TensorLike): Tensor {
  const x = floatInput("mish", input);
  return mul(x, tanh(softplus(x)));
}

/** log(sigmoid(x)) = -softplus(-x), stable for large |x|. */
export function logSigmoid(input: TensorLike): Tensor {
  return neg(softplus(neg(floatInput("logSigmoid", input))));
}
