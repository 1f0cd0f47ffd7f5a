// data/timeseries/windows: sliding windows over a series, with the semantics of Keras's
// timeseries_dataset_from_array: window i starts at startIndex + i * sequenceStride and takes
// sequenceLength steps sampling_rate apart; targets[startIndex + i * sequenceStride] is its target
// (so "predict the next step" is data[:-L] with targets data[L:]). timeseriesWindows returns the
// windows as tensors; timeseriesDataset batches them into a Dataset for fit. Shuffling uses our
// seeded generator (core/random), so its order differs from NumPy's for the same seed.
// Layer: data. Shapes: T time steps, L sequenceLength, F... the features of one step.
import { ShapeError, ValueError } from "../../core/errors.js";
import { Generator, getGenerator } from "../../core/random.js";
import { tensor } from "../../tensor/creation.js";
import { Tensor } from "../../tensor/tensor.js";
import { Dataset } from "../dataset/dataset.js";

/** A series: a Tensor with time on axis 0, or an array of numbers / of feature rows. */
export type SeriesInput = Tensor | ArrayLike<number> | readonly (readonly number[])[];

export interface TimeseriesOptions {
  /** Steps in each window. */
  sequenceLength: number;
  /** Steps between the starts of successive windows (default 1). */
  sequenceStride?: number;
  /** Steps between successive entries of a window (default 1). */
  samplingRate?: number;
  /** Steps before this index are not used (default 0). */
  startIndex?: number;
  /** Steps from this index on are not used (default: the series' length). */
  endIndex?: number;
  /** Windows in random order (default false, chronological). */
  shuffle?: boolean;
  /** Seed of the shuffle (default: a draw from the global generator). */
  seed?: number;
}

export interface TimeseriesDatasetOptions extends TimeseriesOptions {
  /** Windows per batch (default 128; null: single windows, unbatched). */
  batchSize?: number | null;
}

export interface TimeseriesWindows {
  /** (n, L, F...) windows (n, L) for a 1-D series. */
  readonly x: Tensor;
  /** (n, ...) targets, or null when none were given. */
  readonly y: Tensor | null;
  /** Index in the series of each window's first step. */
  readonly starts: readonly number[];
}

function asTensor(op: string, name: string, input: SeriesInput): Tensor {
  const t = input instanceof Tensor ? input : tensor(input as number[]);
  if (t.rank === 0) throw new ShapeError(`${op}: ${name} must have a time axis (got a scalar)`);
  return t;
}

function positiveInteger(op: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new ValueError(`${op}: ${name} must be a positive integer (got ${value})`);
  return value;
}

