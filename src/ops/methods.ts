// ops/methods: every op as a Tensor method (x.add(y), x.sum(0), x.backward()). Declared by module
// augmentation so tensor/ stays below ops/ in the layering; installed on the prototype here.

import { type BackwardOptions, backward } from "../autograd/backward.js";
import type { DType } from "../core/dtype.js";
import type { Shape } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import * as act from "./activation.js";
import * as bin from "./binary.js";
import { cast } from "./cast.js";
import * as cmp from "./compare.js";
import { clone, detach } from "./detach.js";
import * as idx from "./indexing.js";
import * as join from "./join.js";
import * as lin from "./linalg.js";
import type { TensorLike } from "./operand.js";
import * as red from "./reduce.js";
import * as shp from "./shape.js";
import * as un from "./unary.js";

type U = () => Tensor;
type B = (other: TensorLike) => Tensor;
type R = (axes?: red.Axes, options?: red.ReduceOptions) => Tensor;

declare module "../tensor/tensor.js" {
  interface Tensor {
    neg: U;
    abs: U;
    exp: U;
    log: U;
    log1p: U;
    expm1: U;
    sqrt: U;
    rsqrt: U;
    square: U;
    reciprocal: U;
    sin: U;
    cos: U;
    tan: U;
    tanh: U;
    sigmoid: U;
    relu: U;
    softplus: U;
    erf: U;
    sign: U;
    floor: U;
    ceil: U;
    round: U;
    isNaN: U;
    isFinite: U;
    logicalNot: U;
    leakyRelu(alpha?: number): Tensor;
    elu(alpha?: number): Tensor;
    selu: U;
    gelu(approximate?: boolean): Tensor;
    softsign: U;
    swish: U;
    silu: U;
    clip(min: number, max: number): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    add: B;
    sub: B;
    mul: B;
    div: B;
    pow: B;
    maximum: B;
    minimum: B;
    mod: B;
    equal: B;
    notEqual: B;
    less: B;
    lessEqual: B;
    greater: B;
    greaterEqual: B;
    logicalAnd: B;
    logicalOr: B;
    logicalXor: B;
    sum: R;
    mean: R;
    prod: R;
    max: R;
    min: R;
    any: R;
    all: R;
    logSumExp: R;
    variance(axes?: red.Axes, options?: red.VarianceOptions): Tensor;
    std(axes?: red.Axes, options?: red.VarianceOptions): Tensor;
    norm(axes?: red.Axes, options?: red.NormOptions): Tensor;
    argmax(axis?: number, options?: red.ReduceOptions): Tensor;
    argmin(axis?: number, options?: red.ReduceOptions): Tensor;
    cumsum(axis?: number, options?: red.CumsumOptions): Tensor;
    matmul(other: TensorLike, options?: lin.MatmulOptions): Tensor;
    dot: B;
    reshape(shape: Shape): Tensor;
    flatten(startAxis?: number, endAxis?: number): Tensor;
    transpose(perm?: readonly number[]): Tensor;
    permute(perm: readonly number[]): Tensor;
    expandDims(axis: number): Tensor;
    squeeze(axes?: number | readonly number[]): Tensor;
    broadcastTo(shape: Shape): Tensor;
    slice(specs: readonly idx.SliceSpec[]): Tensor;
    gather(indices: TensorLike, axis?: number): Tensor;
    take(indices: TensorLike, axis?: number): Tensor;
    pad(paddings: readonly (readonly [number, number])[], value?: number): Tensor;
    tile(reps: readonly number[]): Tensor;
    repeat(repeats: number, axis?: number): Tensor;
    flip(axes?: number | readonly number[]): Tensor;
    split(sections: number | readonly number[], axis?: number): Tensor[];
    cast(dtype: DType): Tensor;
    detach: U;
    clone: U;
    /**
     * Computes gradients of this tensor (scalar, or given an upstream gradient) into every leaf's
     * `.grad`; `{ createGraph: true }` keeps them differentiable (second derivatives).
     */
    backward(gradient?: Tensor | BackwardOptions, options?: BackwardOptions): void;
    /** Clears `.grad`. */
    zeroGrad(): void;
  }
}

const unaryNames = [
  "neg",
  "abs",
  "exp",
  "log",
  "log1p",
  "expm1",
  "sqrt",
  "rsqrt",
  "square",
  "reciprocal",
  "sin",
  "cos",
  "tan",
  "tanh",
  "sigmoid",
  "relu",
  "softplus",
  "erf",
  "sign",
  "floor",
  "ceil",
  "round",
  "isNaN",
  "isFinite",
  "logicalNot",
] as const;
const binaryOps = { ...bin, ...cmp };
const binaryNames = [
  "add",
  "sub",
  "mul",
  "div",
  "pow",
  "maximum",
  "minimum",
  "mod",
  "equal",
  "notEqual",
  "less",
  "lessEqual",
  "greater",
  "greaterEqual",
  "logicalAnd",
  "logicalOr",
  "logicalXor",
] as const;
const reduceNames = [
  "sum",
  "mean",
  "prod",
  "max",
  "min",
  "any",
  "all",
  "logSumExp",
  "variance",
  "std",
  "norm",
] as const;

