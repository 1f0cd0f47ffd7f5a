// examples/sunspots-lstm/train: one-year-ahead forecasts of yearly sunspot activity (datasets/
// sunspots.csv, 1700-2008) with an LSTM, against the naive forecast "next year = this year". The
// last 20 % of years are the test period, touched once at the end; inputs are the previous
// WINDOW years, standardised with the training years' mean and deviation. Run from the repository
// root:   npx tsx examples/sunspots-lstm/train.ts   (TESSERA_BACKEND=reference|native to choose)
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ts from "tessera-ml";

const SEED = 42;
export const WINDOW = 24; // about two solar cycles of about 11 years
const EPOCHS = 120;
const BATCH = 16;
const TEST_FRACTION = 0.2;

export interface Sunspots {
  years: number[];
  activity: number[];
}

/** The YEAR and SUNACTIVITY columns of the CSV. */
export async function loadSunspots(path: string): Promise<Sunspots> {
  const table = await ts.readCsv(path);
  const years = Array.from(table.toTensor(["YEAR"]).data);
  const activity = Array.from(table.toTensor(["SUNACTIVITY"]).data);
  return { years, activity };
}

export interface Windows {
  /** (n, WINDOW, 1) standardised inputs. */
  x: ts.Tensor;
  /** (n, 1) standardised next-year values. */
  y: ts.Tensor;
  /** Index into the series of each window's target year. */
  targets: number[];
}

/**
 * Every window of `window` consecutive years whose target year index lies in [from, to), cut by
 * the library's timeseriesWindows: the window starting at year i has target year i + window.
 */
export function makeWindows(series: readonly number[], window: number, from: number, to: number): Windows {
  const column = ts.tensor(new Float32Array(series), { shape: [series.length, 1] });
  const { x, y, starts } = ts.timeseriesWindows(column, ts.slice(column, [[window, series.length]]), {
    sequenceLength: window,
    startIndex: Math.max(from - window, 0),
    endIndex: to - 1, // the last window ends at year to - 2, before its target year to - 1
  });
  return { x, y: y!, targets: starts.map((s) => s + window) };
}

/** Root mean squared error of two equally long lists. */
export function rmse(predicted: readonly number[], actual: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < actual.length; i++) total += (predicted[i]! - actual[i]!) ** 2;
  return Math.sqrt(total / actual.length);
}

/** LSTM(32) over the window, then one linear output. */
export function forecaster(window: number): ts.Sequential {
  return ts.sequential([
    ts.layers.lstm({ units: 32, inputShape: [window, 1] }),
    ts.layers.dense({ units: 1 }),
  ]);
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const started = performance.now();
  ts.seed(SEED);
  const { years, activity } = await loadSunspots(join(here, "..", "..", "datasets", "sunspots.csv"));
  const n = activity.length;
  const split = n - Math.round(TEST_FRACTION * n); // first test year's index
  const trainPart = activity.slice(0, split);
  const mean = trainPart.reduce((a, v) => a + v, 0) / trainPart.length;
  const sd = Math.sqrt(trainPart.reduce((a, v) => a + (v - mean) ** 2, 0) / trainPart.length);
  const scaled = activity.map((v) => (v - mean) / sd);
  const train = makeWindows(scaled, WINDOW, 0, split);
  const test = makeWindows(scaled, WINDOW, split, n);
  console.log(
    `backend ${ts.getBackend()}; ${train.targets.length} training windows (targets ${years[train.targets[0]!]}-${years[split - 1]}), ` +
      `${test.targets.length} test years (${years[split]}-${years[n - 1]})`,
  );
  const model = forecaster(WINDOW);
  model.compile({ optimizer: ts.optimizers.adam({ learningRate: 3e-3 }), loss: "mse" });
  model.summary();
  const fitStart = performance.now();
  const history = await model.fit(train.x, train.y, {
    epochs: EPOCHS,
    batchSize: BATCH,
    shuffle: true,
    verbose: 0,
  });
  const fitSeconds = (performance.now() - fitStart) / 1000;
  const losses = history.history.loss ?? [];
  console.log(
    `training loss (standardised MSE): epoch 1 ${losses[0]?.toFixed(4)}, epoch ${losses.length} ${losses.at(-1)?.toFixed(4)}`,
  );
  const predicted = Array.from(model.predict(test.x, { verbose: 0 }).data).map((v) => v * sd + mean);
  const actual = test.targets.map((t) => activity[t]!);
  const naive = test.targets.map((t) => activity[t - 1]!);
  const lstmRmse = rmse(predicted, actual);
  const naiveRmse = rmse(naive, actual);
  console.log(`test RMSE (sunspot number), ${years[split]}-${years[n - 1]}:`);
  console.log(`  naive last-value forecast  ${naiveRmse.toFixed(2)}`);
  console.log(
    `  LSTM forecast              ${lstmRmse.toFixed(2)}  (${((1 - lstmRmse / naiveRmse) * 100).toFixed(1)} % lower)`,
  );
  console.log(
    `training ${fitSeconds.toFixed(1)} s for ${EPOCHS} epochs; whole script ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
