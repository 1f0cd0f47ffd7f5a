// report/numbers: reads the values a plot is given (a Tensor, a typed array or a plain number
// array) as float64, checking what the plot needs, so every plot validates its input the same
// way and says which argument was wrong. Layer: report.
import { ShapeError, ValueError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";

/** What the plot functions accept as a list of numbers. */
export type Numbers = Tensor | ArrayLike<number>;

/** A Tensor of one value per row ([n] or [n, 1]) or an array, as a Float64Array. */
export function toNumbers(owner: string, what: string, values: Numbers): Float64Array {
  if (values instanceof Tensor) {
    const shape = values.shape;
    if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) {
      throw new ShapeError(`${owner}: ${what} must have shape [n] or [n, 1] (got ${formatShape(shape)})`);
    }
    return Float64Array.from(values.data, Number);
  }
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    throw new ValueError(`${owner}: ${what} must be a Tensor or an array of numbers (got ${String(values)})`);
  }
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number") {
      throw new ValueError(`${owner}: ${what}[${i}] must be a number (got ${typeof v})`);
    }
    out[i] = v;
  }
  return out;
}

/** Two lists that must pair up one to one (actual and predicted values, labels and scores). */
export function pairedNumbers(
  owner: string,
  names: readonly [string, string],
  a: Numbers,
  b: Numbers,
): [Float64Array, Float64Array] {
  const first = toNumbers(owner, names[0], a);
  const second = toNumbers(owner, names[1], b);
  if (first.length !== second.length) {
    throw new ShapeError(
      `${owner}: ${names[0]} and ${names[1]} must have the same length (got ${first.length} and ${second.length})`,
    );
  }
  if (first.length === 0) throw new ValueError(`${owner}: ${names[0]} is empty`);
  return [first, second];
}

/** Labels that must be 0 or 1 (binary curves), as a Uint8Array. */
export function binaryLabels(owner: string, what: string, values: Float64Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== 0 && v !== 1) throw new ValueError(`${owner}: ${what} must be 0 or 1 (got ${v} at ${i})`);
    out[i] = v;
  }
  return out;
}
