// responsible/explain-model: what the explainers take and share. A model is a function from an
// input matrix [N, D] to outputs [N] or [N, K] (or anything with apply(x), such as a Sequential);
// inputs are checked once here, and outputs are read as [N, K] float64 rows.
import { noGrad } from "../autograd/mode.js";
import { ShapeError, ValueError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { argmaxRow } from "../train/metrics/accuracy.js";

/** A differentiable forward pass: inputs [N, D] to outputs [N] or [N, K]. */
export type Forward = (x: Tensor) => Tensor;

/** A forward function, or a model with apply(x, { training }) (run in inference mode). */
export type Explainable = Forward | { apply(x: Tensor, options?: { training?: boolean }): Tensor };

/** The forward function of a model (inference mode: dropout off, batch norm on its moving stats). */
export function forwardOf(model: Explainable): Forward {
  if (typeof model === "function") return model;
  if (typeof model === "object" && model !== null && typeof model.apply === "function")
    return (x) => model.apply(x, { training: false });
  throw new ValueError("explain: expected a model (a function of a Tensor, or an object with apply)");
}

/** Checks `x` is a floating-point matrix [N, D] with N, D >= 1 and returns [N, D]. */
export function checkMatrix(op: string, what: string, x: unknown): [number, number] {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: ${what} must be a Tensor [rows, features]`);
  if (x.rank !== 2)
    throw new ShapeError(`${op}: ${what} must be a matrix [rows, features] (got ${formatShape(x.shape)})`);
  if (x.dtype !== "float32" && x.dtype !== "float64")
    throw new ValueError(`${op}: ${what} must be float32 or float64 (got ${x.dtype})`);
  const [n, d] = x.shape as [number, number];
  if (n === 0 || d === 0) throw new ShapeError(`${op}: ${what} is empty (got ${formatShape(x.shape)})`);
  return [n, d];
}

/** Model outputs as [N, K] float64 rows (a rank-1 output is one column). */
export interface OutputMatrix {
  readonly rows: number;
  readonly width: number;
  readonly data: Float64Array;
}

/** Runs the model without recording gradients and reads its output as an [N, K] matrix. */
export function predictMatrix(op: string, forward: Forward, x: Tensor): OutputMatrix {
  const y = noGrad(() => forward(x));
  return outputMatrix(op, y, x.shape[0]!);
}

/** Reads a model output of `rows` rows as [N, K]. */
export function outputMatrix(op: string, y: unknown, rows: number): OutputMatrix {
  if (!(y instanceof Tensor)) throw new ValueError(`${op}: the model must return a Tensor`);
  if (y.rank < 1 || y.rank > 2 || y.shape[0] !== rows)
    throw new ShapeError(
      `${op}: the model must return [${rows}] or [${rows}, outputs] for ${rows} rows (got ${formatShape(y.shape)})`,
    );
  const width = y.rank === 2 ? y.shape[1]! : 1;
  return { rows, width, data: Float64Array.from(y.data) };
}

/**
 * The output column explained for each row: `target` (one index for all rows, or one per row),
 * else column 0 of a single-output model, else each row's highest output (its predicted class).
 */
export function resolveTargets(
  op: string,
  target: number | readonly number[] | undefined,
  out: OutputMatrix,
): Int32Array {
  const targets = new Int32Array(out.rows);
  const check = (t: number): number => {
    if (!Number.isInteger(t) || t < 0 || t >= out.width)
      throw new ValueError(`${op}: target must be an output index in [0, ${out.width}) (got ${t})`);
    return t;
  };
  if (typeof target === "number") targets.fill(check(target));
  else if (target !== undefined) {
    if (target.length !== out.rows)
      throw new ShapeError(`${op}: expected one target per row (${out.rows}), got ${target.length}`);
    target.forEach((t, i) => {
      targets[i] = check(t);
    });
  } else {
    for (let r = 0; r < out.rows; r++) targets[r] = argmaxRow(out.data, r * out.width, out.width);
  }
  return targets;
}

/** A new tensor of `x`'s dtype holding `values` in shape `shape`. */
export function tensorLike(x: Tensor, values: ArrayLike<number>, shape: readonly number[]): Tensor {
  const data = x.dtype === "float64" ? Float64Array.from(values) : Float32Array.from(values);
  return new Tensor(data, shape);
}

/** Checks an integer option is >= `min`. */
export function checkCount(op: string, name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min)
    throw new ValueError(`${op}: ${name} must be an integer >= ${min} (got ${value})`);
  return value;
}
