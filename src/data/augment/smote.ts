// data/augment/smote: SMOTE oversampling for imbalanced classes (Chawla et al. 2002, with the
// sampling strategies of imbalanced-learn). A synthetic sample is x_i + u * (x_nn - x_i): x_i a
// random sample of the class, x_nn one of its k nearest neighbours within the same class, u
// uniform in [0, 1). Layer: data.
import { allocate, dtypeOfArray, type TypedArray } from "../../core/dtype.js";
import { DTypeError, ShapeError, ValueError } from "../../core/errors.js";
import { Tensor } from "../../tensor/tensor.js";
import { type RandomSource, resolveGenerator } from "../split/indexable.js";
import { encodeLabels, type Labels, type LabelValue, labelValues } from "../split/labels.js";

/**
 * "auto" / "not majority": every class but the majority up to the majority's count;
 * "minority": only the smallest class; "not minority", "all": likewise; a number r (two classes
 * only): the minority up to r x the majority's count; an object: the wanted count per class.
 */
export type SamplingStrategy =
  | "auto"
  | "minority"
  | "not majority"
  | "not minority"
  | "all"
  | number
  | Readonly<Record<string, number>>;

export interface SmoteOptions extends RandomSource {
  /** Neighbours to interpolate towards (default 5). */
  kNeighbors?: number;
  samplingStrategy?: SamplingStrategy;
}

export interface SmoteResult<Y> {
  /** The original rows followed by the synthetic rows, [N + S, F]. */
  x: Tensor;
  /** Labels in the same form as given (Tensor, typed array or array). */
  y: Y;
  /** For each synthetic row: the sample it started from and the neighbour it moved towards. */
  origins: { base: number; neighbor: number; gap: number }[];
}

/**
 * Oversamples minority classes with synthetic samples.
 * @example
 * const { x: xBalanced, y: yBalanced } = smote(xTrain, yTrain, { kNeighbors: 5, seed: 0 });
 */
export function smote<Y extends Labels>(x: Tensor, y: Y, options: SmoteOptions = {}): SmoteResult<Y> {
  const op = "smote";
  if (!(x instanceof Tensor) || x.rank !== 2)
    throw new ShapeError(`${op}: x must be a [samples, features] tensor`);
  if (x.dtype !== "float32" && x.dtype !== "float64")
    throw new DTypeError(`${op}: x must be float (got ${x.dtype})`);
  const [n, f] = x.shape as [number, number];
  const { codes, classes, counts } = encodeLabels(op, y);
  if (codes.length !== n) throw new ValueError(`${op}: x has ${n} rows but y has ${codes.length} labels`);
  const k = options.kNeighbors ?? 5;
  if (!Number.isInteger(k) || k < 1)
    throw new ValueError(`${op}: kNeighbors must be a positive integer (got ${k})`);
  const targets = wantedCounts(op, options.samplingStrategy ?? "auto", classes, counts);
  const rng = resolveGenerator(options);
  const synthetic: number[] = [];
  const syntheticLabels: LabelValue[] = [];
  const origins: SmoteResult<Y>["origins"] = [];
  classes.forEach((label, c) => {
    const need = targets[c]! - counts[c]!;
    if (need <= 0) return;
    if (counts[c]! <= k) {
      throw new ValueError(
        `${op}: class ${String(label)} has ${counts[c]} samples; kNeighbors = ${k} needs at least ${k + 1}`,
      );
    }
    const members: number[] = [];
    codes.forEach((code, i) => {
      if (code === c) members.push(i);
    });
    const neighbors = members.map((i) => nearest(x.data, f, i, members, k));
    for (let s = 0; s < need; s++) {
      const pick = rng.int(0, members.length * k);
      const base = members[Math.floor(pick / k)]!;
      const neighbor = neighbors[Math.floor(pick / k)]![pick % k]!;
      const gap = rng.random();
      for (let j = 0; j < f; j++) {
        const a = x.data[base * f + j]!;
        synthetic.push(a + gap * (x.data[neighbor * f + j]! - a));
      }
      syntheticLabels.push(label);
      origins.push({ base, neighbor, gap });
    }
  });
  const data =
    x.dtype === "float64"
      ? new Float64Array(x.size + synthetic.length)
      : new Float32Array(x.size + synthetic.length);
  data.set(x.data);
  data.set(synthetic, x.size);
  return { x: new Tensor(data, [n + origins.length, f]), y: appendLabels(op, y, syntheticLabels), origins };
}

