// ml/cluster-metrics: clustering quality scores with scikit-learn's definitions: silhouette
// (Euclidean), Davies-Bouldin and the adjusted Rand index. Labels may be numbers or strings.
import { ShapeError, ValueError } from "../core/errors.js";
import { encodeLabels, type Labels } from "../data/split/labels.js";
import { type Matrix, type MatrixInput, squaredDistance, toMatrix } from "./matrix.js";

function codesFor(op: string, x: Matrix, labels: Labels): { codes: Int32Array; k: number } {
  const { codes, classes } = encodeLabels(op, labels);
  if (codes.length !== x.rows) throw new ShapeError(`${op}: ${codes.length} labels for ${x.rows} rows of X`);
  if (classes.length < 2 || classes.length > x.rows - 1) {
    throw new ValueError(
      `${op}: needs between 2 and n - 1 = ${x.rows - 1} distinct labels (got ${classes.length})`,
    );
  }
  return { codes, k: classes.length };
}

/**
 * Mean silhouette coefficient: (b - a) / max(a, b) per row, where a is the mean distance to its own
 * cluster and b the smallest mean distance to another cluster (0 for a row alone in its cluster).
 */
export function silhouetteScore(xInput: MatrixInput, labels: Labels): number {
  const op = "silhouetteScore";
  const x = toMatrix(op, xInput);
  const { codes, k } = codesFor(op, x, labels);
  const sizes = new Float64Array(k);
  for (const c of codes) sizes[c]! += 1;
  const sums = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < x.rows; i++) {
    sums.fill(0);
    for (let j = 0; j < x.rows; j++) sums[codes[j]!]! += Math.sqrt(squaredDistance(x, i, x, j));
    const own = codes[i]!;
    if (sizes[own]! <= 1) continue;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own) b = Math.min(b, sums[c]! / sizes[c]!);
    const denominator = Math.max(a, b);
    total += denominator > 0 ? (b - a) / denominator : 0;
  }
  return total / x.rows;
}

/** Davies-Bouldin index: mean over clusters of the worst (s_i + s_j) / d(c_i, c_j); lower is better. */
export function daviesBouldinScore(xInput: MatrixInput, labels: Labels): number {
  const op = "daviesBouldinScore";
  const x = toMatrix(op, xInput);
  const { codes, k } = codesFor(op, x, labels);
  const d = x.cols;
  const centroids = new Float64Array(k * d);
  const sizes = new Float64Array(k);
  for (let i = 0; i < x.rows; i++) {
    sizes[codes[i]!]! += 1;
    for (let j = 0; j < d; j++) centroids[codes[i]! * d + j]! += x.data[i * d + j]!;
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) centroids[c * d + j]! /= sizes[c]!;
  const centers: Matrix = { rows: k, cols: d, data: centroids };
  const spread = new Float64Array(k);
  for (let i = 0; i < x.rows; i++) spread[codes[i]!]! += Math.sqrt(squaredDistance(x, i, centers, codes[i]!));
  for (let c = 0; c < k; c++) spread[c]! /= sizes[c]!;
  let total = 0;
  for (let a = 0; a < k; a++) {
    let worst = 0;
    for (let b = 0; b < k; b++) {
      if (a === b) continue;
      const dist = Math.sqrt(squaredDistance(centers, a, centers, b));
      worst = Math.max(worst, dist === 0 ? 0 : (spread[a]! + spread[b]!) / dist);
    }
    total += worst;
  }
  return total / k;
}

const pairs = (m: number): number => (m * (m - 1)) / 2;

/** Adjusted Rand index between two labellings: 1 for identical partitions, about 0 for random ones. */
export function adjustedRandScore(labelsTrue: Labels, labelsPred: Labels): number {
  const op = "adjustedRandScore";
  const a = encodeLabels(op, labelsTrue);
  const b = encodeLabels(op, labelsPred);
  const n = a.codes.length;
  if (b.codes.length !== n)
    throw new ShapeError(`${op}: the labellings differ in length (${n} and ${b.codes.length})`);
  const kb = b.classes.length;
  const table = new Float64Array(a.classes.length * kb);
  for (let i = 0; i < n; i++) table[a.codes[i]! * kb + b.codes[i]!]! += 1;
  let index = 0;
  for (const v of table) index += pairs(v);
  let rowPairs = 0;
  for (const v of a.counts) rowPairs += pairs(v);
  let colPairs = 0;
  for (const v of b.counts) colPairs += pairs(v);
  const expected = (rowPairs * colPairs) / pairs(n);
  const maximum = (rowPairs + colPairs) / 2;
  // Both partitions trivial (one cluster each, or every row alone): they agree perfectly.
  if (maximum === expected) return 1;
  return (index - expected) / (maximum - expected);
}
