// data/split/train-test-split: trainTestSplit and trainValTestSplit (scikit-learn semantics: seeded
// shuffle, sizes as fractions or counts, optional stratification that keeps every class's share in
// each split within one sample of exact).
import { ValueError } from "../../core/errors.js";
import type { Generator } from "../../core/random.js";
import { type Indexable, numRows, type RandomSource, resolveGenerator, takeRows } from "./indexable.js";
import { encodeLabels, type Labels } from "./labels.js";

/** A split size: a fraction in (0, 1) of the samples, or a whole count >= 1. */
export type SplitSize = number;

export interface SplitOptions extends RandomSource {
  /** Shuffle before splitting (default true). Stratification needs it. */
  shuffle?: boolean;
  /** Class labels to stratify on (one per sample): each split keeps the classes' proportions. */
  stratify?: Labels;
}

export interface TrainTestSplitOptions extends SplitOptions {
  /** Default 0.25 when trainSize is not given either; fractions round up (ceil). */
  testSize?: SplitSize;
  /** Default: every sample not in the test split; fractions round down (floor). */
  trainSize?: SplitSize;
}

export interface TrainValTestSplitOptions extends SplitOptions {
  /** Fractions round down. Default: what val and test leave. */
  trainSize?: SplitSize;
  /** Fractions round up. Default 0.15 (or what the others leave when only it is missing). */
  valSize?: SplitSize;
  /** Fractions round up. Default 0.15 (or what the others leave when only it is missing). */
  testSize?: SplitSize;
}

export interface TrainTestSplit<A extends readonly Indexable[]> {
  train: A;
  test: A;
  trainIndices: number[];
  testIndices: number[];
}

export interface TrainValTestSplit<A extends readonly Indexable[]> extends TrainTestSplit<A> {
  val: A;
  valIndices: number[];
}

/**
 * Splits arrays (same number of rows each) into random train and test subsets.
 * @example
 * const { train: [xTrain, yTrain], test: [xTest, yTest] } =
 *   trainTestSplit([x, y], { testSize: 0.2, stratify: y, seed: 0 });
 */
export function trainTestSplit<const A extends readonly Indexable[]>(
  arrays: A,
  options: TrainTestSplitOptions = {},
): TrainTestSplit<A> {
  const op = "trainTestSplit";
  const n = commonRows(op, arrays);
  let nTest =
    options.testSize === undefined ? undefined : resolveSize(op, "testSize", options.testSize, n, "ceil");
  let nTrain =
    options.trainSize === undefined ? undefined : resolveSize(op, "trainSize", options.trainSize, n, "floor");
  if (nTest === undefined && nTrain === undefined) nTest = Math.ceil(0.25 * n);
  nTest ??= n - nTrain!;
  nTrain ??= n - nTest;
  checkSizes(op, n, { train: nTrain, test: nTest });
  const [trainIndices, testIndices] = splitIndices(op, n, [nTrain, nTest], options) as [number[], number[]];
  return {
    train: arrays.map((a) => takeRows(op, a, trainIndices)) as unknown as A,
    test: arrays.map((a) => takeRows(op, a, testIndices)) as unknown as A,
    trainIndices,
    testIndices,
  };
}

/**
 * Splits arrays into random train, validation and test subsets.
 * @example
 * const { train: [xTr, yTr], val: [xVa, yVa], test: [xTe, yTe] } =
 *   trainValTestSplit([x, y], { valSize: 0.1, testSize: 0.2, stratify: y, seed: 0 });
 */
