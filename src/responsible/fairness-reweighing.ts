// responsible/fairness-reweighing: pre-processing mitigation by reweighing (Kamiran & Calders 2012,
// "Data preprocessing techniques for classification without discrimination", KAIS 33(1)): each row
// of group g and label y gets the weight w(g, y) = P(g) P(y) / P(g, y), so that in the weighted data
// the label is independent of the group. The weights go to fit's `sampleWeight`. Layer: responsible.
import { ValueError } from "../core/errors.js";
import {
  groupRows,
  type NumericInput,
  numbersOf,
  type SensitiveInput,
  sensitiveColumns,
} from "./fairness-groups.js";

export interface Reweighing {
  /** One weight per row, for `fit(x, y, { sampleWeight })`. */
  readonly sampleWeight: Float32Array;
  /** The weight of each (group, label) cell that has rows: { group, label, rows, weight }. */
  readonly cells: readonly { group: string; label: number; rows: number; weight: number }[];
}

/**
 * Kamiran & Calders reweighing: w(g, y) = P(g) P(y) / P(g, y) = n_g n_y / (n n_gy). Labels may be
 * any numbers (class indices); under-represented (group, label) cells get weights above 1.
 * @example
 * const { sampleWeight } = reweighing({ yTrue: y, sensitive: sex });
 * await model.fit(x, y, { sampleWeight, epochs: 20 });
 */
export function reweighing(input: {
  readonly yTrue: NumericInput;
  readonly sensitive: SensitiveInput;
}): Reweighing {
  const y = numbersOf("reweighing", "yTrue", input.yTrue);
  const n = y.length;
  if (n === 0) throw new ValueError("reweighing: the data has 0 rows");
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(y[i]!)) throw new ValueError(`reweighing: yTrue holds ${y[i]} at row ${i}`);
  const { groups } = groupRows(sensitiveColumns("reweighing", input.sensitive, n), n);
  const labelCounts = new Map<number, number>();
  for (let i = 0; i < n; i++) labelCounts.set(y[i]!, (labelCounts.get(y[i]!) ?? 0) + 1);
  const labels = [...labelCounts.keys()].sort((a, b) => a - b);
  const sampleWeight = new Float32Array(n);
  const cells: { group: string; label: number; rows: number; weight: number }[] = [];
  for (const group of groups) {
    const cellRows = new Map<number, number[]>();
    for (const i of group.indices) {
      const list = cellRows.get(y[i]!);
      if (list === undefined) cellRows.set(y[i]!, [i]);
      else list.push(i);
    }
    for (const label of labels) {
      const rows = cellRows.get(label);
      if (rows === undefined) continue;
      const weight = (group.indices.length * labelCounts.get(label)!) / (n * rows.length);
      for (const i of rows) sampleWeight[i] = weight;
      cells.push({ group: group.key, label, rows: rows.length, weight });
    }
  }
  return { sampleWeight, cells };
}
