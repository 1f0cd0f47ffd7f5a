// responsible/fairness-disparity: the single-number fairness measures, defined as in Fairlearn's
// documentation (fairlearn.metrics): demographic parity and equalised odds differences/ratios, equal
// opportunity, and disparate impact with the four-fifths rule (US EEOC Uniform Guidelines,
// 29 CFR 1607.4(D)). Layer: responsible.
import { ValueError } from "../core/errors.js";
import {
  type DisparityMethod,
  groupMetrics,
  type NumericInput,
  type SensitiveInput,
} from "./fairness-groups.js";
import { selectionRate } from "./fairness-metrics.js";

export interface DisparityInput {
  readonly yTrue: NumericInput;
  readonly yPred: NumericInput;
  readonly sensitive: SensitiveInput;
  /** "between_groups" (default) or "to_overall", as Fairlearn's `method`. */
  readonly method?: DisparityMethod;
}

/**
 * Demographic parity difference: max - min over groups of the selection rate P(yPred = 1 | group)
 * (fairlearn.metrics.demographic_parity_difference). 0 means every group is selected equally often.
 * @example
 * demographicParityDifference({ yTrue, yPred, sensitive: sex }); // 0.25
 */
export function demographicParityDifference(input: DisparityInput): number {
  return groupMetrics({ ...input, metrics: { selection_rate: "selection_rate" } }).difference(input.method)
    .selection_rate!;
}

/** Demographic parity ratio: min / max over groups of the selection rate (1 means parity). */
export function demographicParityRatio(input: DisparityInput): number {
  return groupMetrics({ ...input, metrics: { selection_rate: "selection_rate" } }).ratio(input.method)
    .selection_rate!;
}

function oddsFrame(input: DisparityInput) {
  return groupMetrics({ ...input, metrics: ["true_positive_rate", "false_positive_rate"] });
}

/**
 * Equalised odds difference: the larger of the true-positive-rate difference and the
 * false-positive-rate difference between groups (fairlearn.metrics.equalized_odds_difference).
 */
export function equalizedOddsDifference(input: DisparityInput): number {
  const d = oddsFrame(input).difference(input.method);
  return Math.max(d.true_positive_rate!, d.false_positive_rate!);
}

/** Equalised odds ratio: the smaller of the TPR ratio and the FPR ratio (fairlearn.metrics.equalized_odds_ratio). */
export function equalizedOddsRatio(input: DisparityInput): number {
  const r = oddsFrame(input).ratio(input.method);
  return Math.min(r.true_positive_rate!, r.false_positive_rate!);
}

/**
 * Equal opportunity difference: the true-positive-rate difference between groups
 * (fairlearn.metrics.equal_opportunity_difference, Hardt et al. 2016).
 */
export function equalOpportunityDifference(input: DisparityInput): number {
  return groupMetrics({ ...input, metrics: ["true_positive_rate"] }).difference(input.method)
    .true_positive_rate!;
}

/** Equal opportunity ratio: min / max over groups of the true positive rate. */
export function equalOpportunityRatio(input: DisparityInput): number {
  return groupMetrics({ ...input, metrics: ["true_positive_rate"] }).ratio(input.method).true_positive_rate!;
}

/** The four-fifths rule's threshold: a selection-rate ratio below 0.8 is evidence of adverse impact. */
export const FOUR_FIFTHS = 0.8;

export interface DisparateImpact {
  /** Selection rate of each group. */
  readonly selectionRates: Readonly<Record<string, number>>;
  /** The reference group: the one given as privileged, else the one with the highest selection rate. */
  readonly reference: string;
  /** The group with the lowest selection rate. */
  readonly lowest: string;
  /** Lowest selection rate / the reference group's selection rate. */
  readonly ratio: number;
  /** ratio >= 0.8: no adverse impact by the four-fifths rule. */
  readonly passesFourFifths: boolean;
}

/**
 * Disparate impact: the lowest group's selection rate divided by the reference group's (the
 * privileged group when named, else the most selected group, which makes it the demographic parity
 * ratio), with the four-fifths rule's verdict.
 * @throws ValueError when `privileged` names a group with no rows.
 */
export function disparateImpact(input: {
  readonly yPred: NumericInput;
  readonly sensitive: SensitiveInput;
  readonly privileged?: string;
}): DisparateImpact {
  const frame = groupMetrics({
    yTrue: input.yPred,
    yPred: input.yPred,
    sensitive: input.sensitive,
    metrics: { selectionRate },
  });
  const rates = Object.fromEntries(frame.byGroup.map((g) => [g.key, g.metrics.selectionRate!]));
  const sorted = [...frame.byGroup].sort((a, b) => a.metrics.selectionRate! - b.metrics.selectionRate!);
  const reference =
    input.privileged === undefined ? sorted[sorted.length - 1]!.key : frame.group(input.privileged).key;
  const lowest =
    input.privileged === undefined
      ? sorted[0]!.key
      : (sorted.find((g) => g.key !== reference)?.key ?? reference);
  const referenceRate = rates[reference]!;
  if (referenceRate === 0 && input.privileged !== undefined)
    throw new ValueError(
      `disparateImpact: the privileged group "${reference}" has a selection rate of 0, so the ratio is undefined`,
    );
  const ratio = referenceRate === 0 ? Number.NaN : rates[lowest]! / referenceRate;
  return { selectionRates: rates, reference, lowest, ratio, passesFourFifths: ratio >= FOUR_FIFTHS };
}
