import assert from "node:assert/strict";
import { test } from "node:test";
import { type Tensor, tensor } from "../../index.js";
import { crossValidate } from "./cross-validate.js";
import { groupKFold } from "./kfold.js";

/** Predicts the mean of the training targets: least squares with an intercept only. */
class MeanPredictor {
  fitted = 0;
  trainTargets: number[] = [];
  private mean = Number.NaN;
  async fit(_x: number[][], y: number[]): Promise<void> {
    this.fitted += 1;
    this.trainTargets = [...y];
    this.mean = y.reduce((a, b) => a + b, 0) / y.length;
  }
  evaluate(_x: number[][], y: number[]): Record<string, number> {
    const mse = y.reduce((a, v) => a + (v - this.mean) ** 2, 0) / y.length;
    return { mse, mae: y.reduce((a, v) => a + Math.abs(v - this.mean), 0) / y.length };
  }
}

/** Closed-form simple linear regression y = a x + b on tensors of shape [N, 1] and [N]. */
class LineFit {
  private a = 0;
  private b = 0;
  async fit(x: Tensor, y: Tensor, options?: Record<string, unknown>): Promise<void> {
    assert.deepEqual(options, { verbose: 0, epochs: 3 });
    const n = x.shape[0]!;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      const xi = x.data[i]!;
      const yi = y.data[i]!;
      sx += xi;
      sy += yi;
      sxx += xi * xi;
      sxy += xi * yi;
    }
    this.a = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    this.b = (sy - this.a * sx) / n;
  }
  async evaluate(x: Tensor, y: Tensor): Promise<Record<string, number>> {
    let se = 0;
    for (let i = 0; i < x.shape[0]!; i++) se += (this.a * x.data[i]! + this.b - y.data[i]!) ** 2;
    return { mse: se / x.shape[0]!, slope: this.a };
  }
}

test("crossValidate trains a fresh model per fold and scores held-out rows (hand-computed)", async () => {
  const x = Array.from({ length: 10 }, (_, i) => [i]);
  const y = Array.from({ length: 10 }, (_, i) => i);
  const models: MeanPredictor[] = [];
  const cv = await crossValidate(
    (fold) => {
      assert.equal(fold, models.length);
      const m = new MeanPredictor();
      models.push(m);
      return m;
    },
    x,
    y,
    { folds: 5 },
  );
  assert.equal(models.length, 5);
  assert.ok(models.every((m) => m.fitted === 1));
  // Fold 0 tests rows 0 and 1; the model trains on 2..9 (mean 5.5): mse = (5.5^2 + 4.5^2) / 2.
  assert.deepEqual(models[0]!.trainTargets, [2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(cv.folds[0]!.metrics.mse, 25.25);
  assert.equal(cv.folds[0]!.metrics.mae, 5);
  // Fold k tests {2k, 2k+1}; train mean = (45 - 4k - 1) / 8; its errors follow directly.
  const expected = [0, 1, 2, 3, 4].map((k) => {
    const m = (44 - 4 * k) / 8;
    return ((2 * k - m) ** 2 + (2 * k + 1 - m) ** 2) / 2;
  });
  assert.deepEqual(
    cv.folds.map((f) => f.metrics.mse),
    expected,
  );
  const mean = expected.reduce((a, b) => a + b, 0) / 5;
  const std = Math.sqrt(expected.reduce((a, v) => a + (v - mean) ** 2, 0) / 5);
  assert.ok(Math.abs(cv.mean.mse! - mean) < 1e-12);
  assert.ok(Math.abs(cv.std.mse! - std) < 1e-12);
  assert.deepEqual(
    cv.folds.map((f) => [f.trainSize, f.testSize]),
    [
      [8, 2],
      [8, 2],
      [8, 2],
      [8, 2],
      [8, 2],
    ],
  );
  assert.match(cv.summary(), /^mse: \d+\.\d{4} ± \d+\.\d{4}\nmae: /);
});

test("crossValidate with tensors, fitOptions, a metric filter and stratified or given folds", async () => {
  const n = 24;
  const x = tensor(Array.from({ length: n }, (_, i) => [i]));
  const y = tensor(Array.from({ length: n }, (_, i) => 3 * i - 2));
  const cv = await crossValidate(() => new LineFit(), x, y, {
    folds: 4,
    shuffle: true,
    seed: 1,
    fitOptions: { epochs: 3 },
    metrics: ["slope"],
  });
  assert.deepEqual(Object.keys(cv.mean), ["slope"]);
  for (const f of cv.folds) assert.ok(Math.abs(f.metrics.slope! - 3) < 1e-9);
  assert.ok(cv.std.slope! < 1e-9);

  const labels = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0));
  const seen: number[][] = [];
  await crossValidate(
    () => ({
      fit: async () => undefined,
      evaluate: (_x: number[], yTest: number[]) => {
        seen.push(yTest);
        return { positives: yTest.filter((v) => v === 1).length };
      },
    }),
    labels,
    labels,
    { folds: 3, stratified: true },
  );
  assert.deepEqual(
    seen.map((s) => s.length),
    [8, 8, 8],
  );
  assert.deepEqual(
    seen.map((s) => s.filter((v) => v === 1).length),
    [2, 2, 2],
  );

  const groups = Array.from({ length: n }, (_, i) => Math.floor(i / 6));
  const byGroup = await crossValidate(() => new LineFit(), x, y, {
    folds: groupKFold(groups, { nSplits: 2 }),
    fitOptions: { epochs: 3 },
  });
  assert.equal(byGroup.folds.length, 2);
  await assert.rejects(
    crossValidate(() => new LineFit(), x, y, { fitOptions: { epochs: 3 }, metrics: ["accuracy"] }),
    /did not report a number for metric "accuracy"/,
  );
  await assert.rejects(
    crossValidate(() => new LineFit(), x, tensor([1, 2])),
    /x has 24 rows but y has 2/,
  );
});

test("crossValidate names list results by metricsNames and a bare number as the loss", async () => {
  const x = Array.from({ length: 6 }, (_, i) => i);
  const asList = await crossValidate(
    () => ({
      metricsNames: ["loss", "mae"],
      fit: async () => undefined,
      evaluate: (_x: number[], yTest: number[], options?: Record<string, unknown>) => {
        assert.deepEqual(options, { verbose: 0, returnDict: false });
        return [yTest.length, yTest[0]!];
      },
    }),
    x,
    x,
    { folds: 3, evaluateOptions: { returnDict: false } },
  );
  assert.deepEqual(
    asList.folds.map((f) => f.metrics),
    [
      { loss: 2, mae: 0 },
      { loss: 2, mae: 2 },
      { loss: 2, mae: 4 },
    ],
  );
  assert.deepEqual(asList.mean, { loss: 2, mae: 2 });
  assert.ok(Math.abs(asList.std.mae! - Math.sqrt(8 / 3)) < 1e-12);
  const bare = await crossValidate(() => ({ fit: async () => undefined, evaluate: () => 1.5 }), x, x, {
    folds: 2,
  });
  assert.deepEqual(bare.mean, { loss: 1.5 });
});
