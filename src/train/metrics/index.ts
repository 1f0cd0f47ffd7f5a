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
