// ops/shape: reshaping and axis moves. reshape shares the data array; transpose and broadcastTo
// materialise a new contiguous array through the stridedCopy kernel.

import { record } from "../autograd/backward.js";
import { kernels } from "../backend/registry.js";
import { allocateUninit } from "../core/dtype.js";
import { ShapeError, ValueError } from "../core/errors.js";
import {
  broadcastShapes,
  broadcastStrides,
  formatShape,
  normalizeAxes,
  normalizeAxis,
  type Shape,
  shapesEqual,
  sizeOf,
  stridesOf,
  validateShape,
} from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { type TensorLike, toTensor } from "./operand.js";
import { sumTo } from "./reduce.js";

/**
 * Same data, new shape (one dimension may be -1 and is inferred). Shares the data array.
 * @example
 * reshape(arange(6), [2, -1]); // shape [2, 3]
 */
export function reshape(input: TensorLike, shape: Shape): Tensor {
  const x = toTensor(input);
  const inferred = [...shape];
  const unknown = inferred.indexOf(-1);
  if (unknown !== inferred.lastIndexOf(-1))
    throw new ShapeError(`reshape: only one dimension can be -1 (got ${formatShape(shape)})`);
  for (const d of inferred) {
    if (d !== -1 && (!Number.isInteger(d) || d < 0))
      throw new ShapeError(`reshape: invalid dimension in ${formatShape(shape)}`);
  }
  if (unknown >= 0) {
    const known = inferred.reduce((p, d) => (d === -1 ? p : p * d), 1);
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(
        `reshape: cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)}`,
      );
    }
    inferred[unknown] = x.size / known;
  }
  if (sizeOf(inferred) !== x.size) {
    throw new ShapeError(
      `reshape: cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)}`,
    );
  }
  if (shapesEqual(inferred, x.shape)) return x;
  const y = new Tensor(x.data, inferred);
  return record("reshape", y, [x], (dy) => [reshape(dy, x.shape)]);
}

/** Merges axes startAxis..endAxis (inclusive, default all) into one. */
export function flatten(input: TensorLike, startAxis = 0, endAxis = -1): Tensor {
  const x = toTensor(input);
  if (x.rank === 0) return reshape(x, [1]);
  const start = normalizeAxis("flatten", startAxis, x.rank);
  const end = normalizeAxis("flatten", endAxis, x.rank);
  if (end < start) throw new ValueError(`flatten: endAxis ${endAxis} comes before startAxis ${startAxis}`);
  const merged = sizeOf(x.shape.slice(start, end + 1));
  return reshape(x, [...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)]);
}

/** Permutes axes (reverses them by default). Returns a contiguous copy. */
export function transpose(input: TensorLike, perm?: readonly number[]): Tensor {
  const x = toTensor(input);
  const order = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  if (order.length !== x.rank) {
    throw new ShapeError(`transpose: permutation [${order.join(",")}] does not match rank ${x.rank}`);
  }
  const axes = order.map((a) => normalizeAxis("transpose", a, x.rank));
  if (new Set(axes).size !== axes.length)
    throw new ValueError(`transpose: permutation [${order.join(",")}] repeats an axis`);
  if (axes.every((a, i) => a === i)) return x;
  const strides = stridesOf(x.shape);
  const shape = axes.map((a) => x.shape[a]!);
  const out = allocateUninit(x.dtype, x.size);
  kernels().stridedCopy(
    x.data,
    { offset: 0, strides: axes.map((a) => strides[a]!) },
    out,
    { offset: 0, strides: stridesOf(shape) },
    shape,
  );
  const y = new Tensor(out, shape);
  const inverse = new Array<number>(axes.length);
  axes.forEach((a, i) => {
    inverse[a] = i;
  });
  return record("transpose", y, [x], (dy) => [transpose(dy, inverse)]);
}

/** Alias of transpose with an explicit permutation. */
export function permute(input: TensorLike, perm: readonly number[]): Tensor {
  return transpose(input, perm);
}

/** Swaps the last two axes. */
export function matrixTranspose(input: TensorLike): Tensor {
  const x = toTensor(input);
  if (x.rank < 2)
    throw new ShapeError(`matrixTranspose: expected rank >= 2 (got shape ${formatShape(x.shape)})`);
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return transpose(x, perm);
}

/** Inserts a size-1 axis at `axis` (which may be rank, or negative). */
export function expandDims(input: TensorLike, axis: number): Tensor {
  const x = toTensor(input);
  const a = normalizeAxis("expandDims", axis, x.rank + 1);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

/** Removes size-1 axes (all of them, or the given ones, which must have size 1). */
export function squeeze(input: TensorLike, axes?: number | readonly number[]): Tensor {
  const x = toTensor(input);
  const drop =
    axes === undefined
      ? x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
      : normalizeAxes("squeeze", axes, x.rank);
  for (const a of drop) {
    if (x.shape[a] !== 1)
      throw new ShapeError(
        `squeeze: axis ${a} has size ${x.shape[a]}, not 1 (shape ${formatShape(x.shape)})`,
      );
  }
  return reshape(
    x,
    x.shape.filter((_, i) => !drop.includes(i)),
  );
}

/** Broadcasts to `shape` (NumPy rules), as a contiguous copy. */
export function broadcastTo(input: TensorLike, shape: Shape): Tensor {
  const x = toTensor(input);
  validateShape("broadcastTo", shape);
  const target = broadcastShapes("broadcastTo", x.shape, shape);
  if (!shapesEqual(target, shape)) {
    throw new ShapeError(
      `broadcastTo: cannot broadcast shape ${formatShape(x.shape)} to ${formatShape(shape)}`,
    );
  }
  if (shapesEqual(x.shape, shape)) return x;
  const out = allocateUninit(x.dtype, sizeOf(shape));
  kernels().stridedCopy(
    x.data,
    { offset: 0, strides: broadcastStrides(x.shape, shape) },
    out,
    { offset: 0, strides: stridesOf(shape) },
    shape,
  );
  const y = new Tensor(out, shape);
  return record("broadcastTo", y, [x], (dy) => [sumTo(dy, x.shape)]);
}
