// responsible/fairness-report: the per-group table `tessera evaluate --sensitive` prints and puts
// in its --json `fairness` field: metrics by group of the sensitive columns, with differences and
// ratios between groups and, for a binary task, the disparity measures and the four-fifths rule.
// Layer: responsible.
import { FOUR_FIFTHS } from "./fairness-disparity.js";
import { groupMetrics, jsonNumbers, type SensitiveValues } from "./fairness-groups.js";
import type { FairnessMetricName } from "./fairness-metrics.js";

/** "binary": labels 0/1 (1 = positiveLabel); "multiclass": class indices; "regression": numbers. */
export type FairnessTask = "binary" | "multiclass" | "regression";

export interface FairnessSummary {
  readonly demographicParityDifference: number | null;
  readonly demographicParityRatio: number | null;
  readonly equalizedOddsDifference: number | null;
  readonly equalizedOddsRatio: number | null;
  readonly equalOpportunityDifference: number | null;
  readonly disparateImpact: number | null;
  readonly passesFourFifths: boolean;
}

export interface FairnessReport {
  readonly sensitive: readonly string[];
  readonly task: FairnessTask;
  readonly positiveLabel: string | null;
  readonly metrics: readonly string[];
  readonly overall: Record<string, number | null>;
  readonly groups: {
    group: string;
    values: Record<string, string>;
    rows: number;
    metrics: Record<string, number | null>;
  }[];
  readonly difference: Record<string, number | null>;
  readonly ratio: Record<string, number | null>;
  /** Binary tasks only (null otherwise). */
  readonly summary: FairnessSummary | null;
}

const TASK_METRICS: Record<FairnessTask, readonly FairnessMetricName[]> = {
  binary: ["count", "accuracy", "selection_rate", "true_positive_rate", "false_positive_rate"],
  multiclass: ["count", "accuracy"],
  regression: ["count", "mean_absolute_error"],
};

function finite(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

/** Builds the report from labels, predictions and the sensitive columns by name. */
export function fairnessReport(input: {
  readonly task: FairnessTask;
  readonly yTrue: ArrayLike<number>;
  readonly yPred: ArrayLike<number>;
  readonly sensitive: Readonly<Record<string, SensitiveValues>>;
  readonly positiveLabel?: string;
}): FairnessReport {
  const metrics = TASK_METRICS[input.task];
  const frame = groupMetrics({ yTrue: input.yTrue, yPred: input.yPred, sensitive: input.sensitive, metrics });
  const difference = frame.difference();
  const ratio = frame.ratio();
  let summary: FairnessSummary | null = null;
  if (input.task === "binary") {
    // All from the one frame, as fairness-disparity defines them: equalised odds is the worse of
    // the TPR and FPR gaps; disparate impact with no privileged group is the selection-rate ratio.
    const { selection_rate: dpRatio, true_positive_rate: tprRatio, false_positive_rate: fprRatio } = ratio;
    summary = {
      demographicParityDifference: finite(difference.selection_rate),
      demographicParityRatio: finite(dpRatio),
      equalizedOddsDifference: finite(
        Math.max(difference.true_positive_rate!, difference.false_positive_rate!),
      ),
      equalizedOddsRatio: finite(Math.min(tprRatio!, fprRatio!)),
      equalOpportunityDifference: finite(difference.true_positive_rate),
      disparateImpact: finite(dpRatio),
      passesFourFifths: dpRatio! >= FOUR_FIFTHS,
    };
  }
  return {
    sensitive: frame.sensitiveNames,
    task: input.task,
    positiveLabel: input.task === "binary" ? (input.positiveLabel ?? "1") : null,
    metrics: frame.metricNames,
    overall: jsonNumbers(frame.overall),
    groups: frame.byGroup.map((g) => ({
      group: g.key,
      values: { ...g.values },
      rows: g.rows,
      metrics: jsonNumbers(g.metrics),
    })),
    difference: jsonNumbers(difference),
    ratio: jsonNumbers(ratio),
    summary,
  };
}

function cell(v: number | null | undefined, integer: boolean): string {
  if (v === null || v === undefined) return "-";
  return integer ? String(v) : v.toFixed(3);
}

/** The report as an aligned text table, one row per group, then overall, difference and ratio. */
export function formatFairnessReport(report: FairnessReport): string {
  const header = [report.sensitive.join(", "), ...report.metrics];
  const row = (label: string, values: Record<string, number | null>, counts: boolean) => [
    label,
    ...report.metrics.map((m) => (m === "count" && !counts ? "" : cell(values[m], m === "count"))),
  ];
  const rows = [
    header,
    ...report.groups.map((g) => row(g.group, g.metrics, true)),
    row("(overall)", report.overall, true),
    row("(difference)", report.difference, false),
    row("(ratio)", report.ratio, false),
  ];
  const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) =>
    r
      .map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!)))
      .join("  ")
      .trimEnd(),
  );
  const s = report.summary;
  if (s !== null) {
    const f = (v: number | null) => cell(v, false);
    lines.push(
      `positive label: ${report.positiveLabel}`,
      `demographic parity difference ${f(s.demographicParityDifference)}, ratio ${f(s.demographicParityRatio)}`,
      `equalized odds difference ${f(s.equalizedOddsDifference)}, ratio ${f(s.equalizedOddsRatio)}`,
      `equal opportunity difference ${f(s.equalOpportunityDifference)}`,
      `disparate impact ${f(s.disparateImpact)} (four-fifths rule: ${s.passesFourFifths ? "passes" : "fails, below 0.8"})`,
    );
  }
  return `${lines.join("\n")}\n`;
}
