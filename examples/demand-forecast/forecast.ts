// examples/demand-forecast/forecast: next-day demand forecasts for a Chicago "L" station (daily
// boardings at Clark/Lake, 2001-2016, modeldata's Chicago; see DATA-LICENSE.md). Features come from
// Table time-series helpers (lags, a trailing rolling mean, date parts); a small MLP is compared with
// the seasonal-naive forecast ("same as a week ago") and a 7-day moving average on the last 365 days,
// which are touched once at the end. Scores: MASE (scaled by the training period's weekly naive
// error) and sMAPE. Run from the repository root:
//   npx tsx --conditions=tessera-source examples/demand-forecast/forecast.ts
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ts from "tessera-ml";

export const SEASON = 7;
/** Days before the target day whose ridership the model reads. */
export const LAGS = [1, 2, 7, 14, 21, 28] as const;
const TEST_DAYS = 365;

export interface Features {
  /** (days, features) for the days that have every lag. */
  x: Float32Array;
  width: number;
  /** Ridership (thousands) on each of those days. */
  y: number[];
  /** Index of each of those days in the series. */
  days: number[];
  names: string[];
}

/** Reads the date and ridership columns, sorted by date. */
export async function loadRidership(path: string): Promise<ts.Table> {
  return (await ts.readCsv(path)).sort("date");
}

/**
 * Lags, a 7-day rolling mean and a 28-day rolling standard deviation of the previous days (the
 * rolling windows end yesterday, so nothing looks at the target day), weekday one-hot and the season
 * of the year as sin/cos of the day of year.
 */
export function makeFeatures(table: ts.Table): Features {
  let t = table.lag("ridership", [...LAGS]);
  t = t.rolling("ridership_lag1", 7, { stats: ["mean"] }).rolling("ridership_lag1", 28, { stats: ["std"] });
  t = t.dateParts("date", ["weekday", "dayOfYear"]);
  const numeric = [
    ...LAGS.map((k) => `ridership_lag${k}`),
    "ridership_lag1_rolling7_mean",
    "ridership_lag1_rolling28_std",
  ];
  const names = [
    ...numeric,
    ...Array.from({ length: 7 }, (_, d) => `weekday=${d}`),
    "season_sin",
    "season_cos",
  ];
  const columns = numeric.map((name) => t.column(name).numbers);
  const weekday = t.column("date_weekday").numbers;
  const dayOfYear = t.column("date_dayOfYear").numbers;
  const ridership = t.column("ridership").numbers;
  const width = names.length;
  const x: number[] = [];
  const y: number[] = [];
  const days: number[] = [];
  for (let r = 0; r < t.numRows; r++) {
    if (columns.some((c) => Number.isNaN(c[r]!))) continue;
    for (const c of columns) x.push(c[r]!);
    for (let d = 0; d < 7; d++) x.push(weekday[r] === d ? 1 : 0);
    const angle = (2 * Math.PI * dayOfYear[r]!) / 365.25;
    x.push(Math.sin(angle), Math.cos(angle));
    y.push(ridership[r]!);
    days.push(r);
  }
  return { x: Float32Array.from(x), width, y, days, names };
}

/** Dense(32, relu) -> Dense(16, relu) -> Dense(1). */
export function forecaster(width: number): ts.Sequential {
  return ts.sequential([
    ts.layers.dense({ units: 32, activation: "relu", inputShape: [width] }),
    ts.layers.dense({ units: 16, activation: "relu" }),
    ts.layers.dense({ units: 1 }),
  ]);
}

export interface ForecastScores {
  mase: number;
  smape: number;
  mae: number;
}

export interface ForecastResult {
  trainDays: number;
  testDays: number;
  testFrom: string;
  testTo: string;
  seasonalNaive: ForecastScores;
  movingAverage: ForecastScores;
  mlp: ForecastScores;
  epochs: number;
  fitSeconds: number;
}

