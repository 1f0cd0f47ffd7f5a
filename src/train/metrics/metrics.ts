// train/metrics/metrics: the `metrics` namespace object of factories (the public API exposes it as
// ts.metrics), with the short names mae, mse, rmse, r2 next to the long ones.

import { auc } from "./auc.js";
import { f1Score, fBetaScore, precision, recall } from "./classification.js";
import { classificationReport, confusionMatrix } from "./confusion.js";
import { mean } from "./mean.js";
import {
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  getMetric,
  sparseCategoricalAccuracy,
  sparseTopKCategoricalAccuracy,
  topKCategoricalAccuracy,
} from "./registry.js";
import {
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  r2Score,
  rootMeanSquaredError,
} from "./regression.js";

export const metrics = {
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  topKCategoricalAccuracy,
  sparseTopKCategoricalAccuracy,
  mae: meanAbsoluteError,
  meanAbsoluteError,
  mse: meanSquaredError,
  meanSquaredError,
  mape: meanAbsolutePercentageError,
  meanAbsolutePercentageError,
  rmse: rootMeanSquaredError,
  rootMeanSquaredError,
  r2: r2Score,
  r2Score,
  precision,
  recall,
  f1: f1Score,
  f1Score,
  fBetaScore,
  auc,
  mean,
  confusionMatrix,
  classificationReport,
  get: getMetric,
};
