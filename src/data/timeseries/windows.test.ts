// timeseriesWindows / timeseriesDataset: the three documented examples of Keras's
// timeseries_dataset_from_array (keras/src/utils/timeseries_dataset_utils.py docstring), plus
// start/end indices, shuffling and batching.
import assert from "node:assert/strict";
import { test } from "node:test";
import { layers, optimizers, sequential } from "../../index.js";
import { tensor } from "../../tensor/creation.js";
import type { Tensor } from "../../tensor/tensor.js";
import { forecastWindows, timeseriesDataset, timeseriesWindows } from "./windows.js";

const range = (n: number, scale = 1) => Array.from({ length: n }, (_, i) => i * scale);
const rowsOf = (t: Tensor, width: number) =>
  Array.from({ length: t.shape[0]! }, (_, i) => Array.from(t.data.subarray(i * width, (i + 1) * width)));

test("Keras example 1: indices 0..98, length 10, rate 2, stride 3", () => {
  const { x, starts } = timeseriesWindows(range(99), null, {
    sequenceLength: 10,
    samplingRate: 2,
    sequenceStride: 3,
  });
  const windows = rowsOf(x, 10);
  assert.deepEqual(windows[0], [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  assert.deepEqual(windows[1], [3, 5, 7, 9, 11, 13, 15, 17, 19, 21]);
  assert.deepEqual(windows[2], [6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
  assert.deepEqual(windows.at(-1), [78, 80, 82, 84, 86, 88, 90, 92, 94, 96]);
  assert.equal(starts.length, 27);
});

test("Keras example 2: the past 10 steps predict the next one", async () => {
  const data = range(50, 0.5);
  const ds = timeseriesDataset(data.slice(0, -10), data.slice(10), { sequenceLength: 10 });
  const batches = (await ds.toArray()) as { x: Tensor; y: Tensor }[];
  assert.equal(batches.length, 1); // 31 windows in one batch of 128
  const { x, y } = batches[0]!;
  assert.deepEqual([...x.shape], [31, 10]);
  assert.deepEqual(rowsOf(x, 10)[0], data.slice(0, 10));
  assert.equal(y.data[0], data[10]);
  assert.deepEqual(rowsOf(x, 10)[30], data.slice(30, 40));
  assert.equal(y.data[30], data[40]);
});

test("Keras example 3: non-overlapping windows of 20 for many-to-many", async () => {
  const X = range(100);
  const Y = range(100, 2);
  const inputs = (await timeseriesDataset(X, null, {
    sequenceLength: 20,
    sequenceStride: 20,
  }).toArray()) as Tensor[];
  const targets = (await timeseriesDataset(Y, null, {
    sequenceLength: 20,
    sequenceStride: 20,
  }).toArray()) as Tensor[];
  assert.deepEqual([...inputs[0]!.shape], [5, 20]);
  assert.deepEqual(rowsOf(inputs[0]!, 20)[0], X.slice(0, 20));
  assert.deepEqual(rowsOf(targets[0]!, 20)[1], Y.slice(20, 40));
});

test("multivariate series, start/end indices, batches and a seeded shuffle", async () => {
  // 12 steps of 2 features: step t is [t, 100 + t]
  const series = tensor(range(12).map((t) => [t, 100 + t]));
  const targets = range(12, 10);
  const { x, y, starts } = timeseriesWindows(series, targets, {
    sequenceLength: 3,
    startIndex: 2,
    endIndex: 9,
  });
  // windows start at 2..6 (the last ends at step 8, before endIndex 9)
  assert.deepEqual(starts, [2, 3, 4, 5, 6]);
  assert.deepEqual([...x.shape], [5, 3, 2]);
  assert.deepEqual(Array.from(x.data.subarray(0, 6)), [2, 102, 3, 103, 4, 104]);
  assert.deepEqual(Array.from(y!.data), [20, 30, 40, 50, 60]);
  const ds = timeseriesDataset(series, targets, { sequenceLength: 3, batchSize: 4, shuffle: true, seed: 5 });
  const batches = (await ds.toArray()) as { x: Tensor; y: Tensor }[];
  assert.deepEqual(
    batches.map((b) => b.x.shape[0]),
    [4, 4, 2],
  );
  const order = batches.flatMap((b) => Array.from(b.y.data).map((v) => v / 10));
  assert.deepEqual(
    [...order].sort((a, b) => a - b),
    range(10),
  );
  assert.notDeepEqual(order, range(10));
  const again = (await timeseriesDataset(series, targets, {
    sequenceLength: 3,
    batchSize: 4,
    shuffle: true,
    seed: 5,
  }).toArray()) as { y: Tensor }[];
  assert.deepEqual(
    again.flatMap((b) => Array.from(b.y.data).map((v) => v / 10)),
    order,
  );
  // each window still pairs with its own target: the first step of window s is s
  for (const b of batches)
    for (let i = 0; i < b.x.shape[0]!; i++) assert.equal(b.x.data[i * 6]! * 10, b.y.data[i]);
  const single = (await timeseriesDataset(range(5), null, {
    sequenceLength: 2,
    batchSize: null,
  }).toArray()) as Tensor[];
  assert.deepEqual([...single[0]!.shape], [2]);
});

test("bad options get errors naming the option", () => {
  assert.throws(
    () => timeseriesWindows(range(10), null, { sequenceLength: 0 }),
    /sequenceLength must be a positive integer/,
  );
  assert.throws(
    () => timeseriesWindows(range(10), null, { sequenceLength: 2, startIndex: 10 }),
    /startIndex must be an integer in \[0, 10\)/,
  );
  assert.throws(
    () => timeseriesWindows(range(10), null, { sequenceLength: 2, startIndex: 4, endIndex: 3 }),
    /endIndex must be an integer in \(4, 10\]/,
  );
  assert.throws(
    () => timeseriesDataset(range(10), null, { sequenceLength: 2, batchSize: 0 }),
    /batchSize must be a positive integer/,
  );
});

test("a timeseriesDataset trains a model with fit", async () => {
  // a linear series: the next value is 2 * last - second last, learnable by one Dense layer
  const series = range(40, 0.05);
  const ds = timeseriesDataset(series.slice(0, -2), series.slice(2), { sequenceLength: 2, batchSize: 8 });
  const model = sequential([layers.dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.05 }), loss: "mse" });
  const losses = (await model.fit(ds, { epochs: 10, verbose: 0 })).history.loss!;
  assert.equal(losses.length, 10);
  assert.ok(losses[9]! < losses[0]! / 2, `loss ${losses[0]} -> ${losses[9]}`);
});

test("forecastWindows pairs each window with the next `horizon` steps", () => {
  const { x, y, starts } = forecastWindows(range(10), { sequenceLength: 3, horizon: 2 });
  assert.deepEqual(starts, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(rowsOf(x, 3)[0], [0, 1, 2]);
  assert.deepEqual([...y!.shape], [6, 2]);
  assert.deepEqual(rowsOf(y!, 2)[0], [3, 4]);
  assert.deepEqual(rowsOf(y!, 2)[5], [8, 9]);
  // sampled windows: steps s and s + 2, targets the two steps after s + 2
  const sampled = forecastWindows(range(10), {
    sequenceLength: 2,
    samplingRate: 2,
    horizon: 2,
    sequenceStride: 5,
  });
  assert.deepEqual(rowsOf(sampled.x, 2), [
    [0, 2],
    [5, 7],
  ]);
  assert.deepEqual(rowsOf(sampled.y!, 2), [
    [3, 4],
    [8, 9],
  ]);
  // horizon 1: the pairing of timeseriesWindows(series[:-1], series[L:]), every window kept
  const one = forecastWindows(range(8), { sequenceLength: 3 });
  const keras = timeseriesWindows(range(8).slice(0, -1), range(8).slice(3), { sequenceLength: 3 });
  assert.equal(one.starts.length, 5);
  assert.deepEqual(Array.from(one.x.data), Array.from(keras.x.data));
  assert.deepEqual(Array.from(one.y!.data), Array.from(keras.y!.data));
  assert.throws(() => forecastWindows(range(3), { sequenceLength: 2, horizon: 3 }), /too short/);
});
