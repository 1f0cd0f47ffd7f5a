// io/onnx/import/ops-elementwise: ONNX's elementwise operators (arithmetic with numpy broadcasting,
// comparisons, logic, unary math, activations, Cast, Where, Clip) over Tessera ops. Integer Div
// truncates as ONNX's does; variadic Sum / Mean / Max / Min fold pairwise. Layer: io.

import type { DType } from "../../../core/dtype.js";
import { FormatError } from "../../../core/errors.js";
import {
  abs,
  add,
  cast,
  ceil,
  cos,
  div,
  elu,
  equal,
  erf,
  exp,
  floor,
  greater,
  greaterEqual,
  leakyRelu,
  less,
  lessEqual,
  log,
  logicalAnd,
  logicalNot,
  logicalOr,
  logicalXor,
  logSoftmax,
  maximum,
  minimum,
  mod,
  mul,
  neg,
  pow,
  reciprocal,
  relu,
  sigmoid,
  sign,
  sin,
  softmax,
  softplus,
  sqrt,
  sub,
  tan,
  tanh,
  where,
} from "../../../ops/index.js";
import type { Tensor } from "../../../tensor/tensor.js";
import { dtypeOfOnnx } from "./onnx-values.js";
import { asFloat, axisOf, need, type OpFn, one, scalarOf } from "./op-types.js";

type Binary = (a: Tensor, b: Tensor) => Tensor;

/** Same dtype in, same dtype out (an int op stays int; division truncates toward zero). */
function arithmetic(fn: Binary, truncate = false): OpFn {
  return one((inputs, _attrs, ctx) => {
    const a = need(inputs, 0, ctx);
    const b = need(inputs, 1, ctx);
    if (a.dtype !== "int32" || b.dtype !== "int32") return fn(a, b);
    const y = fn(a, b);
    if (y.dtype === "int32") return y;
    const whole = truncate ? mul(sign(y), floor(abs(y))) : y;
    return cast(whole, "int32");
  });
}

function variadic(fn: Binary): OpFn {
  return one((inputs, _attrs, ctx) => {
    const xs = inputs.filter((t): t is Tensor => t !== null);
    if (xs.length === 0) throw new FormatError(`${ctx.where}: expected at least one input`);
    return xs.slice(1).reduce(fn, xs[0]!);
  });
}

function unary(fn: (x: Tensor) => Tensor, floatOnly = true): OpFn {
  return one((inputs, _attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    return fn(floatOnly ? asFloat(x) : x);
  });
}

const compare = (fn: Binary): OpFn =>
  one((inputs, _a, ctx) => fn(need(inputs, 0, ctx), need(inputs, 1, ctx)));

function softmaxLike(fn: (x: Tensor, axis: number) => Tensor): OpFn {
  return one((inputs, attrs, ctx) => {
    const x = asFloat(need(inputs, 0, ctx));
    const axis = attrs.int("axis", ctx.opset >= 13 ? -1 : 1);
    if (ctx.opset >= 13) return fn(x, axis);
    // before opset 13: softmax over the flattened trailing axes from `axis` on
    const a = axisOf(axis, x.rank, ctx);
    const rows = x.shape.slice(0, a).reduce((p, d) => p * d, 1);
    return fn(x.reshape([rows, -1]), -1).reshape([...x.shape]);
  });
}

function castTo(x: Tensor, dtype: DType): Tensor {
  if (dtype === "int32" && (x.dtype === "float32" || x.dtype === "float64")) {
    // ONNX Cast truncates toward zero
    return cast(mul(sign(x), floor(abs(x))), "int32");
  }
  return cast(x, dtype);
}

