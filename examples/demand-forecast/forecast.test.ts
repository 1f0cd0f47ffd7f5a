// The demand-forecasting example at reduced size (the four years before the test year, 20 epochs; the
// full run trains on 14.5 years for 60 epochs): the MLP must still beat the seasonal-naive forecast
// on the 365 test days, on MASE and sMAPE.
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { LAGS, loadRidership, makeFeatures, runForecast } from "./forecast.js";

const csv = join(dirname(fileURLToPath(import.meta.url)), "chicago-ridership.csv");

test("makeFeatures reads lags from earlier days only", async () => {
  const table = await loadRidership(csv);
  assert.equal(table.numRows, 5698);
  const f = makeFeatures(table);
  const ridership = Array.from(table.column("ridership").numbers);
  // the first day with a 28-day lag is day 28
  assert.equal(f.days[0], 28);
  assert.equal(f.width, LAGS.length + 2 + 7 + 2);
  const row = Array.from(f.x.subarray(0, f.width));
  LAGS.forEach((k, i) => {
    assert.ok(Math.abs(row[i]! - ridership[28 - k]!) < 1e-3, `lag ${k}`);
  });
  const mean7 = ridership.slice(21, 28).reduce((a, v) => a + v, 0) / 7;
  assert.ok(Math.abs(row[LAGS.length]! - mean7) < 1e-3);
  // one weekday indicator is set
  assert.equal(
    row.slice(LAGS.length + 2, LAGS.length + 9).reduce((a, v) => a + v, 0),
    1,
  );
  assert.deepEqual(f.y.slice(0, 2), ridership.slice(28, 30));
});

test("trained on four years, the MLP beats the seasonal-naive forecast on the test year", async () => {
  const table = await loadRidership(csv);
  const r = await runForecast(table, { trainDays: 1460, epochs: 20 });
  assert.deepEqual([r.trainDays, r.testDays, r.testFrom, r.testTo], [1460, 365, "2015-08-30", "2016-08-28"]);
  assert.ok(r.mlp.mase < 0.9 * r.seasonalNaive.mase, `MASE ${r.mlp.mase} vs ${r.seasonalNaive.mase}`);
  assert.ok(r.mlp.smape < r.seasonalNaive.smape, `sMAPE ${r.mlp.smape} vs ${r.seasonalNaive.smape}`);
  assert.ok(r.mlp.mase < 1.05, `MASE ${r.mlp.mase}`);
});