/** The k members nearest to row i (Euclidean; ties by index), excluding i itself. */
function nearest(
  data: ArrayLike<number>,
  f: number,
  i: number,
  members: readonly number[],
  k: number,
): number[] {
  const scored: { j: number; d: number }[] = [];
  for (const j of members) {
    if (j === i) continue;
    let d = 0;
    for (let t = 0; t < f; t++) {
      const diff = data[i * f + t]! - data[j * f + t]!;
      d += diff * diff;
    }
    scored.push({ j, d });
  }
  scored.sort((a, b) => a.d - b.d || a.j - b.j);
  return scored.slice(0, k).map((s) => s.j);
}

function wantedCounts(
  op: string,
  strategy: SamplingStrategy,
  classes: LabelValue[],
  counts: number[],
): number[] {
  const max = Math.max(...counts);
  const min = Math.min(...counts);
  const majority = counts.indexOf(max);
  const minority = counts.indexOf(min);
  if (typeof strategy === "number") {
    if (classes.length !== 2)
      throw new ValueError(
        `${op}: a numeric samplingStrategy needs exactly two classes (got ${classes.length})`,
      );
    if (!(strategy > 0 && strategy <= 1))
      throw new ValueError(`${op}: samplingStrategy ratio must be in (0, 1] (got ${strategy})`);
    const want = Math.floor(strategy * max);
    if (want < min)
      throw new ValueError(
        `${op}: ratio ${strategy} asks for fewer minority samples (${want}) than there are (${min})`,
      );
    return counts.map((c, i) => (i === minority ? want : c));
  }
  if (typeof strategy === "object") {
    const byKey = new Map(classes.map((label, i) => [String(label), i]));
    const out = [...counts];
    for (const [key, want] of Object.entries(strategy)) {
      const i = byKey.get(key);
      if (i === undefined)
        throw new ValueError(`${op}: samplingStrategy names class "${key}", which is not in y`);
      if (!Number.isInteger(want) || want < counts[i]!) {
        throw new ValueError(
          `${op}: class "${key}" has ${counts[i]} samples; its wanted count must be a whole number >= that (got ${want})`,
        );
      }
      out[i] = want;
    }
    return out;
  }
  switch (strategy) {
    case "auto":
    case "not majority":
      return counts.map((c, i) => (i === majority ? c : max));
    case "minority":
      return counts.map((c, i) => (i === minority ? max : c));
    case "not minority":
      return counts.map((c, i) => (i === minority ? c : max));
    case "all":
      return counts.map(() => max);
    default:
      throw new ValueError(`${op}: unknown samplingStrategy ${JSON.stringify(strategy)}`);
  }
}

function appendLabels<Y extends Labels>(op: string, y: Y, extra: LabelValue[]): Y {
  if (Array.isArray(y)) return [...labelValues(op, y), ...extra] as unknown as Y;
  const source = y instanceof Tensor ? y.data : (y as TypedArray);
  if (y instanceof Tensor && y.rank !== 1)
    throw new ShapeError(`${op}: label tensors must be rank 1 (got rank ${y.rank})`);
  const out = allocate(dtypeOfArray(source)!, source.length + extra.length);
  out.set(source);
  extra.forEach((v, i) => {
    out[source.length + i] = Number(v);
  });
  return (y instanceof Tensor ? new Tensor(out, [out.length]) : out) as Y;
}
