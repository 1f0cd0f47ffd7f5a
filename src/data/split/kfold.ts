// data/split/kfold: cross-validation index generators with scikit-learn semantics: kFold,
// stratifiedKFold, groupKFold and timeSeriesSplit. Each returns its folds as [train, test] index
// arrays, both sorted ascending, so `for (const [train, test] of kFold(n))` reads like sklearn.
import { ValueError } from "../../core/errors.js";
import { type Indexable, numRows, type RandomSource, resolveGenerator } from "./indexable.js";
import { encodeLabels, type Labels, labelValues } from "./labels.js";

/** One fold: the training rows and the held-out rows. */
export type FoldIndices = [train: number[], test: number[]];

export interface KFoldOptions extends RandomSource {
  /** Number of folds, at least 2 (default 5). */
  nSplits?: number;
  /** Shuffle the samples before cutting folds (default false). */
  shuffle?: boolean;
}

function checkSplits(op: string, nSplits: number, n: number, what: string): void {
  if (!Number.isInteger(nSplits) || nSplits < 2) {
    throw new ValueError(`${op}: nSplits must be an integer >= 2 (got ${nSplits})`);
  }
  if (nSplits > n) throw new ValueError(`${op}: nSplits = ${nSplits} is more than the ${n} ${what}`);
}

function sizeOf(op: string, data: number | Indexable): number {
  if (typeof data === "number") {
    if (!Number.isInteger(data) || data < 0)
      throw new ValueError(`${op}: expected a sample count (got ${data})`);
    return data;
  }
  return numRows(op, data);
}

/** Folds from a test-fold id per sample: fold f tests where foldOf[i] === f. */
function foldsFromAssignment(foldOf: ArrayLike<number>, nSplits: number): FoldIndices[] {
  const folds: FoldIndices[] = Array.from({ length: nSplits }, () => [[], []]);
  for (let i = 0; i < foldOf.length; i++) {
    for (let f = 0; f < nSplits; f++) folds[f]![f === foldOf[i] ? 1 : 0].push(i);
  }
  return folds;
}

/**
 * K consecutive folds (the first n % k folds one larger); with shuffle, over a seeded permutation.
 * @example
 * for (const [train, test] of kFold(10, { nSplits: 5 })) { ... } // test = [0,1], [2,3], ...
 */
export function kFold(data: number | Indexable, options: KFoldOptions = {}): FoldIndices[] {
  const op = "kFold";
  const n = sizeOf(op, data);
  const nSplits = options.nSplits ?? 5;
  checkSplits(op, nSplits, n, "samples");
  const order = options.shuffle
    ? resolveGenerator(options).permutation(n)
    : Array.from({ length: n }, (_, i) => i);
  const foldOf = new Int32Array(n);
  let start = 0;
  for (let f = 0; f < nSplits; f++) {
    const size = Math.floor(n / nSplits) + (f < n % nSplits ? 1 : 0);
    for (let j = start; j < start + size; j++) foldOf[order[j]!] = f;
    start += size;
  }
  return foldsFromAssignment(foldOf, nSplits);
}

/**
 * K folds that each keep the class proportions of `labels` (scikit-learn >= 0.22 algorithm: class
 * counts per fold from a round robin over the sorted labels, then each class's samples assigned to
 * folds in blocks, in data order unless shuffled).
 */
export function stratifiedKFold(labels: Labels, options: KFoldOptions = {}): FoldIndices[] {
  const op = "stratifiedKFold";
  const nSplits = options.nSplits ?? 5;
  const values = labelValues(op, labels);
  const n = values.length;
  checkSplits(op, nSplits, n, "samples");
  // Classes numbered in order of first appearance, as sklearn does.
  const { codes: sortedCodes, classes } = encodeLabels(op, labels);
  const firstSeen = new Array<number>(classes.length).fill(-1);
  const order: number[] = [];
  sortedCodes.forEach((k) => {
    if (firstSeen[k] === -1) {
      firstSeen[k] = order.length;
      order.push(k);
    }
  });
  const codes = Array.from(sortedCodes, (k) => firstSeen[k]!);
  const counts = new Array<number>(classes.length).fill(0);
  for (const k of codes) counts[k]! += 1;
  if (counts.every((c) => nSplits > c)) {
    throw new ValueError(`${op}: nSplits = ${nSplits} is greater than the number of members in every class`);
  }
  // Round robin over sorted codes: fold f receives sorted positions f, f + k, f + 2k, ...
  const allocation = Array.from({ length: nSplits }, () => new Array<number>(classes.length).fill(0));
  let position = 0;
  counts.forEach((count, k) => {
    for (let j = 0; j < count; j++, position++) allocation[position % nSplits]![k]! += 1;
  });
  const rng = options.shuffle ? resolveGenerator(options) : null;
  const foldOf = new Int32Array(n);
  for (let k = 0; k < classes.length; k++) {
    const foldsForClass: number[] = [];
    for (let f = 0; f < nSplits; f++) for (let j = 0; j < allocation[f]![k]!; j++) foldsForClass.push(f);
    rng?.shuffle(foldsForClass);
    let next = 0;
    codes.forEach((code, i) => {
      if (code === k) foldOf[i] = foldsForClass[next++]!;
    });
  }
  return foldsFromAssignment(foldOf, nSplits);
}