export function trainValTestSplit<const A extends readonly Indexable[]>(
  arrays: A,
  options: TrainValTestSplitOptions = {},
): TrainValTestSplit<A> {
  const op = "trainValTestSplit";
  const n = commonRows(op, arrays);
  let nTrain =
    options.trainSize === undefined ? undefined : resolveSize(op, "trainSize", options.trainSize, n, "floor");
  let nVal =
    options.valSize === undefined ? undefined : resolveSize(op, "valSize", options.valSize, n, "ceil");
  let nTest =
    options.testSize === undefined ? undefined : resolveSize(op, "testSize", options.testSize, n, "ceil");
  const missing = [nTrain, nVal, nTest].filter((s) => s === undefined).length;
  if (missing === 1) {
    if (nTrain === undefined) nTrain = n - nVal! - nTest!;
    else if (nVal === undefined) nVal = n - nTrain - nTest!;
    else nTest = n - nTrain - nVal;
  } else {
    nVal ??= Math.ceil(0.15 * n);
    nTest ??= Math.ceil(0.15 * n);
    nTrain ??= n - nVal - nTest;
  }
  checkSizes(op, n, { train: nTrain!, val: nVal!, test: nTest! });
  const [trainIndices, valIndices, testIndices] = splitIndices(op, n, [nTrain!, nVal!, nTest!], options) as [
    number[],
    number[],
    number[],
  ];
  const pick = (indices: number[]) => arrays.map((a) => takeRows(op, a, indices)) as unknown as A;
  return {
    train: pick(trainIndices),
    val: pick(valIndices),
    test: pick(testIndices),
    trainIndices,
    valIndices,
    testIndices,
  };
}

function commonRows(op: string, arrays: readonly Indexable[]): number {
  if (arrays.length === 0) throw new ValueError(`${op}: expected at least one array to split`);
  const n = numRows(op, arrays[0]!);
  arrays.forEach((a, i) => {
    const rows = numRows(op, a);
    if (rows !== n) {
      throw new ValueError(
        `${op}: every array must have the same number of rows (got ${n} and ${rows} at ${i})`,
      );
    }
  });
  return n;
}

function resolveSize(op: string, name: string, size: number, n: number, round: "ceil" | "floor"): number {
  if (!Number.isFinite(size) || size <= 0 || (size >= 1 && !Number.isInteger(size))) {
    throw new ValueError(`${op}: ${name} must be a fraction in (0, 1) or a whole count >= 1 (got ${size})`);
  }
  if (size < 1) return round === "ceil" ? Math.ceil(size * n) : Math.floor(size * n);
  if (size > n) throw new ValueError(`${op}: ${name} = ${size} is larger than the ${n} samples`);
  return size;
}

function checkSizes(op: string, n: number, sizes: Record<string, number>): void {
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  for (const [name, size] of Object.entries(sizes)) {
    if (size <= 0) {
      throw new ValueError(
        `${op}: with ${n} samples and the sizes given, the ${name} split would be empty (got ${JSON.stringify(sizes)})`,
      );
    }
  }
  if (total > n) {
    throw new ValueError(`${op}: the split sizes add up to ${total}, more than the ${n} samples`);
  }
}

/**
 * Disjoint index sets of the given sizes (sum <= n). Unshuffled: consecutive blocks from 0.
 * Shuffled: a random permutation cut into blocks, each block in random order. Stratified: every
 * class gets floor or ceil of its exact share in every split.
 */
export function splitIndices(
  op: string,
  n: number,
  sizes: readonly number[],
  options: SplitOptions,
): number[][] {
  const shuffle = options.shuffle ?? true;
  if (!shuffle) {
    if (options.stratify !== undefined) {
      throw new ValueError(`${op}: stratified splitting needs shuffle: true`);
    }
    let start = 0;
    return sizes.map((size) => {
      const block = Array.from({ length: size }, (_, i) => start + i);
      start += size;
      return block;
    });
  }
  const rng = resolveGenerator(options);
  if (options.stratify === undefined) {
    const perm = rng.permutation(n);
    let start = 0;
    return sizes.map((size) => perm.slice(start, (start += size)));
  }
  const { codes, counts } = encodeLabels(op, options.stratify);
  if (codes.length !== n) {
    throw new ValueError(`${op}: stratify has ${codes.length} labels for ${n} samples`);
  }
  const minCount = Math.min(...counts);
  if (minCount < 2) {
    throw new ValueError(
      `${op}: the least populated class has only ${minCount} member; stratifying needs at least 2`,
    );
  }
  const unused = n - sizes.reduce((a, b) => a + b, 0);
  const columns = unused > 0 ? [...sizes, unused] : [...sizes];
  const allocation = stratifiedAllocation(counts, columns, rng);
  const byClass: number[][] = counts.map(() => []);
  codes.forEach((k, i) => {
    byClass[k]!.push(i);
  });
  const out: number[][] = sizes.map(() => []);
  byClass.forEach((members, k) => {
    rng.shuffle(members);
    let start = 0;
    sizes.forEach((_, s) => {
      const take = allocation[k]![s]!;
      for (let j = start; j < start + take; j++) out[s]!.push(members[j]!);
      start += take;
    });
  });
  return out.map((block) => rng.shuffle(block));
}

