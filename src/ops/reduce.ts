// ops/reduce: reductions over any set of axes, with keepDims. Adjacent axes reduce in place as the
// middle of an [outer, size, inner] view; scattered axes are first moved to the end.

import { record } from "../autograd/backward.js";
import { noGrad } from "../autograd/mode.js";
import type { ReduceOp } from "../backend/kernels.js";
import { kernels } from "../backend/registry.js";
import { allocate, type DType } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import {
  formatShape,
  normalizeAxes,
  normalizeAxis,
  type Shape,
  shapesEqual,
  sizeOf,
  splitAtAxis,
} from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { add, div, mul, pow, sub } from "./binary.js";
import { cast } from "./cast.js";
import { equal, where } from "./compare.js";
import { requireNumeric, type TensorLike, toTensor } from "./operand.js";
import { broadcastTo, reshape, transpose } from "./shape.js";
import { abs, exp, isFinite, log, sqrt, square } from "./unary.js";

export type Axes = number | readonly number[];

export interface ReduceOptions {
  /** Keep reduced axes as size-1 dimensions. */
  keepDims?: boolean;
}

/** Shape of a reduction's result with the reduced axes kept as 1. */
function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function outputShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  return keepDims ? keptShape(shape, axes) : shape.filter((_, i) => !axes.includes(i));
}

/** Runs a reduce kernel over `axes` (normalised, sorted). */
function runReduce(op: ReduceOp, x: Tensor, axes: readonly number[], outDType: DType): Tensor {
  const resultShape = keptShape(x.shape, axes);
  const out = allocate(outDType, sizeOf(resultShape));
  const adjacent = axes.length === 0 || axes[axes.length - 1]! - axes[0]! === axes.length - 1;
  let source = x;
  let outer: number;
  let size: number;
  let inner: number;
  if (adjacent) {
    const first = axes[0] ?? 0;
    outer = sizeOf(x.shape.slice(0, first));
    size = axes.reduce((p, a) => p * x.shape[a]!, 1);
    inner = sizeOf(x.shape.slice(first + axes.length));
    if (axes.length === 0) {
      outer = x.size;
      size = 1;
      inner = 1;
    }
  } else {
    const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    source = transpose(x, [...kept, ...axes]);
    outer = kept.reduce((p, a) => p * x.shape[a]!, 1);
    size = axes.reduce((p, a) => p * x.shape[a]!, 1);
    inner = 1;
  }
  kernels().reduce[op](source.data, outer, size, inner, out);
  return new Tensor(out, resultShape);
}

function checkNonEmpty(op: string, x: Tensor, axes: readonly number[]): void {
  if (axes.some((a) => x.shape[a] === 0) || (x.rank === 0 && x.size === 0)) {
    throw new ValueError(`${op}: cannot reduce over an empty axis (shape ${formatShape(x.shape)})`);
  }
}

/** Sum over axes (all by default). bool sums to int32. */
export function sum(input: TensorLike, axes?: Axes, options: ReduceOptions = {}): Tensor {
  const x = toTensor(input);
  const ax = normalizeAxes("sum", axes, x.rank);
  const keep = options.keepDims ?? false;
  const y = runReduce("sum", x, ax, x.dtype === "bool" ? "int32" : x.dtype);
  const result = reshape(y, outputShape(x.shape, ax, keep));
  return record("sum", result, [x], (dy) => [broadcastTo(reshape(dy, keptShape(x.shape, ax)), x.shape)]);
}

/** Mean over axes; integer inputs give float32. */
export function mean(input: TensorLike, axes?: Axes, options: ReduceOptions = {}): Tensor {
  let x = toTensor(input);
  if (x.dtype === "int32" || x.dtype === "bool") x = cast(x, "float32");
  const ax = normalizeAxes("mean", axes, x.rank);
  const count = ax.reduce((p, a) => p * x.shape[a]!, 1);
  return div(sum(x, ax, options), count);
}

