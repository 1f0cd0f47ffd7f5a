// ml/kmeans-core: the pieces KMeans and MiniBatchKMeans share, with scikit-learn's semantics:
// greedy k-means++ seeding (2 + ln k candidates per step), nearest-centre assignment and inertia.
// Shapes: X is [n, d], centres are [k, d].
import type { Generator } from "../core/random.js";
import { Tensor } from "../tensor/tensor.js";
import { type JsonValue, requireFitted, stateNumber, stateNumbers } from "./estimator.js";
import {
  checkFeatures,
  type Matrix,
  type MatrixInput,
  matmulMatrix,
  squaredDistance,
  takeMatrixRows,
  toMatrix,
} from "./matrix.js";

/** Squared norm of every row of m. */
export function rowSquaredNorms(m: Matrix): Float64Array {
  const { rows: n, cols: d, data } = m;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let j = i * d; j < (i + 1) * d; j++) total += data[j]! * data[j]!;
    norms[i] = total;
  }
  return norms;
}

/** What repeated assignments of the same rows reuse: X^T (d, n) and the row norms. */
export interface PreparedRows {
  readonly xT: Matrix;
  readonly norms: Float64Array;
}

/** X^T and the squared row norms, computed once per fit. */
export function prepareRows(x: Matrix): PreparedRows {
  const { rows: n, cols: d, data } = x;
  const xT = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xT[j * n + i] = data[i * d + j]!;
  return { xT: { rows: d, cols: n, data: xT }, norms: rowSquaredNorms(x) };
}

/** rows . X^T, (r, n): from the prepared X^T (no transposed packing in the GEMM, ~35% faster). */
function crossWithRows(rows: Matrix, x: Matrix, prepared: PreparedRows | undefined): Float64Array {
  return (prepared ? matmulMatrix(rows, prepared.xT) : matmulMatrix(rows, x, { transposeB: true })).data;
}

/**
 * Nearest centre of every row and its squared distance; returns the inertia (sum of those).
 * Distances come from ||x||^2 - 2 x.c + ||c||^2 with x.c one matrix product (as scikit-learn);
 * pass `prepared` (prepareRows(x)) when assigning the same rows again and again.
 */
export function assignLabels(
  x: Matrix,
  centers: Matrix,
  labels: Int32Array,
  distances?: Float64Array,
  prepared?: PreparedRows,
): number {
  const { rows: n, cols: d } = x;
  const k = centers.rows;
  const rowNorms = prepared?.norms ?? rowSquaredNorms(x);
  // NOTE: centres . x^T, (k, n), not x . centres^T, (n, k): a GEMM tile wastes most of its columns
  // on a k-wide output (2-3x slower for k = 10).
  const cross = crossWithRows(centers, x, prepared); // (k, n)
  const best = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  for (let c = 0; c < k; c++) {
    let centerNorm = 0;
    for (let j = c * d; j < (c + 1) * d; j++) centerNorm += centers.data[j]! * centers.data[j]!;
    const o = c * n;
    for (let i = 0; i < n; i++) {
      const dist = centerNorm - 2 * cross[o + i]!;
      if (dist < best[i]!) {
        best[i] = dist;
        labels[i] = c;
      }
    }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const dist = Math.max(best[i]! + rowNorms[i]!, 0);
    if (distances) distances[i] = dist;
    inertia += dist;
  }
  return inertia;
}

