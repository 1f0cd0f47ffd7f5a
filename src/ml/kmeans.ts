// ml/kmeans: KMeans clustering with scikit-learn 1.2 semantics: k-means++ (or random) seeding,
// nInit restarts keeping the lowest inertia, Lloyd iterations until the labels stop changing or the
// centres move less than tol (scaled by the mean feature variance), empty clusters relocated to
// the points farthest from their centres.
import { ValueError } from "../core/errors.js";
import type { Generator } from "../core/random.js";
import { Tensor } from "../tensor/tensor.js";
import { checkState, type EstimatorState, makeState, stateNumber, toNumbers } from "./estimator.js";
import {
  assignLabels,
  centersFromState,
  fittedRows,
  kmeansPlusPlus,
  meanVariance,
  type PreparedRows,
  predictNearest,
  prepareRows,
  randomRows,
} from "./kmeans-core.js";
import { type Matrix, type MatrixInput, matmulMatrix, squaredDistance, toMatrix } from "./matrix.js";
import { choiceOption, generatorFor, intOption, positiveOption } from "./params.js";

export interface KMeansOptions {
  /** Number of clusters (default 8). */
  nClusters?: number;
  /** Seeding: "k-means++" (default) or "random" rows. */
  init?: "k-means++" | "random";
  /** Restarts from different seeds; the run with the lowest inertia is kept (default 10). */
  nInit?: number;
  /** Lloyd iterations per run (default 300). */
  maxIter?: number;
  /** Relative tolerance on the centre shift (default 1e-4). */
  tol?: number;
  /** Seed of this estimator's random stream (default: a fork of the global generator). */
  seed?: number;
}

interface Run {
  centers: Matrix;
  labels: Int32Array;
  inertia: number;
  nIter: number;
}

/** Means of the rows of each cluster; empty clusters take the points farthest from their centre. */
function updateCenters(x: Matrix, labels: Int32Array, distances: Float64Array, k: number): Matrix {
  const { rows: n, cols: d, data } = x;
  // Per-cluster sums as one GEMM: onehot(labels) (k, n) . X (n, d), ~4x the scalar loop's speed.
  const onehot = new Float64Array(k * n);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    counts[c]! += 1;
    onehot[c * n + i] = 1;
  }
  const sums = matmulMatrix({ rows: k, cols: n, data: onehot }, x).data; // (k, d)
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty.push(c);
  if (empty.length > 0) {
    const far = Array.from({ length: n }, (_, i) => i).sort((a, b) => distances[b]! - distances[a]!);
    empty.forEach((c, e) => {
      const i = far[e]!;
      const old = labels[i]!;
      for (let j = 0; j < d; j++) {
        sums[old * d + j]! -= data[i * d + j]!;
        sums[c * d + j] = data[i * d + j]!;
      }
      counts[old]! -= 1;
      counts[c] = 1;
    });
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) sums[c * d + j]! /= counts[c]!;
  return { rows: k, cols: d, data: sums };
}

/** One Lloyd run from the given centres. */
export function lloyd(
  x: Matrix,
  initial: Matrix,
  maxIter: number,
  tol: number,
  prepared: PreparedRows = prepareRows(x),
): Run {
  const k = initial.rows;
  let centers = initial;
  const labels = new Int32Array(x.rows);
  const previous = new Int32Array(x.rows).fill(-1);
  const distances = new Float64Array(x.rows);
  let strict = false;
  let nIter = 0;
  for (let it = 0; it < maxIter; it++) {
    assignLabels(x, centers, labels, distances, prepared);
    const next = updateCenters(x, labels, distances, k);
    let shift = 0;
    for (let p = 0; p < next.data.length; p++) shift += (next.data[p]! - centers.data[p]!) ** 2;
    centers = next;
    nIter = it + 1;
    if (sameLabels(labels, previous)) {
      strict = true;
      break;
    }
    if (shift <= tol) break;
    previous.set(labels);
  }
  // The labels must match the final centres: one more assignment unless they already did.
  let inertia = 0;
  if (strict) for (let i = 0; i < x.rows; i++) inertia += squaredDistance(x, i, centers, labels[i]!);
  else inertia = assignLabels(x, centers, labels, undefined, prepared);
  return { centers, labels, inertia, nIter };
}

