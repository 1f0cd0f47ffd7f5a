// responsible/fairness: the fairness toolkit's public surface (`ts.fairness.*`): per-group metric
// tables, disparity measures, and mitigation by reweighing and group-specific thresholds.
export * from "./fairness-disparity.js";
export {
  type DisparityMethod,
  GroupMetrics,
  type GroupMetricsInput,
  type GroupRow,
  groupMetrics,
  type MetricsInput,
  type NumericInput,
  type SensitiveInput,
  type SensitiveValues,
} from "./fairness-groups.js";
export {
  accuracy,
  assertBinary,
  count,
  FAIRNESS_METRICS,
  type FairnessMetricName,
  falseNegativeRate,
  falsePositiveRate,
  type MetricFunction,
  meanAbsoluteError,
  precision,
  selectionRate,
  trueNegativeRate,
  truePositiveRate,
} from "./fairness-metrics.js";
export {
  type FairnessReport,
  type FairnessSummary,
  type FairnessTask,
  fairnessReport,
  formatFairnessReport,
} from "./fairness-report.js";
export { type Reweighing, reweighing } from "./fairness-reweighing.js";
export * from "./fairness-thresholds.js";
