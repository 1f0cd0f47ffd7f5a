// ops/linalg/batch: moving between tensors of shape [...batch, rows, cols] and lists of float64
// DenseMatrix records, plus the boundary checks every ts.linalg op shares. The dense routines work
// in float64; a float32 tensor is widened on the way in and rounded once on the way out.
import { allocate, type FloatArray } from "../../core/dtype.js";
import { ShapeError } from "../../core/errors.js";
import { formatShape, type Shape, sizeOf } from "../../core/shape.js";
import { Tensor } from "../../tensor/tensor.js";
import { requireFloat, type TensorLike, toTensor } from "../operand.js";
import { type DenseMatrix, dense, EPS32, EPS64 } from "./dense-matrix.js";

/** A float tensor of rank >= 2 seen as a batch of rows x cols matrices. */
export interface MatrixBatch {
  readonly x: Tensor;
  readonly batchShape: number[];
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
}

/** Validates a float tensor of rank >= 2 (square when asked) and names `op` in every error. */
export function matrixBatch(op: string, input: TensorLike, square = false): MatrixBatch {
  const x = toTensor(input);
  requireFloat(op, x);
  if (x.rank < 2)
    throw new ShapeError(
      `${op}: expected a matrix or a batch of matrices [..., M, N] (got shape ${formatShape(x.shape)})`,
    );
  const rows = x.shape[x.rank - 2]!;
  const cols = x.shape[x.rank - 1]!;
  if (square && rows !== cols)
    throw new ShapeError(`${op}: expected square matrices [..., N, N] (got shape ${formatShape(x.shape)})`);
  const batchShape = x.shape.slice(0, -2);
  return { x, batchShape, count: sizeOf(batchShape), rows, cols };
}

/** Matrix `i` of the batch as a float64 copy. */
export function matrixAt(b: MatrixBatch, i: number): DenseMatrix {
  const size = b.rows * b.cols;
  const src = b.x.data.subarray(i * size, (i + 1) * size);
  return dense(b.rows, b.cols, Float64Array.from(src));
}

/** Every matrix of the batch through `fn`, as float64 copies. */
export function mapMatrices<T>(b: MatrixBatch, fn: (a: DenseMatrix, index: number) => T): T[] {
  const out: T[] = [];
  for (let i = 0; i < b.count; i++) out.push(fn(matrixAt(b, i), i));
  return out;
}

/** Packs equally sized float64 arrays into one tensor of `dtype` with the given shape. */
export function packArrays(
  dtype: "float32" | "float64",
  shape: Shape,
  parts: readonly ArrayLike<number>[],
): Tensor {
  const out = allocate(dtype, sizeOf(shape)) as FloatArray;
  let offset = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) out[offset + i] = p[i]!;
    offset += p.length;
  }
  if (offset !== out.length)
    throw new ShapeError(`linalg: internal packing of ${offset} values into shape ${formatShape(shape)}`);
  return new Tensor(out, shape);
}

/** Packs a batch of equally sized matrices into a [...batch, rows, cols] tensor. */
export function packMatrices(
  dtype: "float32" | "float64",
  batchShape: Shape,
  mats: readonly DenseMatrix[],
  rows: number,
  cols: number,
): Tensor {
  return packArrays(
    dtype,
    [...batchShape, rows, cols],
    mats.map((m) => m.data),
  );
}

/** The float dtype of a validated batch. */
export function floatDType(b: MatrixBatch): "float32" | "float64" {
  return b.x.dtype === "float64" ? "float64" : "float32";
}

/** Machine epsilon of a float dtype, for the default rcond of lstsq / pinv / rank. */
export function epsOf(dtype: "float32" | "float64"): number {
  return dtype === "float64" ? EPS64 : EPS32;
}
