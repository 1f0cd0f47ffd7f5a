// ml/forecast-baselines: the forecasts a model must beat. Seasonal naive repeats the last observed
// season (seasonLength 1: the last value); moving average forecasts the mean of the last `window`
// values (flat over the horizon). Each comes as a multi-step forecast after a history, and as
// one-step-ahead predictions over a test period (each from the values before it), which is what
// a one-step neural forecaster is compared with. Layer: ml.
import { ValueError } from "../core/errors.js";

function positiveInteger(op: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw new ValueError(`${op}: ${name} must be a positive integer (got ${value})`);
}

function checkHistory(op: string, history: ArrayLike<number>, needed: number, what: string): void {
  if (history.length < needed)
    throw new ValueError(
      `${op}: the history needs at least ${what} (${needed}) values (got ${history.length})`,
    );
}

/**
 * The next `horizon` values, each the value one season earlier: f[h] = y[T - m + (h mod m)].
 * @example
 * seasonalNaiveForecast([1, 2, 3, 4, 5, 6, 7], 3, 2); // [6, 7, 6]
 */
export function seasonalNaiveForecast(
  history: ArrayLike<number>,
  horizon: number,
  seasonLength = 1,
): number[] {
  const op = "seasonalNaiveForecast";
  positiveInteger(op, "horizon", horizon);
  positiveInteger(op, "seasonLength", seasonLength);
  checkHistory(op, history, seasonLength, "one season");
  const T = history.length;
  return Array.from({ length: horizon }, (_, h) => history[T - seasonLength + (h % seasonLength)]!);
}

/**
 * The next `horizon` values, all the mean of the last `window` values.
 * @example
 * movingAverageForecast([1, 2, 3, 4], 2, 3); // [3, 3]
 */
export function movingAverageForecast(history: ArrayLike<number>, horizon: number, window: number): number[] {
  const op = "movingAverageForecast";
  positiveInteger(op, "horizon", horizon);
  positiveInteger(op, "window", window);
  checkHistory(op, history, window, "the window");
  let sum = 0;
  for (let i = history.length - window; i < history.length; i++) sum += history[i]!;
  return new Array<number>(horizon).fill(sum / window);
}

/**
 * One-step-ahead seasonal naive predictions for t = start .. T-1: y[t - seasonLength].
 * @example
 * seasonalNaiveOneStep([1, 2, 3, 4, 5], 3); // [3, 4]
 */
export function seasonalNaiveOneStep(series: ArrayLike<number>, start: number, seasonLength = 1): number[] {
  const op = "seasonalNaiveOneStep";
  positiveInteger(op, "seasonLength", seasonLength);
  if (!Number.isInteger(start) || start < seasonLength || start > series.length)
    throw new ValueError(
      `${op}: start must be an integer in [${seasonLength}, ${series.length}] (got ${start})`,
    );
  return Array.from({ length: series.length - start }, (_, i) => series[start + i - seasonLength]!);
}

/**
 * One-step-ahead moving-average predictions for t = start .. T-1: the mean of y[t - window .. t - 1].
 * @example
 * movingAverageOneStep([1, 2, 3, 4, 5], 3, 2); // [2.5, 3.5]
 */
export function movingAverageOneStep(series: ArrayLike<number>, start: number, window: number): number[] {
  const op = "movingAverageOneStep";
  positiveInteger(op, "window", window);
  if (!Number.isInteger(start) || start < window || start > series.length)
    throw new ValueError(`${op}: start must be an integer in [${window}, ${series.length}] (got ${start})`);
  return Array.from({ length: series.length - start }, (_, i) => {
    let sum = 0;
    for (let k = start + i - window; k < start + i; k++) sum += series[k]!;
    return sum / window;
  });
}