const proto = Tensor.prototype as unknown as Record<string, unknown>;
for (const name of unaryNames) {
  proto[name] = function (this: Tensor) {
    return un[name](this);
  };
}
for (const name of binaryNames) {
  proto[name] = function (this: Tensor, other: TensorLike) {
    return binaryOps[name](this, other);
  };
}
for (const name of reduceNames) {
  proto[name] = function (this: Tensor, axes?: red.Axes, options?: red.ReduceOptions) {
    return red[name](this, axes, options);
  };
}

Object.assign(Tensor.prototype, {
  leakyRelu(this: Tensor, alpha?: number) {
    return act.leakyRelu(this, alpha);
  },
  elu(this: Tensor, alpha?: number) {
    return act.elu(this, alpha);
  },
  selu(this: Tensor) {
    return act.selu(this);
  },
  gelu(this: Tensor, approximate?: boolean) {
    return act.gelu(this, approximate);
  },
  softsign(this: Tensor) {
    return act.softsign(this);
  },
  swish(this: Tensor) {
    return act.swish(this);
  },
  silu(this: Tensor) {
    return act.swish(this);
  },
  clip(this: Tensor, lo: number, hi: number) {
    return act.clip(this, lo, hi);
  },
  softmax(this: Tensor, axis?: number) {
    return act.softmax(this, axis);
  },
  logSoftmax(this: Tensor, axis?: number) {
    return act.logSoftmax(this, axis);
  },
  argmax(this: Tensor, axis?: number, options?: red.ReduceOptions) {
    return red.argmax(this, axis, options);
  },
  argmin(this: Tensor, axis?: number, options?: red.ReduceOptions) {
    return red.argmin(this, axis, options);
  },
  cumsum(this: Tensor, axis?: number, options?: red.CumsumOptions) {
    return red.cumsum(this, axis, options);
  },
  matmul(this: Tensor, other: TensorLike, options?: lin.MatmulOptions) {
    return lin.matmul(this, other, options);
  },
  dot(this: Tensor, other: TensorLike) {
    return lin.dot(this, other);
  },
  reshape(this: Tensor, shape: Shape) {
    return shp.reshape(this, shape);
  },
  flatten(this: Tensor, s?: number, e?: number) {
    return shp.flatten(this, s, e);
  },
  transpose(this: Tensor, perm?: readonly number[]) {
    return shp.transpose(this, perm);
  },
  permute(this: Tensor, perm: readonly number[]) {
    return shp.permute(this, perm);
  },
  expandDims(this: Tensor, axis: number) {
    return shp.expandDims(this, axis);
  },
  squeeze(this: Tensor, axes?: number | readonly number[]) {
    return shp.squeeze(this, axes);
  },
  broadcastTo(this: Tensor, shape: Shape) {
    return shp.broadcastTo(this, shape);
  },
  slice(this: Tensor, specs: readonly idx.SliceSpec[]) {
    return idx.slice(this, specs);
  },
  gather(this: Tensor, indices: TensorLike, axis?: number) {
    return idx.gather(this, indices, axis);
  },
  take(this: Tensor, indices: TensorLike, axis?: number) {
    return idx.gather(this, indices, axis);
  },
  pad(this: Tensor, p: readonly (readonly [number, number])[], v?: number) {
    return idx.pad(this, p, v);
  },
  tile(this: Tensor, reps: readonly number[]) {
    return idx.tile(this, reps);
  },
  repeat(this: Tensor, r: number, axis?: number) {
    return idx.repeat(this, r, axis);
  },
  flip(this: Tensor, axes?: number | readonly number[]) {
    return idx.flip(this, axes);
  },
  split(this: Tensor, s: number | readonly number[], axis?: number) {
    return join.split(this, s, axis);
  },
  cast(this: Tensor, dtype: DType) {
    return cast(this, dtype);
  },
  detach(this: Tensor) {
    return detach(this);
  },
  clone(this: Tensor) {
    return clone(this);
  },
  backward(this: Tensor, gradient?: Tensor | BackwardOptions, options?: BackwardOptions) {
    backward(this, gradient, options);
  },
  zeroGrad(this: Tensor) {
    this.grad = null;
  },
});
