// data/split/labels: turns class labels (a Tensor, an array or a typed array) into integer codes,
// for stratified splits and stratified k-fold. Classes are ordered like numpy.unique: numbers
// numerically, everything else by its string form.
import { dtypeOfArray, type TypedArray } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { Tensor } from "../../tensor/tensor.js";

/** A label per sample: a rank-1 tensor (or rank-2, one-hot/multi-label rows), an array or a typed array. */
export type Labels = Tensor | TypedArray | readonly (string | number | boolean | null)[];

export type LabelValue = string | number | boolean | null;

export interface EncodedLabels {
  /** codes[i] is the class index of sample i. */
  codes: Int32Array;
  /** The distinct labels in sorted order (class k is classes[k]). */
  classes: LabelValue[];
  /** counts[k] is the number of samples of class k. */
  counts: number[];
}

/** Reads labels into one JS value per sample (rows of a rank-2 tensor become a string key). */
export function labelValues(op: string, labels: Labels): LabelValue[] {
  if (labels instanceof Tensor) {
    if (labels.rank === 1) return Array.from(labels.data);
    if (labels.rank === 2) {
      const [n, width] = labels.shape as [number, number];
      const out: LabelValue[] = [];
      for (let i = 0; i < n; i++)
        out.push(Array.from(labels.data.subarray(i * width, (i + 1) * width)).join(","));
      return out;
    }
    throw new ValueError(`${op}: labels must be a rank-1 or rank-2 tensor (got rank ${labels.rank})`);
  }
  if (dtypeOfArray(labels) !== undefined) return Array.from(labels as TypedArray);
  if (Array.isArray(labels)) {
    return labels.map((v, i) => {
      if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
      throw new ValueError(`${op}: label ${i} must be a string, number, boolean or null (got ${typeof v})`);
    });
  }
  throw new ValueError(`${op}: labels must be a Tensor, an array or a typed array`);
}

function compareLabels(a: LabelValue, b: LabelValue): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Integer codes for labels, classes sorted like numpy.unique. */
export function encodeLabels(op: string, labels: Labels): EncodedLabels {
  const values = labelValues(op, labels);
  const distinct = new Map<string, LabelValue>();
  for (const v of values) {
    const key = keyOf(v);
    if (!distinct.has(key)) distinct.set(key, v);
  }
  const classes = [...distinct.values()].sort(compareLabels);
  const index = new Map(classes.map((c, k) => [keyOf(c), k]));
  const codes = new Int32Array(values.length);
  const counts = new Array<number>(classes.length).fill(0);
  values.forEach((v, i) => {
    const k = index.get(keyOf(v))!;
    codes[i] = k;
    counts[k]! += 1;
  });
  return { codes, classes, counts };
}

function keyOf(v: LabelValue): string {
  return `${typeof v}:${String(v)}`;
}