/** Rows `rows` of t along axis 0, stacked: (rows.length, ...t.shape[1:]). */
function gatherRows(t: Tensor, rows: readonly number[], outer: readonly number[]): Tensor {
  const rowSize = t.shape.slice(1).reduce((p, d) => p * d, 1);
  const out = new (t.data.constructor as new (n: number) => typeof t.data)(rows.length * rowSize);
  rows.forEach((r, i) => {
    out.set(t.data.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
  });
  return new Tensor(out, [...outer, ...t.shape.slice(1)], t.dtype);
}

/**
 * Every window of a series (and each window's target), as tensors.
 * @example
 * // the previous 10 steps predict the next one
 * const { x, y } = timeseriesWindows(series.slice(0, -10), series.slice(10), { sequenceLength: 10 });
 */
export function timeseriesWindows(
  data: SeriesInput,
  targets: SeriesInput | null,
  options: TimeseriesOptions,
): TimeseriesWindows {
  const op = "timeseriesWindows";
  const x = asTensor(op, "data", data);
  const y = targets === null ? null : asTensor(op, "targets", targets);
  const T = x.shape[0]!;
  const length = positiveInteger(op, "sequenceLength", options.sequenceLength);
  const stride = positiveInteger(op, "sequenceStride", options.sequenceStride ?? 1);
  const rate = positiveInteger(op, "samplingRate", options.samplingRate ?? 1);
  const start = options.startIndex ?? 0;
  const end = options.endIndex ?? T;
  if (!Number.isInteger(start) || start < 0 || start >= T)
    throw new ValueError(`${op}: startIndex must be an integer in [0, ${T}) (got ${start})`);
  if (!Number.isInteger(end) || end <= start || end > T)
    throw new ValueError(`${op}: endIndex must be an integer in (${start}, ${T}] (got ${end})`);
  // as Keras: as many windows as fit in [start, end), and no more than there are targets
  let count = end - start - (length - 1) * rate;
  if (y !== null) count = Math.min(count, y.shape[0]! - start);
  const starts: number[] = [];
  for (let p = 0; p < count; p += stride) starts.push(start + p);
  if (options.shuffle ?? false) new Generator(options.seed ?? getGenerator().nextUint32()).shuffle(starts);
  const rows = starts.flatMap((s) => Array.from({ length }, (_, j) => s + j * rate));
  return {
    x: gatherRows(x, rows, [starts.length, length]),
    y: y === null ? null : gatherRows(y, starts, [starts.length]),
    starts,
  };
}

export interface ForecastWindowOptions extends Omit<TimeseriesOptions, "endIndex"> {
  /** Steps ahead to predict after each window (default 1). */
  horizon?: number;
}

/**
 * Inputs and multi-step targets from one series: each window of sequenceLength steps is paired
 * with the `horizon` steps right after its last step, y (n, horizon, F...). With horizon 1 (and
 * samplingRate 1) the pairs are timeseriesWindows(series[:-1], series[L:]), y with a time axis of 1.
 * @example
 * const { x, y } = forecastWindows(daily, { sequenceLength: 28, horizon: 7 }); // x (n, 28), y (n, 7)
 */
export function forecastWindows(series: SeriesInput, options: ForecastWindowOptions): TimeseriesWindows {
  const op = "forecastWindows";
  const data = asTensor(op, "series", series);
  const horizon = positiveInteger(op, "horizon", options.horizon ?? 1);
  const T = data.shape[0]!;
  // every window's last step must leave `horizon` steps after it
  const endIndex = T - horizon;
  if (endIndex <= (options.startIndex ?? 0))
    throw new ValueError(
      `${op}: a series of ${T} steps is too short for windows and a horizon of ${horizon}`,
    );
  const { x, starts } = timeseriesWindows(data, null, { ...options, endIndex });
  const last = (options.sequenceLength - 1) * (options.samplingRate ?? 1); // a window's last step
  const rows = starts.flatMap((s) => Array.from({ length: horizon }, (_, h) => s + last + 1 + h));
  return { x, y: gatherRows(data, rows, [starts.length, horizon]), starts };
}

/**
 * Batches of sliding windows over a series: `{ x, y }` batches (x (B, L, F...)) for fit, or
 * batches of x alone when targets is null (Keras timeseries_dataset_from_array).
 * @example
 * const ds = timeseriesDataset(values.slice(0, -7), values.slice(7), { sequenceLength: 7, batchSize: 32 });
 * await model.fit(ds, { epochs: 10 });
 */
export function timeseriesDataset(
  data: SeriesInput,
  targets: SeriesInput,
  options: TimeseriesDatasetOptions,
): Dataset<{ x: Tensor; y: Tensor }>;
export function timeseriesDataset(
  data: SeriesInput,
  targets: null,
  options: TimeseriesDatasetOptions,
): Dataset<Tensor>;
export function timeseriesDataset(
  data: SeriesInput,
  targets: SeriesInput | null,
  options: TimeseriesDatasetOptions,
): Dataset<unknown> {
  const batchSize = options.batchSize === undefined ? 128 : options.batchSize;
  if (batchSize !== null) positiveInteger("timeseriesDataset", "batchSize", batchSize);
  const { x, y } = timeseriesWindows(data, targets, options);
  const rows: Dataset<unknown> = y === null ? Dataset.fromArrays(x) : Dataset.fromArrays(x, y);
  return batchSize === null ? rows : rows.batch(batchSize);
}