export const elementwiseOps: Record<string, OpFn> = {
  Add: arithmetic(add),
  Sub: arithmetic(sub),
  Mul: arithmetic(mul),
  Div: arithmetic(div, true),
  Pow: one((inputs, _a, ctx) => {
    const a = need(inputs, 0, ctx);
    const y = pow(asFloat(a), asFloat(need(inputs, 1, ctx)));
    return a.dtype === "int32" ? cast(y, "int32") : cast(y, a.dtype);
  }),
  Mod: one((inputs, attrs, ctx) => {
    const a = need(inputs, 0, ctx);
    const b = need(inputs, 1, ctx);
    if (attrs.int("fmod", 0) === 1) {
      // the sign of the dividend, as C fmod
      const q = div(asFloat(a), asFloat(b));
      const y = sub(asFloat(a), mul(mul(sign(q), floor(abs(q))), asFloat(b)));
      return cast(y, a.dtype);
    }
    return mod(a, b);
  }),
  Sum: variadic(add),
  Max: variadic(maximum),
  Min: variadic(minimum),
  Mean: one((inputs, attrs, ctx) => {
    const xs = inputs.filter((t): t is Tensor => t !== null);
    return div(variadic(add)(xs, attrs, ctx)[0]!, xs.length);
  }),
  Equal: compare(equal),
  Greater: compare(greater),
  GreaterOrEqual: compare(greaterEqual),
  Less: compare(less),
  LessOrEqual: compare(lessEqual),
  And: compare(logicalAnd),
  Or: compare(logicalOr),
  Xor: compare(logicalXor),
  Not: unary(logicalNot, false),
  Neg: unary(neg, false),
  Abs: unary(abs, false),
  Sign: unary(sign, false),
  Floor: unary(floor),
  Ceil: unary(ceil),
  Exp: unary(exp),
  Log: unary(log),
  Sqrt: unary(sqrt),
  Reciprocal: unary(reciprocal),
  Sin: unary(sin),
  Cos: unary(cos),
  Tan: unary(tan),
  Tanh: unary(tanh),
  Sigmoid: unary(sigmoid),
  Relu: unary(relu, false),
  Erf: unary(erf),
  Softplus: unary(softplus),
  Softsign: unary((x) => div(x, add(abs(x), 1))),
  Elu: one((inputs, attrs, ctx) => elu(asFloat(need(inputs, 0, ctx)), attrs.float("alpha", 1))),
  Selu: one((inputs, attrs, ctx) => {
    const x = asFloat(need(inputs, 0, ctx));
    const alpha = attrs.float("alpha", 1.6732631921768188);
    const gamma = attrs.float("gamma", 1.0507010221481323);
    return mul(where(greater(x, 0), x, mul(sub(exp(x), 1), alpha)), gamma);
  }),
  LeakyRelu: one((inputs, attrs, ctx) =>
    leakyRelu(asFloat(need(inputs, 0, ctx)), attrs.float("alpha", 0.01)),
  ),
  PRelu: one((inputs, _a, ctx) => {
    const x = asFloat(need(inputs, 0, ctx));
    return where(less(x, 0), mul(x, need(inputs, 1, ctx)), x);
  }),
  ThresholdedRelu: one((inputs, attrs, ctx) => {
    const x = asFloat(need(inputs, 0, ctx));
    return where(greater(x, attrs.float("alpha", 1)), x, mul(x, 0));
  }),
  HardSigmoid: one((inputs, attrs, ctx) => {
    const x = asFloat(need(inputs, 0, ctx));
    const y = add(mul(x, attrs.float("alpha", 0.2)), attrs.float("beta", 0.5));
    return minimum(maximum(y, 0), 1);
  }),
  HardSwish: one((inputs, _a, ctx) => {
    const x = asFloat(need(inputs, 0, ctx));
    return mul(x, minimum(maximum(add(div(x, 6), 0.5), 0), 1));
  }),
  Mish: unary((x) => mul(x, tanh(softplus(x)))),
  Gelu: one((inputs, attrs, ctx) => {
    const x = asFloat(need(inputs, 0, ctx));
    if (attrs.string("approximate", "none") === "tanh") {
      const inner = mul(add(x, mul(pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
      return mul(mul(x, 0.5), add(tanh(inner), 1));
    }
    return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
  }),
  Softmax: softmaxLike(softmax),
  LogSoftmax: softmaxLike(logSoftmax),
  Clip: one((inputs, attrs, ctx) => {
    let x = need(inputs, 0, ctx);
    const low = inputs[1] ?? null;
    const high = inputs[2] ?? null;
    const lo = low !== null ? scalarOf(low) : attrs.float("min", Number.NEGATIVE_INFINITY);
    const hi = high !== null ? scalarOf(high) : attrs.float("max", Number.POSITIVE_INFINITY);
    if (lo > Number.NEGATIVE_INFINITY) x = maximum(x, lo);
    if (hi < Number.POSITIVE_INFINITY) x = minimum(x, hi);
    return x;
  }),
  Cast: one((inputs, attrs, ctx) => {
    const to = attrs.int("to");
    const dtype = dtypeOfOnnx(to);
    if (dtype === null) throw new FormatError(`${ctx.where}: Cast to element type ${to} is not supported`);
    return castTo(need(inputs, 0, ctx), dtype);
  }),
  Where: one((inputs, _a, ctx) => {
    const c = need(inputs, 0, ctx);
    return where(c.dtype === "bool" ? c : cast(c, "bool"), need(inputs, 1, ctx), need(inputs, 2, ctx));
  }),
  IsNaN: unary((x) => logicalNot(equal(x, x))),
};
