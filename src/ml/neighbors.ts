// ml/neighbors: brute-force k nearest neighbours (Euclidean) and scikit-learn's neighbour weights,
// shared by KNeighborsClassifier and KNeighborsRegressor (with their options, base class and saved
// training rows). Ties in distance keep the lower row index.
import { ValueError } from "../core/errors.js";
import { type JsonValue, stateNumber, stateNumbers } from "./estimator.js";
import { checkFeatures, type Matrix, type MatrixInput, squaredDistance, toMatrix } from "./matrix.js";
import { choiceOption, intOption } from "./params.js";

export type NeighborWeights = "uniform" | "distance";

export interface KNeighborsOptions {
  /** Neighbours consulted (default 5). */
  nNeighbors?: number;
  /** "uniform" (default) or "distance" (inverse-distance weights). */
  weights?: NeighborWeights;
}

/** What both k-neighbours estimators share: the checked nNeighbors (default 5) and weights, getParams. */
export abstract class KNeighborsBase {
  readonly nNeighbors: number;
  readonly weights: NeighborWeights;

  protected constructor(kind: string, options: KNeighborsOptions) {
    this.nNeighbors = intOption(kind, "nNeighbors", options.nNeighbors, 5);
    this.weights = choiceOption(kind, "weights", options.weights, "uniform", ["uniform", "distance"]);
  }

  getParams(): KNeighborsOptions {
    return { nNeighbors: this.nNeighbors, weights: this.weights };
  }
}

/**
 * The k nearest training rows of every row of X: calls visit(q, rows, w) for each query row q, with
 * rows the training-row indices (nearest first) and w their weights. Returns the query row count.
 */
export function visitNeighbors(
  op: string,
  train: Matrix,
  xInput: MatrixInput,
  k: number,
  mode: NeighborWeights,
  visit: (q: number, rows: Int32Array, w: Float64Array) => void,
): number {
  const query = toMatrix(op, xInput);
  checkFeatures(op, query, train.cols);
  const { indices, distances } = kNearest(train, query, k);
  const w = new Float64Array(k);
  for (let q = 0; q < query.rows; q++) {
    neighborWeights(distances, q * k, k, mode, w);
    visit(q, indices.subarray(q * k, (q + 1) * k), w);
  }
  return query.rows;
}

/** The training rows [n, features] a saved k-neighbours state holds (`features` and `x`). */
export function trainingRowsFromState(kind: string, fitted: { [key: string]: JsonValue }): Matrix {
  const cols = stateNumber(kind, fitted, "features");
  const data = stateNumbers(kind, fitted, "x");
  return { rows: data.length / cols, cols, data };
}

/** For each query row, its k nearest training rows ([q, k] indices) and their distances. */
export function kNearest(
  train: Matrix,
  query: Matrix,
  k: number,
): { indices: Int32Array; distances: Float64Array } {
  if (k > train.rows)
    throw new ValueError(`kNeighbors: nNeighbors = ${k} is more than the ${train.rows} training rows`);
  const indices = new Int32Array(query.rows * k);
  const distances = new Float64Array(query.rows * k);
  const all = new Float64Array(train.rows);
  const order = new Int32Array(train.rows);
  for (let q = 0; q < query.rows; q++) {
    for (let i = 0; i < train.rows; i++) {
      all[i] = squaredDistance(query, q, train, i);
      order[i] = i;
    }
    // Partial selection sort is O(n k); fine for the small k used in practice.
    for (let s = 0; s < k; s++) {
      let best = s;
      for (let i = s + 1; i < train.rows; i++) {
        const a = all[order[i]!]!;
        const b = all[order[best]!]!;
        if (a < b || (a === b && order[i]! < order[best]!)) best = i;
      }
      const tmp = order[s]!;
      order[s] = order[best]!;
      order[best] = tmp;
      indices[q * k + s] = order[s]!;
      distances[q * k + s] = Math.sqrt(all[order[s]!]!);
    }
  }
  return { indices, distances };
}

/** Weights of one query's neighbours: 1 each, or 1/distance (exact matches take all the weight). */
export function neighborWeights(
  distances: Float64Array,
  offset: number,
  k: number,
  mode: NeighborWeights,
  out: Float64Array,
): void {
  if (mode === "uniform") {
    out.fill(1);
    return;
  }
  let exact = false;
  for (let s = 0; s < k; s++) if (distances[offset + s] === 0) exact = true;
  for (let s = 0; s < k; s++) {
    const dist = distances[offset + s]!;
    out[s] = exact ? (dist === 0 ? 1 : 0) : 1 / dist;
  }
}
