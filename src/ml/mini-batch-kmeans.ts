// ml/mini-batch-kmeans: k-means on random mini-batches (Sculley 2010) with scikit-learn's update:
// each centre moves to the running mean of every row ever assigned to it (per-centre counts), and
// fitting stops early when the smoothed batch inertia has not improved for maxNoImprovement steps.
// The initialisation is the best of nInit k-means++ seedings scored on an initSize sample.
// NOTE: scikit-learn also reassigns rarely used centres (reassignment_ratio); this does not.
import { ValueError } from "../core/errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkState, type EstimatorState, makeState, stateNumber, toNumbers } from "./estimator.js";
import { assignLabels, centersFromState, kmeansPlusPlus, predictNearest } from "./kmeans-core.js";
import { type Matrix, type MatrixInput, takeMatrixRows, toMatrix } from "./matrix.js";
import { generatorFor, intOption } from "./params.js";

export interface MiniBatchKMeansOptions {
  /** Number of clusters (default 8). */
  nClusters?: number;
  /** Rows per mini-batch (default 1024). */
  batchSize?: number;
  /** Passes over the data, as in scikit-learn: steps = maxIter * n / batchSize (default 100). */
  maxIter?: number;
  /** k-means++ seedings tried on the init sample (default 3). */
  nInit?: number;
  /** Steps without improvement of the smoothed inertia before stopping (default 10). */
  maxNoImprovement?: number;
  /** Seed of this estimator's random stream. */
  seed?: number;
}

/**
 * Mini-batch k-means.
 * @example
 * const mbk = new MiniBatchKMeans({ nClusters: 10, seed: 0 }).fit(x);
 */
export class MiniBatchKMeans {
  static readonly kind = "MiniBatchKMeans";
  readonly nClusters: number;
  readonly batchSize: number;
  readonly maxIter: number;
  readonly nInit: number;
  readonly maxNoImprovement: number;
  readonly seed: number | undefined;
  clusterCenters: Matrix | null = null;
  labels: Int32Array | null = null;
  inertia = Number.NaN;
  /** Mini-batch steps run. */
  nSteps = 0;

  constructor(options: MiniBatchKMeansOptions = {}) {
    const op = MiniBatchKMeans.kind;
    this.nClusters = intOption(op, "nClusters", options.nClusters, 8);
    this.batchSize = intOption(op, "batchSize", options.batchSize, 1024);
    this.maxIter = intOption(op, "maxIter", options.maxIter, 100);
    this.nInit = intOption(op, "nInit", options.nInit, 3);
    this.maxNoImprovement = intOption(op, "maxNoImprovement", options.maxNoImprovement, 10);
    this.seed = options.seed;
  }

  getParams(): MiniBatchKMeansOptions {
    const { nClusters, batchSize, maxIter, nInit, maxNoImprovement, seed } = this;
    return {
      nClusters,
      batchSize,
      maxIter,
      nInit,
      maxNoImprovement,
      ...(seed !== undefined ? { seed } : {}),
    };
  }

  fit(xInput: MatrixInput): this {
    const op = "MiniBatchKMeans.fit";
    const x = toMatrix(op, xInput);
    const { rows: n, cols: d } = x;
    const k = this.nClusters;
    if (k > n) throw new ValueError(`${op}: nClusters = ${k} is more than the ${n} rows of X`);
    const rng = generatorFor(this.seed);
    const batch = Math.min(this.batchSize, n);
    // Initialisation: the best of nInit seedings, each scored on its own random sample.
    const initSize = Math.min(n, Math.max(3 * batch, k));
    let centers: Matrix | null = null;
    let bestInertia = Number.POSITIVE_INFINITY;
    for (let r = 0; r < this.nInit; r++) {
      const sample = takeMatrixRows(x, rng.permutation(n).slice(0, initSize));
      const candidate = kmeansPlusPlus(sample, k, rng);
      const inertia = assignLabels(sample, candidate, new Int32Array(sample.rows));
      if (inertia < bestInertia) {
        bestInertia = inertia;
        centers = candidate;
      }
    }
    const c = (centers as Matrix).data.slice();
    const counts = new Float64Array(k);
    const steps = Math.ceil((this.maxIter * n) / batch);
    const alpha = Math.min(1, (2 * batch) / (n + 1));
    let smoothed = Number.NaN;
    let bestSmoothed = Number.POSITIVE_INFINITY;
    let noImprovement = 0;
    const labels = new Int32Array(batch);
    const indices = new Int32Array(batch);
    let step = 0;
    for (; step < steps; step++) {
      for (let b = 0; b < batch; b++) indices[b] = rng.int(0, n);
      const rowsOfBatch = takeMatrixRows(x, indices);
      const batchInertia = assignLabels(rowsOfBatch, { rows: k, cols: d, data: c }, labels) / batch;
      for (let b = 0; b < batch; b++) {
        const cluster = labels[b]!;
        counts[cluster]! += 1;
        const eta = 1 / counts[cluster]!;
        for (let j = 0; j < d; j++)
          c[cluster * d + j]! += eta * (rowsOfBatch.data[b * d + j]! - c[cluster * d + j]!);
      }
      smoothed = Number.isNaN(smoothed) ? batchInertia : smoothed * (1 - alpha) + batchInertia * alpha;
      if (smoothed < bestSmoothed) {
        bestSmoothed = smoothed;
        noImprovement = 0;
      } else if (++noImprovement >= this.maxNoImprovement) {
        step++;
        break;
      }
    }
    this.nSteps = step;
    this.clusterCenters = { rows: k, cols: d, data: c };
    this.labels = new Int32Array(n);
    this.inertia = assignLabels(x, this.clusterCenters, this.labels);
    return this;
  }

  /** Nearest centre of each row, an int32 tensor [n]. */
  predict(xInput: MatrixInput): Tensor {
    return predictNearest("MiniBatchKMeans.predict", this.clusterCenters, xInput);
  }

  toJSON(): EstimatorState {
    const c = this.clusterCenters;
    return makeState(
      MiniBatchKMeans.kind,
      this.getParams(),
      c === null ? null : { features: c.cols, clusterCenters: toNumbers(c.data), inertia: this.inertia },
    );
  }

  static fromJSON(state: EstimatorState): MiniBatchKMeans {
    const kind = MiniBatchKMeans.kind;
    const est = new MiniBatchKMeans(state.params as MiniBatchKMeansOptions);
    const fitted = checkState(kind, state);
    if (fitted !== null) {
      est.clusterCenters = centersFromState(kind, fitted, est.nClusters);
      est.inertia = stateNumber(kind, fitted, "inertia");
    }
    return est;
  }
}
