// ops/linalg/diagonal: the diagonal of the last two axes (diagonal), its sum (trace) and the
// inverse placement of a vector on a diagonal (diagEmbed). diagonal and diagEmbed are each other's
// adjoint, which is each one's gradient rule.
import { record } from "../../autograd/backward.js";
import { allocate } from "../../core/dtype.js";
import { ShapeError, ValueError } from "../../core/errors.js";
import { formatShape } from "../../core/shape.js";
import { Tensor } from "../../tensor/tensor.js";
import { type TensorLike, toTensor } from "../operand.js";
import { sum } from "../reduce.js";

/** Number of entries on diagonal `offset` of a rows x cols matrix, and its first (row, col). */
function diagonalGeometry(
  rows: number,
  cols: number,
  offset: number,
): { length: number; row: number; col: number } {
  const row = Math.max(-offset, 0);
  const col = Math.max(offset, 0);
  return { length: Math.max(0, Math.min(rows - row, cols - col)), row, col };
}

function checkOffset(op: string, offset: number): void {
  if (!Number.isInteger(offset)) throw new ValueError(`${op}: offset must be an integer (got ${offset})`);
}

/** Places v [..., L] on diagonal `offset` of zero matrices [..., rows, cols]. */
function embed(v: Tensor, rows: number, cols: number, offset: number): Tensor {
  const { length, row, col } = diagonalGeometry(rows, cols, offset);
  const count = length === 0 ? v.size : v.size / length;
  const out = allocate(v.dtype, count * rows * cols);
  for (let b = 0; b < count; b++)
    for (let i = 0; i < length; i++)
      out[b * rows * cols + (row + i) * cols + col + i] = v.data[b * length + i]!;
  const y = new Tensor(out, [...v.shape.slice(0, -1), rows, cols]);
  return record("diagEmbed", y, [v], (dy) => [diagonal(dy, offset)]);
}

/**
 * Diagonal `offset` (0: main, > 0 above, < 0 below) of each matrix of x [..., M, N]: [..., L].
 * @example
 * linalg.diagonal(tensor([[1, 2], [3, 4]]));    // [1, 4]
 * linalg.diagonal(tensor([[1, 2], [3, 4]]), 1); // [2]
 */
export function diagonal(input: TensorLike, offset = 0): Tensor {
  const x = toTensor(input);
  checkOffset("diagonal", offset);
  if (x.rank < 2)
    throw new ShapeError(`diagonal: expected rank >= 2 [..., M, N] (got shape ${formatShape(x.shape)})`);
  const rows = x.shape[x.rank - 2]!;
  const cols = x.shape[x.rank - 1]!;
  const { length, row, col } = diagonalGeometry(rows, cols, offset);
  const count = rows * cols === 0 ? 0 : x.size / (rows * cols);
  const out = allocate(x.dtype, count * length);
  for (let b = 0; b < count; b++)
    for (let i = 0; i < length; i++)
      out[b * length + i] = x.data[b * rows * cols + (row + i) * cols + col + i]!;
  const y = new Tensor(out, [...x.shape.slice(0, -2), length]);
  return record("diagonal", y, [x], (dy) => [embed(dy, rows, cols, offset)]);
}

/**
 * Square matrices [..., N, N] (or [..., N + |offset|, N + |offset|]) with v [..., N] on diagonal
 * `offset` and zeros elsewhere.
 * @example
 * linalg.diagEmbed(tensor([1, 2])); // [[1, 0], [0, 2]]
 */
export function diagEmbed(input: TensorLike, offset = 0): Tensor {
  const v = toTensor(input);
  checkOffset("diagEmbed", offset);
  if (v.rank < 1) throw new ShapeError("diagEmbed: expected at least one dimension (got a scalar)");
  const n = v.shape[v.rank - 1]! + Math.abs(offset);
  return embed(v, n, n, offset);
}

/**
 * Sum of diagonal `offset` of each matrix of x [..., M, N]: shape [...].
 * @example
 * linalg.trace(tensor([[1, 2], [3, 4]])); // 5
 */
export function trace(input: TensorLike, offset = 0): Tensor {
  return sum(diagonal(input, offset), -1);
}