function scores(actual: number[], predicted: number[], training: number[]): ForecastScores {
  return {
    mase: ts.ml.mase(actual, predicted, training, SEASON),
    smape: ts.ml.smape(actual, predicted),
    mae: ts.ml.meanAbsoluteError(actual, predicted),
  };
}

/** Trains on every day before the last `testDays` and scores the three forecasts on those. */
export async function runForecast(
  table: ts.Table,
  options: { epochs?: number; testDays?: number; seed?: number; trainDays?: number } = {},
): Promise<ForecastResult> {
  const testDays = options.testDays ?? TEST_DAYS;
  ts.seed(options.seed ?? 42);
  const series = Array.from(table.column("ridership").numbers);
  const dates = table.column("date").toArray();
  const features = makeFeatures(table);
  const n = features.days.length;
  const firstTrain = options.trainDays === undefined ? 0 : Math.max(0, n - testDays - options.trainDays);
  const split = n - testDays;
  const width = features.width;
  const slice = (from: number, to: number) =>
    ts.tensor(features.x.slice(from * width, to * width), { shape: [to - from, width] });
  const scaler = new ts.StandardScaler();
  const xTrain = scaler.fitTransform(slice(firstTrain, split));
  const xTest = scaler.transform(slice(split, n));
  const trainTargets = features.y.slice(firstTrain, split);
  const mean = trainTargets.reduce((a, v) => a + v, 0) / trainTargets.length;
  const sd = Math.sqrt(trainTargets.reduce((a, v) => a + (v - mean) ** 2, 0) / trainTargets.length);
  const yTrain = ts.tensor(
    Float32Array.from(trainTargets, (v) => (v - mean) / sd),
    {
      shape: [trainTargets.length, 1],
    },
  );
  const model = forecaster(width);
  model.compile({ optimizer: ts.optimizers.adam({ learningRate: 3e-3 }), loss: "huber" });
  const epochs = options.epochs ?? 60;
  const fitStart = performance.now();
  await model.fit(xTrain, yTrain, { epochs, batchSize: 64, shuffle: true, verbose: 0 });
  const fitSeconds = (performance.now() - fitStart) / 1000;
  const predicted = Array.from(model.predict(xTest, { verbose: 0 }).data, (v) => v * sd + mean);
  const firstTestDay = features.days[split]!;
  const actual = series.slice(firstTestDay);
  // the MASE scale: the weekly naive error over the training days
  const training = series.slice(features.days[firstTrain]!, firstTestDay);
  const day = (i: number) => new Date(Number(dates[i])).toISOString().slice(0, 10);
  return {
    trainDays: split - firstTrain,
    testDays: actual.length,
    testFrom: day(firstTestDay),
    testTo: day(series.length - 1),
    seasonalNaive: scores(actual, ts.ml.seasonalNaiveOneStep(series, firstTestDay, SEASON), training),
    movingAverage: scores(actual, ts.ml.movingAverageOneStep(series, firstTestDay, 7), training),
    mlp: scores(actual, predicted, training),
    epochs,
    fitSeconds,
  };
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const started = performance.now();
  const table = await loadRidership(join(here, "chicago-ridership.csv"));
  const r = await runForecast(table);
  console.log(
    `backend ${ts.getBackend()}; ${table.numRows} days; ${r.trainDays} training days, test ${r.testFrom} .. ${r.testTo} (${r.testDays} days)`,
  );
  console.log("forecast (one day ahead)      MASE    sMAPE    MAE (thousand boardings)");
  for (const [name, s] of [
    ["seasonal naive (a week ago)", r.seasonalNaive],
    ["7-day moving average", r.movingAverage],
    ["MLP on lag/rolling/date features", r.mlp],
  ] as const) {
    console.log(
      `${name.padEnd(34)} ${s.mase.toFixed(3)}  ${(100 * s.smape).toFixed(2)} %  ${s.mae.toFixed(3)}`,
    );
  }
  console.log(
    `training ${r.fitSeconds.toFixed(1)} s for ${r.epochs} epochs; whole script ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
