// Forecast metrics (MASE, sMAPE) and baselines (seasonal naive, moving average). Reference values:
// NumPy on the same arrays (the first 16 months of the AirPassengers series), with
//   mase = mean(|a - p|) / mean(|tr[m:] - tr[:-m]|), smape = mean(2|a - p| / (|a| + |p|)).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  movingAverageForecast,
  movingAverageOneStep,
  seasonalNaiveForecast,
  seasonalNaiveOneStep,
} from "./forecast-baselines.js";
import { mase, meanAbsoluteError, smape } from "./forecast-metrics.js";

const training = [112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118];
const actual = [115, 126, 141, 135];
const predicted = [120, 124, 130, 140];

test("MASE and sMAPE match NumPy's values", () => {
  assert.ok(Math.abs(mase(actual, predicted, training) - 0.5452586206896552) < 1e-12);
  assert.ok(Math.abs(mase(actual, predicted, training, 3) - 0.3214285714285714) < 1e-12);
  assert.ok(Math.abs(smape(actual, predicted) - 0.044024409915279034) < 1e-12);
  assert.equal(meanAbsoluteError(actual, predicted), 5.75);
  // the seasonal naive forecast of the training series itself has MASE 1 by construction
  const inSample = seasonalNaiveOneStep(training, 1);
  assert.equal(mase(training.slice(1), inSample, training), 1);
  assert.equal(smape([0, 10], [0, 10]), 0);
  assert.equal(smape([0], [5]), 2);
  assert.throws(() => mase([1], [1, 2], training), /actual has 1 values but predicted has 2/);
  assert.throws(() => mase([1], [1], [3, 3, 3]), /seasonal naive error is 0/);
  assert.throws(() => mase([1], [1], [1, 2], 2), /more than seasonLength \(2\) values/);
});

test("seasonal naive and moving-average baselines", () => {
  assert.deepEqual(seasonalNaiveForecast([1, 2, 3, 4, 5, 6, 7], 3, 2), [6, 7, 6]);
  assert.deepEqual(seasonalNaiveForecast(training, 2), [118, 118]);
  assert.deepEqual(seasonalNaiveForecast(training, 14, 12), [...training, 112, 118]);
  assert.deepEqual(movingAverageForecast([1, 2, 3, 4], 2, 3), [3, 3]);
  assert.deepEqual(seasonalNaiveOneStep([1, 2, 3, 4, 5], 3), [3, 4]);
  assert.deepEqual(seasonalNaiveOneStep([1, 2, 3, 4, 5], 3, 2), [2, 3]);
  assert.deepEqual(movingAverageOneStep([1, 2, 3, 4, 5], 3, 2), [2.5, 3.5]);
  assert.throws(() => seasonalNaiveForecast([1], 2, 3), /at least one season \(3\) values/);
  assert.throws(() => movingAverageOneStep([1, 2], 1, 2), /start must be an integer in \[2, 2\]/);
  assert.throws(() => movingAverageForecast([1, 2], 0, 1), /horizon must be a positive integer/);
});
