// responsible/explain-partial-dependence: partial dependence (Friedman 2001; scikit-learn's
// partial_dependence, method "brute"): the model's average output as one feature is set to each
// value of a grid for every row, the other features kept as they are. The per-row curves are the
// individual conditional expectation (ICE) lines.
// Shapes: x is [N, D]; the model gives [N] or [N, K]; the grid has G values.
import { ValueError } from "../core/errors.js";
import type { Tensor } from "../tensor/tensor.js";
import {
  checkCount,
  checkMatrix,
  type Explainable,
  forwardOf,
  predictMatrix,
  tensorLike,
} from "./explain-model.js";

/** Options of partialDependence(). */
export interface PartialDependenceOptions {
  /** Grid points; default 100. A feature with fewer distinct values uses them all. */
  gridResolution?: number;
  /** The grid spans these percentiles of the feature; default [0.05, 0.95] (scikit-learn's). */
  percentiles?: readonly [number, number];
  /** Explicit grid values instead. */
  grid?: readonly number[];
}

/** A partial dependence curve. */
export interface PartialDependence {
  feature: number;
  /** [G]: the feature values. */
  grid: Float64Array;
  /** [G][K]: average model output at each grid value (K = 1 for a single output). */
  average: Float64Array[];
  /** [G][N * K]: each row's output at each grid value (ICE). */
  individual: Float64Array[];
}

/** The linearly interpolated quantile (numpy's default) of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (position - lo) * (sorted[hi]! - sorted[lo]!);
}

/** scikit-learn's grid: the distinct values when fewer than `resolution`, else evenly spaced between percentiles. */
export function featureGrid(
  values: Float64Array,
  resolution: number,
  percentiles: readonly [number, number],
): Float64Array {
  const [low, high] = percentiles;
  if (!(low >= 0 && high <= 1 && low < high))
    throw new ValueError(
      `partialDependence: percentiles must satisfy 0 <= low < high <= 1 (got [${low}, ${high}])`,
    );
  const sorted = Float64Array.from(values).sort();
  const distinct = [...new Set(sorted)];
  if (distinct.length < resolution) return Float64Array.from(distinct);
  const from = quantile(sorted, low);
  const to = quantile(sorted, high);
  if (from === to)
    throw new ValueError(
      `partialDependence: the feature's percentiles are equal (${from}); widen percentiles`,
    );
  return Float64Array.from({ length: resolution }, (_, i) => from + ((to - from) * i) / (resolution - 1));
}

/**
 * Partial dependence of the model's output on column `feature` of `x`.
 * @example
 * const { grid, average } = explain.partialDependence(model, x, 2, { gridResolution: 20 });
 */
export function partialDependence(
  model: Explainable,
  x: Tensor,
  feature: number,
  options: PartialDependenceOptions = {},
): PartialDependence {
  const op = "partialDependence";
  const [n, d] = checkMatrix(op, "x", x);
  if (!Number.isInteger(feature) || feature < 0 || feature >= d)
    throw new ValueError(`${op}: feature must be a column index in [0, ${d}) (got ${feature})`);
  const column = Float64Array.from({ length: n }, (_, i) => x.data[i * d + feature]!);
  const grid =
    options.grid !== undefined
      ? Float64Array.from(options.grid)
      : featureGrid(
          column,
          checkCount(op, "gridResolution", options.gridResolution ?? 100, 2),
          options.percentiles ?? [0.05, 0.95],
        );
  if (grid.length === 0 || grid.some((v) => !Number.isFinite(v)))
    throw new ValueError(`${op}: the grid must hold finite numbers`);
  const forward = forwardOf(model);
  // (G * N, D): block g is x with the feature set to grid[g]
  const stacked = new Float64Array(grid.length * n * d);
  for (let g = 0; g < grid.length; g++) {
    stacked.set(x.data, g * n * d);
    for (let i = 0; i < n; i++) stacked[(g * n + i) * d + feature] = grid[g]!;
  }
  const out = predictMatrix(op, forward, tensorLike(x, stacked, [grid.length * n, d]));
  const k = out.width;
  const average: Float64Array[] = [];
  const individual: Float64Array[] = [];
  for (let g = 0; g < grid.length; g++) {
    const block = out.data.slice(g * n * k, (g + 1) * n * k);
    const mean = new Float64Array(k);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) mean[c]! += block[i * k + c]! / n;
    average.push(mean);
    individual.push(block);
  }
  return { feature, grid, average, individual };
}
