// ml/hist-binning: scikit-learn's _BinMapper for the histogram gradient-boosted trees. Each
// feature gets at most maxBins - 1 thresholds: midpoints of consecutive distinct values when there
// are few, otherwise NumPy "midpoint" percentiles; a value v falls in the bin of the first
// threshold with v <= threshold. Binned data is stored column-major as bytes.
import type { Matrix } from "./matrix.js";

/** Thresholds of one feature from its values (any order). */
export function featureThresholds(values: Float64Array, maxBins: number): Float64Array {
  const sorted = values.slice().sort();
  const distinct: number[] = [];
  for (const v of sorted) if (distinct.length === 0 || distinct[distinct.length - 1] !== v) distinct.push(v);
  if (distinct.length <= maxBins) {
    const out = new Float64Array(Math.max(distinct.length - 1, 0));
    for (let i = 0; i < out.length; i++) out[i] = (distinct[i]! + distinct[i + 1]!) * 0.5;
    return out;
  }
  // np.percentile(values, linspace(0, 100, maxBins + 1)[1:-1], method="midpoint")
  const n = sorted.length;
  const step = 100 / maxBins;
  const out = new Float64Array(maxBins - 1);
  for (let i = 1; i < maxBins; i++) {
    const position = (n - 1) * ((i * step) / 100);
    const lo = Math.floor(position);
    const hi = Math.ceil(position);
    out[i - 1] = lo === hi ? sorted[lo]! : (sorted[lo]! + sorted[hi]!) / 2;
  }
  return out;
}

/** Bin of v: the number of thresholds strictly below it (binary search). */
export function binOf(thresholds: Float64Array, v: number): number {
  let left = 0;
  let right = thresholds.length;
  while (left < right) {
    const middle = left + ((right - left - 1) >> 1);
    if (v <= thresholds[middle]!) right = middle;
    else left = middle + 1;
  }
  return left;
}

/** Thresholds of every feature of X. */
export function fitBins(x: Matrix, maxBins: number): Float64Array[] {
  const column = new Float64Array(x.rows);
  const out: Float64Array[] = [];
  for (let j = 0; j < x.cols; j++) {
    for (let i = 0; i < x.rows; i++) column[i] = x.data[i * x.cols + j]!;
    out.push(featureThresholds(column, maxBins));
  }
  return out;
}

/** X binned, column-major: feature j of row i is at j * rows + i. */
export function binMatrix(x: Matrix, thresholds: readonly Float64Array[]): Uint8Array {
  const out = new Uint8Array(x.rows * x.cols);
  for (let j = 0; j < x.cols; j++) {
    const t = thresholds[j]!;
    for (let i = 0; i < x.rows; i++) out[j * x.rows + i] = binOf(t, x.data[i * x.cols + j]!);
  }
  return out;
}
