// train/metrics/metrics: the `metrics` namespace object of factories (the public API exposes it as
// ts.metrics), with the short names mae, mse, rmse, r2 next to the long ones.

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
  mean,
  get: getMetric,
};
