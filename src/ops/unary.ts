// ops/unary: elementwise unary math. Each row of the table holds the op's dtype rule and its
// gradient rule; the table's type makes a missing rule a compile error.

import { record } from "../autograd/backward.js";
import type { UnaryOp } from "../backend/kernels.js";
import { kernels } from "../backend/registry.js";
import { allocateUninit } from "../core/dtype.js";
import { zerosLike } from "../tensor/creation.js";
import { Tensor } from "../tensor/tensor.js";
import { add, div, mul, sub } from "./binary.js";
import { cast } from "./cast.js";
import { greater } from "./compare.js";
import { requireFloat, requireNumeric, type TensorLike, toTensor } from "./operand.js";

/** dx from the input x, the output y and the upstream gradient dy. */
type GradRule = (x: Tensor, y: Tensor, dy: Tensor) => Tensor;

interface UnaryRule {
  /** float: float dtypes only; numeric: not bool; any: every dtype. */
  accepts: "float" | "numeric" | "any";
  /** bool ops write a bool tensor and have no gradient. */
  output: "same" | "bool";
  grad: GradRule | "nondifferentiable";
}

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const zeroGrad: GradRule = (x) => zerosLike(x);

const unaryRules = {
  neg: { accepts: "numeric", output: "same", grad: (_x, _y, dy) => neg(dy) },
  abs: { accepts: "numeric", output: "same", grad: (x, _y, dy) => mul(dy, sign(x)) }, // d|x| = sign(x)
  exp: { accepts: "float", output: "same", grad: (_x, y, dy) => mul(dy, y) }, // d e^x = e^x
  log: { accepts: "float", output: "same", grad: (x, _y, dy) => div(dy, x) }, // d ln x = 1/x
  log1p: { accepts: "float", output: "same", grad: (x, _y, dy) => div(dy, add(x, 1)) },
  expm1: { accepts: "float", output: "same", grad: (_x, y, dy) => mul(dy, add(y, 1)) },
  sqrt: { accepts: "float", output: "same", grad: (_x, y, dy) => div(dy, mul(y, 2)) }, // 1/(2 sqrt x)
  rsqrt: { accepts: "float", output: "same", grad: (_x, y, dy) => mul(dy, mul(mul(y, square(y)), -0.5)) }, // -x^-3/2 / 2
  square: { accepts: "numeric", output: "same", grad: (x, _y, dy) => mul(dy, mul(x, 2)) },
  reciprocal: { accepts: "float", output: "same", grad: (_x, y, dy) => neg(mul(dy, square(y))) }, // -1/x^2
  sin: { accepts: "float", output: "same", grad: (x, _y, dy) => mul(dy, cos(x)) },
  cos: { accepts: "float", output: "same", grad: (x, _y, dy) => neg(mul(dy, sin(x))) },
  tan: { accepts: "float", output: "same", grad: (_x, y, dy) => mul(dy, add(square(y), 1)) }, // 1 + tan^2
  tanh: { accepts: "float", output: "same", grad: (_x, y, dy) => mul(dy, sub(1, square(y))) }, // 1 - tanh^2
  sigmoid: { accepts: "float", output: "same", grad: (_x, y, dy) => mul(dy, mul(y, sub(1, y))) }, // s (1 - s)
  relu: { accepts: "numeric", output: "same", grad: (x, _y, dy) => mul(dy, cast(greater(x, 0), x.dtype)) },
  softplus: { accepts: "float", output: "same", grad: (x, _y, dy) => mul(dy, sigmoid(x)) },
  erf: {
    accepts: "float",
    output: "same",
    grad: (x, _y, dy) => mul(dy, mul(exp(neg(square(x))), TWO_OVER_SQRT_PI)),
  },
  sign: { accepts: "numeric", output: "same", grad: zeroGrad },
  floor: { accepts: "numeric", output: "same", grad: zeroGrad },
  ceil: { accepts: "numeric", output: "same", grad: zeroGrad },
  round: { accepts: "numeric", output: "same", grad: zeroGrad },
  isNaN: { accepts: "any", output: "bool", grad: "nondifferentiable" },
  isFinite: { accepts: "any", output: "bool", grad: "nondifferentiable" },
  logicalNot: { accepts: "any", output: "bool", grad: "nondifferentiable" },
} as const satisfies Record<UnaryOp, UnaryRule>;

function unary(op: UnaryOp, input: TensorLike): Tensor {
  const x = toTensor(input);
  const rule: UnaryRule = unaryRules[op];
  if (rule.accepts === "float") requireFloat(op, x);
  else if (rule.accepts === "numeric") requireNumeric(op, x);
  const out = allocateUninit(rule.output === "bool" ? "bool" : x.dtype, x.size);
  kernels().unary[op](x.data, out);
  const y = new Tensor(out, x.shape);
  const gradRule = rule.grad;
  if (gradRule !== "nondifferentiable" && x.dtype !== "int32") {
    record(op, y, [x], (dy) => [gradRule(x, y, dy)]);
  }
  return y;
}

/** -x */
export const neg = (x: TensorLike): Tensor => unary("neg", x);
/** |x| */
export const abs = (x: TensorLike): Tensor => unary("abs", x);
/** e^x */
export const exp = (x: TensorLike): Tensor => unary("exp", x);
/** Natural logarithm. */
export const log = (x: TensorLike): Tensor => unary("log", x);
/** log(1 + x), accurate near 0. */
export const log1p = (x: TensorLike): Tensor => unary("log1p", x);
/** e^x - 1, accurate near 0. */
export const expm1 = (x: TensorLike): Tensor => unary("expm1", x);
export const sqrt = (x: TensorLike): Tensor => unary("sqrt", x);
/** 1 / sqrt(x) */
export const rsqrt = (x: TensorLike): Tensor => unary("rsqrt", x);
export const square = (x: TensorLike): Tensor => unary("square", x);
/** 1 / x */
export const reciprocal = (x: TensorLike): Tensor => unary("reciprocal", x);
export const sin = (x: TensorLike): Tensor => unary("sin", x);
export const cos = (x: TensorLike): Tensor => unary("cos", x);
export const tan = (x: TensorLike): Tensor => unary("tan", x);
export const tanh = (x: TensorLike): Tensor => unary("tanh", x);
/** 1 / (1 + e^-x), computed without overflow. */
export const sigmoid = (x: TensorLike): Tensor => unary("sigmoid", x);
/** max(x, 0) */
export const relu = (x: TensorLike): Tensor => unary("relu", x);
/** log(1 + e^x), computed without overflow. */
export const softplus = (x: TensorLike): Tensor => unary("softplus", x);
/** The Gauss error function. */
export const erf = (x: TensorLike): Tensor => unary("erf", x);
/** -1, 0 or 1 (NaN stays NaN). */
export const sign = (x: TensorLike): Tensor => unary("sign", x);
export const floor = (x: TensorLike): Tensor => unary("floor", x);
export const ceil = (x: TensorLike): Tensor => unary("ceil", x);
/** Rounds half to even, like NumPy. */
export const round = (x: TensorLike): Tensor => unary("round", x);
/** bool: x is NaN. */
export const isNaN = (x: TensorLike): Tensor => unary("isNaN", x);
/** bool: x is neither NaN nor infinite. */
export const isFinite = (x: TensorLike): Tensor => unary("isFinite", x);
/** bool: x == 0. */
export const logicalNot = (x: TensorLike): Tensor => unary("logicalNot", x);