/**
 * An integer matrix a[k][s] with row sums counts[k], column sums sizes[s] (both must total the
 * same) and every entry floor or ceil of counts[k] * sizes[s] / total. Such a rounding always
 * exists (Bacharach 1966); it is found as a max flow over the cells with a fractional part,
 * filled greedily by largest remainder first (random among ties), then completed with
 * augmenting paths.
 */
export function stratifiedAllocation(
  counts: readonly number[],
  sizes: readonly number[],
  rng: Generator,
): number[][] {
  const total = counts.reduce((a, b) => a + b, 0);
  const K = counts.length;
  const S = sizes.length;
  const alloc: number[][] = counts.map((c) => sizes.map((s) => Math.floor((c * s) / total)));
  // Exact fractional parts from integer arithmetic: (c*s mod total) / total.
  const remainder = counts.map((c) => sizes.map((s) => (c * s) % total));
  const rowNeed = counts.map((c, k) => c - alloc[k]!.reduce((a, b) => a + b, 0));
  const colNeed = sizes.map((s, j) => s - alloc.reduce((a, row) => a + row[j]!, 0));
  const added = counts.map(() => new Array<boolean>(S).fill(false));
  const cells: { k: number; s: number; r: number; tie: number }[] = [];
  for (let k = 0; k < K; k++)
    for (let s = 0; s < S; s++)
      if (remainder[k]![s]! > 0) cells.push({ k, s, r: remainder[k]![s]!, tie: rng.random() });
  cells.sort((a, b) => b.r - a.r || a.tie - b.tie);
  for (const { k, s } of cells) {
    if (rowNeed[k]! > 0 && colNeed[s]! > 0) {
      added[k]![s] = true;
      rowNeed[k]! -= 1;
      colNeed[s]! -= 1;
    }
  }
  // Augment: a path row -> col (unused cell) -> row (used cell, undo) -> ... -> col with need.
  for (let k0 = 0; k0 < K; k0++) {
    while (rowNeed[k0]! > 0) {
      const path = augmentingPath(k0, remainder, added, colNeed);
      if (path === null) throw new ValueError("stratifiedAllocation: no rounding found (internal error)");
      for (let i = 0; i < path.length; i++) {
        const { k, s } = path[i]!;
        added[k]![s] = i % 2 === 0;
      }
      rowNeed[k0]! -= 1;
      colNeed[path[path.length - 1]!.s]! -= 1;
    }
  }
  return alloc.map((row, k) => row.map((v, s) => v + (added[k]![s] ? 1 : 0)));
}

function augmentingPath(
  start: number,
  remainder: number[][],
  added: boolean[][],
  colNeed: number[],
): { k: number; s: number }[] | null {
  const S = colNeed.length;
  const K = remainder.length;
  const cameFrom = new Map<number, { k: number; s: number }[]>();
  let frontier: { k: number; path: { k: number; s: number }[] }[] = [{ k: start, path: [] }];
  const seenCols = new Set<number>();
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { k, path } of frontier) {
      for (let s = 0; s < S; s++) {
        if (seenCols.has(s) || added[k]![s] || remainder[k]![s]! === 0) continue;
        seenCols.add(s);
        const reach = [...path, { k, s }];
        if (colNeed[s]! > 0) return reach;
        for (let k2 = 0; k2 < K; k2++) {
          if (added[k2]![s] && !cameFrom.has(k2) && k2 !== start) {
            const back = [...reach, { k: k2, s }];
            cameFrom.set(k2, back);
            next.push({ k: k2, path: back });
          }
        }
      }
    }
    frontier = next;
  }
  return null;
}
