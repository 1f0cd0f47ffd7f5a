// data/table/stats: small statistics over Float64Arrays that skip NaN (= missing), shared by
// Table.describe, groupBy aggregates and the preprocessing transformers. Layer: data.

/** The present (non-NaN) values, copied. */
export function presentValues(values: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) out[j++] = v;
  }
  return out;
}

export function countPresent(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) n++;
  return n;
}

export function nanSum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) s += v;
  }
  return s;
}

/** Mean of the present values (NaN if none). */
export function nanMean(values: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      s += v;
      n++;
    }
  }
  return n === 0 ? Number.NaN : s / n;
}

/**
 * Standard deviation of the present values with `ddof` delta degrees of freedom (0 = population,
 * as scikit-learn's StandardScaler; 1 = sample, as pandas' describe). Two-pass for accuracy.
 */
export function nanStd(values: ArrayLike<number>, ddof: number): number {
  const mean = nanMean(values);
  let ss = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      const d = v - mean;
      ss += d * d;
      n++;
    }
  }
  return n - ddof <= 0 ? Number.NaN : Math.sqrt(ss / (n - ddof));
}

export function nanMin(values: ArrayLike<number>): number {
  let m = Number.POSITIVE_INFINITY;
  let any = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      any = true;
      if (v < m) m = v;
    }
  }
  return any ? m : Number.NaN;
}

export function nanMax(values: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  let any = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      any = true;
      if (v > m) m = v;
    }
  }
  return any ? m : Number.NaN;
}

/** Ascending copy of the present values. */
export function sortedPresent(values: ArrayLike<number>): Float64Array {
  return presentValues(values).sort();
}

/**
 * Quantile `q` in [0, 1] of ascending `sorted` values by linear interpolation between closest
 * ranks (numpy's default "linear" method, as pandas' describe and scikit-learn's RobustScaler).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const position = q * (n - 1);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, n - 1);
  const frac = position - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return frac === 0 ? a : a + (b - a) * frac;
}

export function nanQuantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(sortedPresent(values), q);
}

export function nanMedian(values: ArrayLike<number>): number {
  return nanQuantile(values, 0.5);
}