/** Product over axes. The gradient is exact when inputs contain zeros. */
export function prod(input: TensorLike, axes?: Axes, options: ReduceOptions = {}): Tensor {
  const x = toTensor(input);
  requireNumeric("prod", x);
  const ax = normalizeAxes("prod", axes, x.rank);
  const keep = options.keepDims ?? false;
  const y = runReduce("prod", x, ax, x.dtype);
  const result = reshape(y, outputShape(x.shape, ax, keep));
  return record("prod", result, [x], (dy) => {
    // d prod / d x_i = prod of the others: y / x_i, or, at the single zero, the product of the
    // non-zeros; written in recorded ops (prod of the output itself), so it differentiates again
    const kept = keptShape(x.shape, ax);
    const isZero = equal(x, 0);
    const nonZero = where(isZero, 1, x);
    const prodNonZero = prod(nonZero, ax, { keepDims: true });
    const zeroCount = runReduce("sum", cast(isZero, x.dtype), ax, x.dtype);
    const atZero = where(equal(zeroCount, 1), prodNonZero, 0);
    const local = where(isZero, atZero, div(reshape(result, kept), nonZero));
    return [mul(broadcastTo(reshape(dy, kept), x.shape), local)];
  });
}

function extreme(
  op: "max" | "min",
  input: TensorLike,
  axes: Axes | undefined,
  options: ReduceOptions,
): Tensor {
  const x = toTensor(input);
  const ax = normalizeAxes(op, axes, x.rank);
  checkNonEmpty(op, x, ax);
  const keep = options.keepDims ?? false;
  const y = runReduce(op, x, ax, x.dtype);
  const result = reshape(y, outputShape(x.shape, ax, keep));
  if (x.dtype === "int32" || x.dtype === "bool") return result;
  return record(op, result, [x], (dy) => {
    // the gradient goes to the elements equal to the extreme, shared evenly among ties
    const mask = cast(equal(x, y), x.dtype);
    const ties = runReduce("sum", mask, ax, x.dtype);
    const share = div(reshape(dy, keptShape(x.shape, ax)), ties);
    return [mul(mask, share)];
  });
}

/** Maximum over axes (NaN propagates; an empty axis is an error). */
export function max(input: TensorLike, axes?: Axes, options: ReduceOptions = {}): Tensor {
  return extreme("max", input, axes, options);
}
/** Minimum over axes (NaN propagates; an empty axis is an error). */
export function min(input: TensorLike, axes?: Axes, options: ReduceOptions = {}): Tensor {
  return extreme("min", input, axes, options);
}

function argExtreme(
  op: "argmax" | "argmin",
  input: TensorLike,
  axis: number | undefined,
  keepDims: boolean,
): Tensor {
  const original = toTensor(input);
  const x = axis === undefined ? reshape(original, [original.size]) : original;
  const a = normalizeAxis(op, axis ?? 0, x.rank);
  checkNonEmpty(op, x, [a]);
  const y = runReduce(op, x, [a], "int32");
  // over the flattened tensor, keepDims keeps every axis as 1 (NumPy)
  if (axis === undefined) return reshape(y, keepDims ? original.shape.map(() => 1) : []);
  return reshape(y, outputShape(x.shape, [a], keepDims));
}

/** Index (int32) of the first maximum along an axis, or of the flattened tensor. */
export function argmax(input: TensorLike, axis?: number, options: ReduceOptions = {}): Tensor {
  return argExtreme("argmax", input, axis, options.keepDims ?? false);
}
/** Index (int32) of the first minimum along an axis, or of the flattened tensor. */
export function argmin(input: TensorLike, axis?: number, options: ReduceOptions = {}): Tensor {
  return argExtreme("argmin", input, axis, options.keepDims ?? false);
}

/** bool: any element non-zero over axes. */
export function any(input: TensorLike, axes?: Axes, options: ReduceOptions = {}): Tensor {
  const x = cast(toTensor(input), "bool");
  const ax = normalizeAxes("any", axes, x.rank);
  return reshape(runReduce("any", x, ax, "bool"), outputShape(x.shape, ax, options.keepDims ?? false));
}
/** bool: every element non-zero over axes. */
export function all(input: TensorLike, axes?: Axes, options: ReduceOptions = {}): Tensor {
  const x = cast(toTensor(input), "bool");
  const ax = normalizeAxes("all", axes, x.rank);
  return reshape(runReduce("all", x, ax, "bool"), outputShape(x.shape, ax, options.keepDims ?? false));
}

