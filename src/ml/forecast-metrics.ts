// ml/forecast-metrics: accuracy of forecasts. MASE (Hyndman & Koehler 2006) scales the forecast's
// mean absolute error by the in-sample MAE of the seasonal naive forecast on the training series,
// so 1 means "as good as repeating last season" whatever the series' units; sMAPE is the symmetric
// mean absolute percentage error 2|y - f| / (|y| + |f|) averaged, as a fraction in [0, 2] (sktime's
// symmetric MAPE; multiply by 100 for the M4 competition's percent). Layer: ml.
import { ShapeError, ValueError } from "../core/errors.js";

function checkPair(op: string, actual: ArrayLike<number>, predicted: ArrayLike<number>): void {
  if (actual.length !== predicted.length)
    throw new ShapeError(`${op}: actual has ${actual.length} values but predicted has ${predicted.length}`);
  if (actual.length === 0) throw new ValueError(`${op}: expected at least one value`);
}

/** Mean absolute error. */
export function meanAbsoluteError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkPair("meanAbsoluteError", actual, predicted);
  let total = 0;
  for (let i = 0; i < actual.length; i++) total += Math.abs(actual[i]! - predicted[i]!);
  return total / actual.length;
}

/**
 * Mean absolute scaled error: MAE(actual, predicted) / MAE of y[t] vs y[t - seasonLength] over
 * `training` (the series before the forecast period).
 * @example
 * mase([5, 6], [5.5, 6], [1, 2, 3, 4]); // 0.25 / 1 = 0.25
 */
export function mase(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  training: ArrayLike<number>,
  seasonLength = 1,
): number {
  const op = "mase";
  checkPair(op, actual, predicted);
  if (!Number.isInteger(seasonLength) || seasonLength < 1)
    throw new ValueError(`${op}: seasonLength must be a positive integer (got ${seasonLength})`);
  if (training.length <= seasonLength)
    throw new ValueError(
      `${op}: the training series needs more than seasonLength (${seasonLength}) values (got ${training.length})`,
    );
  let scale = 0;
  for (let t = seasonLength; t < training.length; t++)
    scale += Math.abs(training[t]! - training[t - seasonLength]!);
  scale /= training.length - seasonLength;
  if (scale === 0)
    throw new ValueError(
      `${op}: the training series' seasonal naive error is 0 (a constant season), MASE is undefined`,
    );
  return meanAbsoluteError(actual, predicted) / scale;
}

/**
 * Symmetric mean absolute percentage error, mean of 2|y - f| / (|y| + |f|), in [0, 2]; a pair
 * with y = f = 0 counts 0.
 * @example
 * smape([100, 200], [110, 180]); // (20/210 + 40/380) / 2
 */
export function smape(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkPair("smape", actual, predicted);
  let total = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i]!;
    const f = predicted[i]!;
    const denominator = Math.abs(y) + Math.abs(f);
    if (denominator > 0) total += (2 * Math.abs(y - f)) / denominator;
  }
  return total / actual.length;
}