export interface GroupKFoldOptions {
  /** Number of folds, at least 2 and at most the number of groups (default 5). */
  nSplits?: number;
}

/**
 * K folds in which no group appears in both train and test (scikit-learn GroupKFold: groups from
 * largest to smallest, each added to the fold with the fewest samples so far).
 */
export function groupKFold(groups: Labels, options: GroupKFoldOptions = {}): FoldIndices[] {
  const op = "groupKFold";
  const nSplits = options.nSplits ?? 5;
  const { codes, counts } = encodeLabels(op, groups);
  checkSplits(op, nSplits, counts.length, "groups");
  // Stable ascending sort by size, reversed: largest first, later groups first among ties.
  const bySize = counts
    .map((c, g) => ({ c, g }))
    .sort((a, b) => a.c - b.c)
    .reverse();
  const foldSamples = new Array<number>(nSplits).fill(0);
  const groupFold = new Int32Array(counts.length);
  for (const { c, g } of bySize) {
    let lightest = 0;
    for (let f = 1; f < nSplits; f++) if (foldSamples[f]! < foldSamples[lightest]!) lightest = f;
    foldSamples[lightest]! += c;
    groupFold[g] = lightest;
  }
  return foldsFromAssignment(
    Array.from(codes, (g) => groupFold[g]!),
    nSplits,
  );
}

export interface TimeSeriesSplitOptions {
  /** Number of splits (default 5). */
  nSplits?: number;
  /** Keep at most this many of the most recent samples for training. */
  maxTrainSize?: number;
  /** Samples per test fold (default floor(n / (nSplits + 1))). */
  testSize?: number;
  /** Samples dropped between the end of train and the start of test (default 0). */
  gap?: number;
}

/**
 * Expanding-window splits for time series: train always precedes test (scikit-learn
 * TimeSeriesSplit). With n = 6, nSplits = 5: train [0] test [1], train [0,1] test [2], ...
 */
export function timeSeriesSplit(
  data: number | Indexable,
  options: TimeSeriesSplitOptions = {},
): FoldIndices[] {
  const op = "timeSeriesSplit";
  const n = sizeOf(op, data);
  const nSplits = options.nSplits ?? 5;
  const gap = options.gap ?? 0;
  if (!Number.isInteger(nSplits) || nSplits < 2) {
    throw new ValueError(`${op}: nSplits must be an integer >= 2 (got ${nSplits})`);
  }
  if (!Number.isInteger(gap) || gap < 0)
    throw new ValueError(`${op}: gap must be a whole number (got ${gap})`);
  if (nSplits + 1 > n)
    throw new ValueError(`${op}: nSplits + 1 = ${nSplits + 1} is more than the ${n} samples`);
  const testSize = options.testSize ?? Math.floor(n / (nSplits + 1));
  if (!Number.isInteger(testSize) || testSize < 1) {
    throw new ValueError(`${op}: testSize must be a whole number >= 1 (got ${testSize})`);
  }
  if (n - gap - testSize * nSplits <= 0) {
    throw new ValueError(
      `${op}: too many splits (${nSplits}) of testSize ${testSize} with gap ${gap} for ${n} samples`,
    );
  }
  const maxTrain = options.maxTrainSize;
  if (maxTrain !== undefined && (!Number.isInteger(maxTrain) || maxTrain < 1)) {
    throw new ValueError(`${op}: maxTrainSize must be a whole number >= 1 (got ${maxTrain})`);
  }
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
  const folds: FoldIndices[] = [];
  for (let testStart = n - nSplits * testSize; testStart < n; testStart += testSize) {
    const trainEnd = testStart - gap;
    const trainStart = maxTrain !== undefined && maxTrain < trainEnd ? trainEnd - maxTrain : 0;
    folds.push([range(trainStart, trainEnd), range(testStart, testStart + testSize)]);
  }
  return folds;
}
