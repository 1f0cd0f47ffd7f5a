// train/metrics: stateful metrics, the metric registry and the confusion-matrix helpers.

export {
  Accuracy,
  type AccuracyKind,
  accuracyKindFromShapes,
  BinaryAccuracy,
  type BinaryAccuracyOptions,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
  type TopKOptions,
} from "./accuracy.js";
export { AUC, type AucOptions, auc, aucThresholds } from "./auc.js";
export {
  F1Score,
  FBetaScore,
  type FScoreAverage,
  type FScoreOptions,
  f1Score,
  fBetaScore,
  Precision,
  type PrecisionRecallOptions,
  precision,
  Recall,
  recall,
} from "./classification.js";
export {
  type ClassificationReport,
  type ClassificationReportOptions,
  type ClassScores,
  type ConfusionMatrixOptions,
  classificationReport,
  confusionMatrix,
} from "./confusion.js";
export { Mean } from "./mean.js";
export { MeanMetric, type Metric, type MetricOptions } from "./metric.js";
export { metrics } from "./metrics.js";
export {
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  getMetric,
  LossMetric,
  type MetricContext,
  metricNames,
  registerMetric,
  sparseCategoricalAccuracy,
  sparseTopKCategoricalAccuracy,
  topKCategoricalAccuracy,
} from "./registry.js";
export {
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  R2Score,
  type R2ScoreOptions,
  RootMeanSquaredError,
  r2Score,
  rootMeanSquaredError,
} from "./regression.js";
