// ops/linalg/triangle: triu and tril, which keep the upper / lower triangle of the last two axes
// (any dtype, batched over leading axes). Each is linear, so its gradient is itself applied to dy.
import { record } from "../../autograd/backward.js";
import { allocate } from "../../core/dtype.js";
import { ShapeError, ValueError } from "../../core/errors.js";
import { formatShape } from "../../core/shape.js";
import { Tensor } from "../../tensor/tensor.js";
import { type TensorLike, toTensor } from "../operand.js";

function triangle(op: "triu" | "tril", input: TensorLike, k: number): Tensor {
  const x = toTensor(input);
  if (x.rank < 2)
    throw new ShapeError(`${op}: expected rank >= 2 [..., M, N] (got shape ${formatShape(x.shape)})`);
  if (!Number.isInteger(k))
    throw new ValueError(`${op}: the diagonal offset k must be an integer (got ${k})`);
  const rows = x.shape[x.rank - 2]!;
  const cols = x.shape[x.rank - 1]!;
  const out = allocate(x.dtype, x.size);
  const count = rows * cols === 0 ? 0 : x.size / (rows * cols);
  for (let b = 0; b < count; b++) {
    const base = b * rows * cols;
    for (let i = 0; i < rows; i++) {
      // triu keeps j - i >= k; tril keeps j - i <= k
      const from = op === "triu" ? Math.max(0, Math.min(cols, i + k)) : 0;
      const to = op === "triu" ? cols : Math.max(0, Math.min(cols, i + k + 1));
      for (let j = from; j < to; j++) out[base + i * cols + j] = x.data[base + i * cols + j]!;
    }
  }
  const y = new Tensor(out, x.shape);
  return record(op, y, [x], (dy) => [triangle(op, dy, k)]);
}

/**
 * Upper triangle of the last two axes: entries with j - i >= k kept, the rest zero.
 * @example
 * triu(ones([3, 3]));     // ones on and above the diagonal
 * triu(ones([3, 3]), 1);  // strictly above
 */
export function triu(input: TensorLike, k = 0): Tensor {
  return triangle("triu", input, k);
}

/**
 * Lower triangle of the last two axes: entries with j - i <= k kept, the rest zero.
 * @example
 * tril(ones([3, 3]), -1); // strictly below the diagonal
 */
export function tril(input: TensorLike, k = 0): Tensor {
  return triangle("tril", input, k);
}