export interface VarianceOptions extends ReduceOptions {
  /** Subtracted from the count in the denominator: 0 = population (default, NumPy), 1 = sample. */
  correction?: number;
}

/** Variance over axes. */
export function variance(input: TensorLike, axes?: Axes, options: VarianceOptions = {}): Tensor {
  let x = toTensor(input);
  if (x.dtype === "int32" || x.dtype === "bool") x = cast(x, "float32");
  const ax = normalizeAxes("variance", axes, x.rank);
  const count = ax.reduce((p, a) => p * x.shape[a]!, 1);
  const correction = options.correction ?? 0;
  const centered = sub(x, mean(x, ax, { keepDims: true }));
  return div(sum(square(centered), ax, options), Math.max(count - correction, 0));
}

/** Standard deviation over axes (see variance for `correction`). */
export function std(input: TensorLike, axes?: Axes, options: VarianceOptions = {}): Tensor {
  return sqrtZeroSubgradient(variance(input, axes, options));
}

/**
 * sqrt whose gradient is 0 where the result is 0, instead of inf * 0 = NaN: the subgradient of
 * std at zero spread and of the L2 norm at the zero vector (PyTorch makes the same choice).
 */
function sqrtZeroSubgradient(v: Tensor): Tensor {
  const y = noGrad(() => sqrt(v));
  // d sqrt(v) = dy / (2 sqrt(v)), taken as 0 where sqrt(v) == 0
  return record("sqrt", y, [v], (dy) => [where(equal(y, 0), 0, div(dy, mul(y, 2)))]);
}

/** log(sum(exp(x))) over axes, computed stably by shifting by the maximum. */
export function logSumExp(input: TensorLike, axes?: Axes, options: ReduceOptions = {}): Tensor {
  const x = toTensor(input);
  const ax = normalizeAxes("logSumExp", axes, x.rank);
  const rawMax = runReduce("max", x, ax, x.dtype); // not recorded: the shift cancels in the gradient
  const shift = where(isFinite(rawMax), rawMax, 0);
  const summed = sum(exp(sub(x, shift)), ax, { keepDims: true });
  const result = add(log(summed), shift);
  return options.keepDims ? result : reshape(result, outputShape(x.shape, ax, false));
}

export interface NormOptions extends ReduceOptions {
  /** 1, 2 (default) or Infinity. */
  ord?: number;
}

/** Vector norm over axes: L2 by default, L1 or max-abs with `ord`. */
export function norm(input: TensorLike, axes?: Axes, options: NormOptions = {}): Tensor {
  let x = toTensor(input);
  if (x.dtype === "int32" || x.dtype === "bool") x = cast(x, "float32");
  const ord = options.ord ?? 2;
  if (ord === 2) return sqrtZeroSubgradient(sum(square(x), axes, options));
  if (ord === 1) return sum(abs(x), axes, options);
  if (ord === Number.POSITIVE_INFINITY) return max(abs(x), axes, options);
  if (Number.isFinite(ord) && ord > 0) {
    return pow(sum(pow(abs(x), ord), axes, options), 1 / ord); // (sum |x|^p)^(1/p)
  }
  throw new ValueError(`norm: ord must be a positive number or Infinity (got ${ord})`);
}

export interface CumsumOptions {
  /** Sum from the end of the axis toward the start. */
  reverse?: boolean;
}

/** Inclusive cumulative sum along an axis. */
export function cumsum(input: TensorLike, axis = 0, options: CumsumOptions = {}): Tensor {
  const x = toTensor(input);
  requireNumeric("cumsum", x);
  const a = normalizeAxis("cumsum", axis, x.rank);
  const { outer, size, inner } = splitAtAxis(x.shape, a);
  const reverse = options.reverse ?? false;
  const out = allocate(x.dtype, x.size);
  kernels().cumsum(x.data, outer, size, inner, reverse, out);
  const y = new Tensor(out, x.shape);
  if (x.dtype === "int32") return y;
  return record("cumsum", y, [x], (dy) => [cumsum(dy, a, { reverse: !reverse })]);
}

/** Sums a broadcast gradient back down to `shape` (the adjoint of broadcastTo). */
export function sumTo(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const lead = x.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && x.shape[i] !== 1)) axes.push(i);
  }
  return reshape(sum(x, axes, { keepDims: true }), shape);
}
