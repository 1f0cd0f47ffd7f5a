// train/sample-weights: per-sample weights for fit/evaluate, from a user array or from Keras's
// classWeight (a weight per class index, looked up from the targets: the argmax of one-hot rows,
// or the rounded value of integer/binary labels).
import { ConfigError, ShapeError, ValueError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";

/** Weight per class index: `{0: 1, 1: 5}` or `[1, 5]`. Classes left out weigh 1. */
export type ClassWeight = Readonly<Record<number, number>> | readonly number[];

/** A user's sampleWeight (a tensor or numbers, one per sample) as a float32 tensor of shape [N]. */
export function toSampleWeight(op: string, value: Tensor | ArrayLike<number>, rows: number): Tensor {
  let data: Float32Array;
  if (value instanceof Tensor) {
    const squeezable = value.rank === 1 || (value.rank === 2 && value.shape[1] === 1);
    if (!squeezable || value.shape[0] !== rows) {
      throw new ShapeError(
        `${op}: sampleWeight must have shape [${rows}] (or [${rows}, 1]) (got ${formatShape(value.shape)})`,
      );
    }
    data = Float32Array.from(value.data);
  } else {
    if (value.length !== rows) {
      throw new ShapeError(
        `${op}: sampleWeight must have ${rows} values, one per sample (got ${value.length})`,
      );
    }
    data = Float32Array.from(value);
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!) || data[i]! < 0) {
      throw new ValueError(`${op}: sampleWeight values must be finite and >= 0 (got ${data[i]} at ${i})`);
    }
  }
  return new Tensor(data, [rows]);
}

/** The class index of each sample of `y`: argmax of rows wider than 1, else the rounded label. */
export function classIndices(y: Tensor): Int32Array {
  const n = y.rank === 0 ? 1 : y.shape[0]!;
  const width = n === 0 ? 1 : y.size / n;
  const out = new Int32Array(n);
  const data = y.data;
  for (let i = 0; i < n; i++) {
    if (width === 1) {
      out[i] = Math.round(data[i]!);
      continue;
    }
    let best = 0;
    for (let j = 1; j < width; j++) if (data[i * width + j]! > data[i * width + best]!) best = j;
    out[i] = best;
  }
  return out;
}

/** Per-sample weights [N] from a class-weight table and the targets (float32). */
export function classWeightToSampleWeight(op: string, classWeight: ClassWeight, y: Tensor): Tensor {
  const table = new Map<number, number>();
  for (const [key, weight] of Object.entries(classWeight)) {
    const cls = Number(key);
    if (!Number.isInteger(cls) || cls < 0) {
      throw new ConfigError(
        `${op}: classWeight keys must be class indices >= 0 (got ${JSON.stringify(key)})`,
      );
    }
    if (typeof weight !== "number" || !Number.isFinite(weight) || weight < 0) {
      throw new ConfigError(
        `${op}: classWeight[${key}] must be a finite number >= 0 (got ${String(weight)})`,
      );
    }
    table.set(cls, weight);
  }
  const classes = classIndices(y);
  const out = new Float32Array(classes.length);
  for (let i = 0; i < classes.length; i++) out[i] = table.get(classes[i]!) ?? 1;
  return new Tensor(out, [classes.length]);
}
