import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tensor } from "../../index.js";
import { getMetric, metrics } from "./index.js";

function close(actual: number, expected: number, tol = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} vs ${expected}`);
}

// errors yPred - yTrue: 1, -2, 0.5, 0 over two batches
const batches = [
  { t: tensor([[1], [2]], { dtype: "float64" }), p: tensor([[2], [0]], { dtype: "float64" }) },
  { t: tensor([[4], [-1]], { dtype: "float64" }), p: tensor([[4.5], [-1]], { dtype: "float64" }) },
];

describe("regression metrics", () => {
  it("mae, mse, rmse accumulate across batches", () => {
    const mae = metrics.mae();
    const mse = metrics.mse();
    const rmse = metrics.rmse();
    for (const { t, p } of batches) for (const m of [mae, mse, rmse]) m.update(t, p);
    close(mae.result(), (1 + 2 + 0.5 + 0) / 4);
    close(mse.result(), (1 + 4 + 0.25 + 0) / 4);
    close(rmse.result(), Math.sqrt(5.25 / 4));
    assert.equal(mae.name, "mean_absolute_error");
    assert.equal(rmse.name, "root_mean_squared_error");
  });

  it("weights samples", () => {
    const mae = metrics.mae();
    mae.update(batches[0]!.t, batches[0]!.p, tensor([3, 1]));
    close(mae.result(), (3 * 1 + 1 * 2) / 4);
  });

  it("mape", () => {
    const mape = getMetric("mape");
    mape.update(tensor([2, -4]), tensor([1, -5]));
    close(mape.result(), (100 * (1 / 2) + 100 * (1 / 4)) / 2, 1e-4);
    assert.equal(mape.name, "mape");
  });

  it("r2 = 1 - SS_res / SS_tot per column, averaged", () => {
    const r2 = metrics.r2();
    for (const { t, p } of batches) r2.update(t, p);
    // targets 1, 2, 4, -1: mean 1.5, SS_tot = 0.25 + 0.25 + 6.25 + 6.25 = 13; SS_res = 5.25
    close(r2.result(), 1 - 5.25 / 13);
    const perfect = metrics.r2();
    perfect.update(tensor([1, 2, 3]), tensor([1, 2, 3]));
    close(perfect.result(), 1);
  });

  it("r2 with two outputs, variance weighting and the adjusted form", () => {
    const t = tensor([
      [1, 10],
      [2, 20],
      [3, 60],
    ]);
    const p = tensor([
      [1, 20],
      [3, 20],
      [3, 50],
    ]);
    // column 0: mean 2, SS_tot 2, SS_res 1 -> 0.5; column 1: mean 30, SS_tot 1400, SS_res 200 -> 6/7
    const uniform = metrics.r2();
    uniform.update(t, p);
    close(uniform.result(), (0.5 + 6 / 7) / 2, 1e-6);
    const weighted = metrics.r2({ classAggregation: "variance_weighted_average" });
    weighted.update(t, p);
    close(weighted.result(), (0.5 * 2 + (6 / 7) * 1400) / 1402, 1e-6);
    const adjusted = metrics.r2({ numRegressors: 1 });
    adjusted.update(tensor([1, 2, 3, 4]), tensor([1, 2, 3, 5]));
    // r2 = 1 - 1 / 5 = 0.8; adjusted = 1 - (1 - 0.8) * 3 / 2
    close(adjusted.result(), 1 - (0.2 * 3) / 2, 1e-6);
  });
});