function sameLabels(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * K-means clustering.
 * @example
 * const km = new KMeans({ nClusters: 3, seed: 0 }).fit(x);
 * km.inertia; km.predict(x);
 */
export class KMeans {
  static readonly kind = "KMeans";
  readonly nClusters: number;
  readonly init: "k-means++" | "random";
  readonly nInit: number;
  readonly maxIter: number;
  readonly tol: number;
  readonly seed: number | undefined;
  /** Cluster centres [nClusters, features] after fit. */
  clusterCenters: Matrix | null = null;
  /** Cluster of each training row. */
  labels: Int32Array | null = null;
  /** Sum of squared distances of the training rows to their centre. */
  inertia = Number.NaN;
  /** Lloyd iterations of the kept run. */
  nIter = 0;

  constructor(options: KMeansOptions = {}) {
    const op = KMeans.kind;
    this.nClusters = intOption(op, "nClusters", options.nClusters, 8);
    this.init = choiceOption(op, "init", options.init, "k-means++", ["k-means++", "random"]);
    this.nInit = intOption(op, "nInit", options.nInit, 10);
    this.maxIter = intOption(op, "maxIter", options.maxIter, 300);
    this.tol = positiveOption(op, "tol", options.tol, 1e-4, true);
    this.seed = options.seed;
  }

  getParams(): KMeansOptions {
    return {
      nClusters: this.nClusters,
      init: this.init,
      nInit: this.nInit,
      maxIter: this.maxIter,
      tol: this.tol,
      ...(this.seed !== undefined ? { seed: this.seed } : {}),
    };
  }

  fit(xInput: MatrixInput): this {
    const op = "KMeans.fit";
    const x = toMatrix(op, xInput);
    if (this.nClusters > x.rows) {
      throw new ValueError(`${op}: nClusters = ${this.nClusters} is more than the ${x.rows} rows of X`);
    }
    const rng: Generator = generatorFor(this.seed);
    const tol = this.tol * meanVariance(x);
    const prepared = prepareRows(x);
    let best: Run | null = null;
    for (let r = 0; r < this.nInit; r++) {
      const start =
        this.init === "k-means++"
          ? kmeansPlusPlus(x, this.nClusters, rng, prepared)
          : randomRows(x, this.nClusters, rng);
      const run = lloyd(x, start, this.maxIter, tol, prepared);
      if (best === null || run.inertia < best.inertia) best = run;
    }
    const kept = best as Run;
    this.clusterCenters = kept.centers;
    this.labels = kept.labels;
    this.inertia = kept.inertia;
    this.nIter = kept.nIter;
    return this;
  }

  /** Nearest centre of each row, an int32 tensor [n]. */
  predict(xInput: MatrixInput): Tensor {
    return predictNearest("KMeans.predict", this.clusterCenters, xInput);
  }

  /** fit(X) then the training labels. */
  fitPredict(xInput: MatrixInput): Tensor {
    this.fit(xInput);
    const labels = this.labels as Int32Array;
    return new Tensor(labels.slice(), [labels.length]);
  }

  /** Euclidean distance of each row to each centre, [n, nClusters]. */
  transform(xInput: MatrixInput): Tensor {
    const { x, centers } = fittedRows("KMeans.transform", this.clusterCenters, xInput);
    const out = new Float64Array(x.rows * centers.rows);
    for (let i = 0; i < x.rows; i++)
      for (let c = 0; c < centers.rows; c++)
        out[i * centers.rows + c] = Math.sqrt(squaredDistance(x, i, centers, c));
    return new Tensor(out, [x.rows, centers.rows]);
  }

  /** Minus the inertia of X against the fitted centres (higher is better, like scikit-learn). */
  score(xInput: MatrixInput): number {
    const { x, centers } = fittedRows("KMeans.score", this.clusterCenters, xInput);
    return -assignLabels(x, centers, new Int32Array(x.rows));
  }

  toJSON(): EstimatorState {
    const c = this.clusterCenters;
    return makeState(
      KMeans.kind,
      this.getParams(),
      c === null
        ? null
        : { features: c.cols, clusterCenters: toNumbers(c.data), inertia: this.inertia, nIter: this.nIter },
    );
  }

  static fromJSON(state: EstimatorState): KMeans {
    const km = new KMeans(state.params as KMeansOptions);
    const fitted = checkState(KMeans.kind, state);
    if (fitted !== null) {
      km.clusterCenters = centersFromState(KMeans.kind, fitted, km.nClusters);
      km.inertia = stateNumber(KMeans.kind, fitted, "inertia");
      km.nIter = stateNumber(KMeans.kind, fitted, "nIter");
    }
    return km;
  }
}
