// nn/layers/conv-utils: option validation and shape arithmetic shared by the convolution, pooling
// and spatial layers: integer tuples (kernelSize, strides, ...), padding and dataFormat names, the
// channels-first <-> channels-last transposes, and output lengths with unknown (null) sizes.
import { ConfigError, ShapeError } from "../../core/errors.js";
import { transpose } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigValue, describe, oneOf } from "../config.js";
import { formatSymbolicShape, type SymbolicShape } from "../symbolic-tensor.js";

/** Keras's data_format values: channels after (default) or before the spatial axes. */
export type DataFormat = "channels_last" | "channels_first";

/** A number or a list of `n` integers >= min, as a list of n (Keras's standardize_tuple). */
export function intTuple(op: string, key: string, value: unknown, n: number, min = 1): number[] {
  const list = typeof value === "number" ? new Array<number>(n).fill(value) : value;
  if (
    !Array.isArray(list) ||
    list.length !== n ||
    !list.every((v) => typeof v === "number" && Number.isInteger(v) && v >= min)
  ) {
    const what = min === 1 ? "a positive integer" : `an integer >= ${min}`;
    throw new ConfigError(`${op}: ${key} must be ${what} or a list of ${n} (got ${describe(value)})`);
  }
  return list as number[];
}

export function dataFormatOption(op: string, value: unknown): DataFormat {
  if (value === undefined || value === null) return "channels_last";
  return oneOf(op, "dataFormat", value, ["channels_last", "channels_first"] as const);
}

/** Moves channels last: (N, C, ...spatial) -> (N, ...spatial, C). Identity for channels_last. */
export function toChannelsLast(x: Tensor, format: DataFormat): Tensor {
  if (format === "channels_last") return x;
  const perm = [0, ...x.shape.slice(2).map((_, i) => i + 2), 1];
  return transpose(x, perm);
}

/** Moves channels back first: (N, ...spatial, C) -> (N, C, ...spatial). Identity for channels_last. */
export function fromChannelsLast(y: Tensor, format: DataFormat): Tensor {
  if (format === "channels_last") return y;
  const perm = [0, y.rank - 1, ...y.shape.slice(1, -1).map((_, i) => i + 1)];
  return transpose(y, perm);
}

/** Splits a (batch, ...) shape of rank spatialRank + 2 into spatial sizes and channels. */
export function splitShape(
  layer: string,
  shape: SymbolicShape,
  spatialRank: number,
  format: DataFormat,
): { batch: number | null; spatial: (number | null)[]; channels: number | null } {
  if (shape.length !== spatialRank + 2) {
    const axes = spatialRank === 1 ? "steps" : "height, width";
    const layout = format === "channels_last" ? `(batch, ${axes}, channels)` : `(batch, channels, ${axes})`;
    throw new ShapeError(
      `${layer}: expected inputs of rank ${spatialRank + 2} ${layout} (got ${formatSymbolicShape(shape)})`,
    );
  }
  const channelsLast = format === "channels_last";
  return {
    batch: shape[0] ?? null,
    spatial: channelsLast ? shape.slice(1, -1) : shape.slice(2),
    channels: (channelsLast ? shape[shape.length - 1] : shape[1]) ?? null,
  };
}

/** (batch, ...spatial, channels) in the layer's data format. */
export function joinShape(
  batch: number | null,
  spatial: readonly (number | null)[],
  channels: number | null,
  format: DataFormat,
): SymbolicShape {
  return format === "channels_last" ? [batch, ...spatial, channels] : [batch, channels, ...spatial];
}

/** Output length of a window along one axis (null stays null); mirrors ops/window's axisWindow. */
export function windowLength(
  layer: string,
  size: number | null,
  kernel: number,
  stride: number,
  dilation: number,
  padding: "valid" | "same" | "causal",
): number | null {
  if (size === null) return null;
  if (padding === "same") return Math.ceil(size / stride);
  if (padding === "causal") return Math.floor((size - 1) / stride) + 1;
  const span = (kernel - 1) * dilation + 1;
  if (size < span) {
    throw new ShapeError(
      `${layer}: input size ${size} is smaller than the window (${kernel} taps, dilation ${dilation}) with "valid" padding`,
    );
  }
  return Math.floor((size - span) / stride) + 1;
}

/** A config value for a tuple option (always a list, as Keras's get_config writes tuples). */
export function tupleConfig(values: readonly number[]): ConfigValue {
  return [...values];
}

/**
 * Keras's ((top, bottom), (left, right)) from an integer (all four), a pair (symmetric per axis)
 * or a pair of pairs; every amount a non-negative integer.
 */
export function pairOfPairs(op: string, key: string, value: unknown): [[number, number], [number, number]] {
  const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
  if (isCount(value)) {
    return [
      [value, value],
      [value, value],
    ];
  }
  if (Array.isArray(value) && value.length === 2) {
    const [a, b] = value as unknown[];
    if (isCount(a) && isCount(b)) {
      return [
        [a, a],
        [b, b],
      ];
    }
    const pair = (p: unknown): [number, number] | null =>
      Array.isArray(p) && p.length === 2 && isCount(p[0]) && isCount(p[1]) ? [p[0], p[1]] : null;
    const first = pair(a);
    const second = pair(b);
    if (first !== null && second !== null) return [first, second];
  }
  throw new ConfigError(
    `${op}: ${key} must be a non-negative integer, a pair of them, or a pair of [before, after] pairs (got ${describe(value)})`,
  );
}
