// ops/linalg/norm: vector and matrix norms with NumPy's numpy.linalg.norm semantics, composed from
// differentiable ops (the spectral and nuclear norms through svd), so gradients come for free;
// and the condition number cond.
import { ShapeError, ValueError } from "../../core/errors.js";
import { formatShape, normalizeAxis } from "../../core/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { div, mul, pow } from "../binary.js";
import { cast } from "../cast.js";
import { notEqual } from "../compare.js";
import { type TensorLike, toTensor } from "../operand.js";
import { max, min, sum, norm as vectorNorm } from "../reduce.js";
import { reshape, transpose } from "../shape.js";
import { abs, sqrt, square } from "../unary.js";
import { inv } from "./solve.js";
import { svd, svdvals } from "./svd.js";

/** A vector order (any number, Infinity, -Infinity) or a matrix order. */
export type NormOrder = number | "fro" | "nuc";

export interface LinalgNormOptions {
  /** One axis (vector norm) or two axes (matrix norm). Default: every axis of a 1-D or 2-D input. */
  axis?: number | readonly [number, number];
  /** Keep the reduced axes as size 1. */
  keepDims?: boolean;
}

function vectorNormAlong(x: Tensor, ord: number, axis: number, keepDims: boolean): Tensor {
  const options = { keepDims };
  if (ord === 2 || ord === 1 || ord === Number.POSITIVE_INFINITY || (ord > 0 && Number.isFinite(ord)))
    return vectorNorm(x, axis, { ...options, ord });
  if (ord === Number.NEGATIVE_INFINITY) return min(abs(x), axis, options);
  if (ord === 0) return sum(cast(notEqual(x, 0), x.dtype), axis, options);
  if (ord < 0 && Number.isFinite(ord)) return pow(sum(pow(abs(x), ord), axis, options), 1 / ord);
  throw new ValueError(`norm: invalid vector order ${ord}`);
}

function matrixNormAlong(
  x: Tensor,
  ord: NormOrder,
  rowAxis: number,
  colAxis: number,
  keepDims: boolean,
): Tensor {
  if (ord === "fro") return sqrt(sum(square(x), [rowAxis, colAxis], { keepDims }));
  let result: Tensor;
  if (ord === "nuc" || ord === 2 || ord === -2) {
    // move the two axes last, reduce the singular values
    const rest = x.shape.map((_, i) => i).filter((i) => i !== rowAxis && i !== colAxis);
    const s = svd(transpose(x, [...rest, rowAxis, colAxis])).s;
    result = ord === "nuc" ? sum(s, -1) : ord === 2 ? max(s, -1) : min(s, -1);
  } else if (
    ord === 1 ||
    ord === -1 ||
    ord === Number.POSITIVE_INFINITY ||
    ord === Number.NEGATIVE_INFINITY
  ) {
    // 1: largest column sum of |x|; inf: largest row sum (their negatives: the smallest)
    const byColumns = ord === 1 || ord === -1;
    const sumAxis = byColumns ? rowAxis : colAxis;
    let otherAxis = byColumns ? colAxis : rowAxis;
    if (otherAxis > sumAxis) otherAxis -= 1;
    const sums = sum(abs(x), sumAxis);
    result = ord > 0 ? max(sums, otherAxis) : min(sums, otherAxis);
  } else {
    throw new ValueError(
      `norm: invalid matrix order ${String(ord)} (expected "fro", "nuc", 1, -1, 2, -2, Infinity or -Infinity)`,
    );
  }
  if (!keepDims) return result;
  const shape = [...x.shape];
  shape[rowAxis] = 1;
  shape[colAxis] = 1;
  return reshape(result, shape);
}

/**
 * numpy.linalg.norm. With no axis: a 1-D input gets a vector norm, a 2-D input a matrix norm, and
 * with no ord either, any input the 2-norm of all its entries. Vector orders: 2 (default), 1,
 * Infinity, -Infinity, 0 (count of non-zeros) or any p. Matrix orders: "fro" (default), "nuc",
 * 1, -1, 2, -2, Infinity, -Infinity.
 * @example
 * linalg.norm(tensor([3, 4]));                  // 5
 * linalg.norm(x, "nuc", { axis: [-2, -1] });     // nuclear norm of each matrix of a batch
 */
export function norm(input: TensorLike, ord?: NormOrder, options: LinalgNormOptions = {}): Tensor {
  const x0 = toTensor(input);
  const x = x0.dtype === "float32" || x0.dtype === "float64" ? x0 : cast(x0, "float32");
  const keepDims = options.keepDims ?? false;
  const axis = options.axis;
  if (axis === undefined) {
    if (ord === undefined) {
      const all = sqrt(sum(square(x)));
      return keepDims
        ? reshape(
            all,
            x.shape.map(() => 1),
          )
        : all;
    }
    if (x.rank === 1) return norm(x, ord, { axis: 0, keepDims });
    if (x.rank === 2) return norm(x, ord, { axis: [0, 1], keepDims });
    throw new ShapeError(
      `norm: an order needs a 1-D or 2-D input or an explicit axis (got shape ${formatShape(x.shape)})`,
    );
  }
  if (typeof axis === "number") {
    if (typeof ord === "string")
      throw new ValueError(`norm: order "${ord}" is a matrix order; pass two axes`);
    return vectorNormAlong(x, ord ?? 2, normalizeAxis("norm", axis, x.rank), keepDims);
  }
  if (axis.length !== 2) throw new ValueError(`norm: axis must be one axis or two (got ${axis.length})`);
  const rowAxis = normalizeAxis("norm", axis[0], x.rank);
  const colAxis = normalizeAxis("norm", axis[1], x.rank);
  if (rowAxis === colAxis)
    throw new ValueError(`norm: the two axes must differ (got ${axis[0]} and ${axis[1]})`);
  return matrixNormAlong(x, ord ?? "fro", rowAxis, colAxis, keepDims);
}

/**
 * Condition number of each matrix of x [..., M, N] (numpy.linalg.cond): s_max / s_min for ord 2
 * (the default; -2 gives its inverse), else norm(A, ord) * norm(inv(A), ord) for square A.
 * @example
 * linalg.cond(tensor([[1, 0], [0, 1e-3]])); // 1000
 */
export function cond(input: TensorLike, ord?: NormOrder): Tensor {
  const x = toTensor(input);
  if (x.rank < 2) throw new ShapeError(`cond: expected [..., M, N] (got shape ${formatShape(x.shape)})`);
  if (ord === undefined || ord === 2 || ord === -2) {
    const s = svdvals(x);
    const ratio = div(max(s, -1), min(s, -1));
    return ord === -2 ? div(1, ratio) : ratio;
  }
  const axis = [-2, -1] as const;
  return mul(norm(x, ord, { axis }), norm(inv(x), ord, { axis }));
}