/** Index of the first entry of the cumulative sums `cumulative` that exceeds `target` (binary search). */
function searchSorted(cumulative: Float64Array, target: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * k-means++ seeding (Arthur & Vassilvitskii), greedy like scikit-learn: each new centre is the best
 * of 2 + floor(ln k) candidates drawn with probability proportional to the squared distance.
 */
export function kmeansPlusPlus(x: Matrix, k: number, rng: Generator, prepared?: PreparedRows): Matrix {
  const { rows: n, cols: d } = x;
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(0, n);
  centers.set(x.data.subarray(first * d, (first + 1) * d), 0);
  const closest = new Float64Array(n);
  const firstCenter: Matrix = { rows: 1, cols: d, data: centers.subarray(0, d) };
  for (let i = 0; i < n; i++) closest[i] = squaredDistance(x, i, firstCenter, 0);
  const rowNorms = prepared?.norms ?? rowSquaredNorms(x);
  const cumulative = new Float64Array(n);
  const candidateDistances = new Float64Array(n);
  const bestDistances = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let running = 0;
    for (let i = 0; i < n; i++) {
      running += closest[i]!;
      cumulative[i] = running;
    }
    const candidates = Array.from({ length: trials }, () =>
      Math.min(searchSorted(cumulative, rng.random() * running), n - 1),
    );
    // Squared distances of every row to the candidates through one product: ||x||^2 - 2 x.c + ||c||^2.
    const cross = crossWithRows(takeMatrixRows(x, candidates), x, prepared); // (trials, n)
    let bestCandidate = -1;
    let bestPotential = Number.POSITIVE_INFINITY;
    for (let t = 0; t < trials; t++) {
      const candidate = candidates[t]!;
      let candidatePotential = 0;
      for (let i = 0; i < n; i++) {
        const dist = Math.min(
          closest[i]!,
          Math.max(rowNorms[i]! - 2 * cross[t * n + i]! + rowNorms[candidate]!, 0),
        );
        candidateDistances[i] = dist;
        candidatePotential += dist;
      }
      if (candidatePotential < bestPotential) {
        bestPotential = candidatePotential;
        bestCandidate = candidate;
        bestDistances.set(candidateDistances);
      }
    }
    centers.set(x.data.subarray(bestCandidate * d, (bestCandidate + 1) * d), c * d);
    closest.set(bestDistances);
  }
  return { rows: k, cols: d, data: centers };
}

/** k distinct rows drawn at random ("random" init). */
export function randomRows(x: Matrix, k: number, rng: Generator): Matrix {
  const order = rng.permutation(x.rows).slice(0, k);
  const data = new Float64Array(k * x.cols);
  order.forEach((row, c) => {
    data.set(x.data.subarray(row * x.cols, (row + 1) * x.cols), c * x.cols);
  });
  return { rows: k, cols: x.cols, data };
}

/** Mean of the per-feature variances of X: scikit-learn scales tol by it. */
export function meanVariance(x: Matrix): number {
  const { rows: n, cols: d, data } = x;
  let total = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * d + j]!;
    mean /= n;
    let sq = 0;
    for (let i = 0; i < n; i++) sq += (data[i * d + j]! - mean) ** 2;
    total += sq / n;
  }
  return total / d;
}

/** X as a matrix checked against fitted centres (`op` fails when the estimator is not fitted). */
export function fittedRows(
  op: string,
  fittedCenters: Matrix | null,
  xInput: MatrixInput,
): { x: Matrix; centers: Matrix } {
  const centers = requireFitted(op, fittedCenters);
  const x = toMatrix(op, xInput);
  checkFeatures(op, x, centers.cols);
  return { x, centers };
}

/** Nearest centre of each row, an int32 tensor [n] (predict of both k-means estimators). */
export function predictNearest(op: string, fittedCenters: Matrix | null, xInput: MatrixInput): Tensor {
  const { x, centers } = fittedRows(op, fittedCenters, xInput);
  const labels = new Int32Array(x.rows);
  assignLabels(x, centers, labels);
  return new Tensor(labels, [x.rows]);
}

/** The centres [k, features] a saved state holds (its `features` and `clusterCenters` fields). */
export function centersFromState(kind: string, fitted: { [key: string]: JsonValue }, k: number): Matrix {
  const cols = stateNumber(kind, fitted, "features");
  return { rows: k, cols, data: stateNumbers(kind, fitted, "clusterCenters", k * cols) };
}
