// The sunspots example's data loading, windows and metric (the 120-epoch run itself is in the
// README: about 3 s on the native backend, 28 s on the reference one).
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { forecaster, loadSunspots, makeWindows, rmse, WINDOW } from "./train.js";

const csv = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "datasets", "sunspots.csv");

test("loadSunspots reads 309 years from 1700 to 2008", async () => {
  const { years, activity } = await loadSunspots(csv);
  assert.equal(years.length, 309);
  assert.deepEqual([years[0], years.at(-1)], [1700, 2008]);
  // the CSV starts 1700,5 / 1701,11 / 1702,16
  assert.deepEqual(activity.slice(0, 3), [5, 11, 16]);
});

test("makeWindows pairs each target year with the WINDOW years before it", () => {
  const series = Array.from({ length: 10 }, (_, i) => i * 10);
  const w = makeWindows(series, 3, 0, 6);
  assert.deepEqual(w.targets, [3, 4, 5]);
  assert.deepEqual([...w.x.shape], [3, 3, 1]);
  assert.deepEqual(Array.from(w.x.data.slice(0, 6)), [0, 10, 20, 10, 20, 30]);
  assert.deepEqual(Array.from(w.y.data), [30, 40, 50]);
  // test windows may read years before `from`
  assert.deepEqual(Array.from(makeWindows(series, 3, 8, 10).x.data.slice(0, 3)), [50, 60, 70]);
});

test("rmse and the forecaster's size", () => {
  assert.equal(rmse([1, 2, 3], [1, 2, 7]), Math.sqrt(16 / 3));
  // LSTM(32) on 1 feature: 4 * 32 * (1 + 32 + 1); dense 33
  assert.equal(forecaster(WINDOW).countParams(), 4352 + 33);
});
