// Tests of the histogram gradient-boosted trees (ml/hist-*) against scikit-learn 1.2 fixtures
// (test/fixtures/ml/boosting.json): bin thresholds, test-split predictions and accuracy on iris,
// breast-cancer and penguins, and R^2 on boston-housing. (digits, also in the fixture, is left to
// bench/ml.bench.ts: 1000 trees are too slow for the unit suite.)
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadDataset, readFixture, splitMatrix, splitRows } from "../../test/fixtures/ml/datasets.js";
import { fitBins } from "./hist-binning.js";
import { HistGradientBoostingClassifier } from "./hist-gradient-boosting-classifier.js";
import { HistGradientBoostingRegressor } from "./hist-gradient-boosting-regressor.js";

interface BoostingFixture {
  classifier: Record<string, { accuracy: number; predictions: string[]; probaFirstRows: number[] }>;
  regressor: Record<string, { r2: number; predictions: number[] }>;
  bins: Record<string, { thresholds: number[][] }>;
}

const fixture = readFixture<BoostingFixture>("boosting");

describe("histogram binning", () => {
  for (const [name, expected] of Object.entries(fixture.bins)) {
    it(`thresholds on ${name} equal scikit-learn's _BinMapper`, () => {
      const { train } = splitMatrix(loadDataset(name).x);
      const thresholds = fitBins(train, 255);
      expected.thresholds.forEach((t, j) => {
        assert.deepEqual(Array.from(thresholds[j]!), t);
      });
    });
  }
});

describe("HistGradientBoostingClassifier", () => {
  for (const name of ["iris", "breast-cancer", "penguins"]) {
    it(`on ${name} predicts like scikit-learn (accuracy within 1 point)`, () => {
      const expected = fixture.classifier[name]!;
      const { x, y } = loadDataset(name);
      const { train, test } = splitMatrix(x);
      const labels = splitRows(y);
      const gbm = new HistGradientBoostingClassifier({ earlyStopping: false }).fit(train, labels.train);
      const accuracy = gbm.score(test, labels.test);
      assert.ok(
        Math.abs(accuracy - expected.accuracy) <= 0.01,
        `${name}: ${accuracy} vs ${expected.accuracy}`,
      );
      assert.deepEqual(gbm.predict(test).map(String), expected.predictions);
      const proba = gbm.predictProba(test).data;
      expected.probaFirstRows.forEach((p, i) => {
        assert.ok(Math.abs(proba[i]! - p) < 1e-9, `proba ${i}: ${proba[i]} vs ${p}`);
      });
      assert.equal(gbm.nIter, 100);
    });
  }

  it("stops early on a validation split, ranks informative features first and round-trips JSON", () => {
    const { x, y } = loadDataset("breast-cancer");
    const gbm = new HistGradientBoostingClassifier({ earlyStopping: true, maxIter: 300, seed: 3 }).fit(x, y);
    assert.ok(gbm.nIter < 300, `ran ${gbm.nIter} iterations`);
    const scores = gbm.validationScores;
    assert.equal(scores.length, gbm.nIter + 1);
    const importances = gbm.featureImportances;
    assert.ok(Math.abs(importances.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.ok(importances.every((v) => v >= 0));
    const again = HistGradientBoostingClassifier.fromJSON(JSON.parse(JSON.stringify(gbm.toJSON())));
    assert.deepEqual(Array.from(again.predictProba(x).data), Array.from(gbm.predictProba(x).data));
  });

  it("refuses a NaN feature, a single class and a malformed saved tree", () => {
    assert.throws(
      () => new HistGradientBoostingClassifier().fit([[Number.NaN], [1]], [0, 1]),
      /finite numbers/,
    );
    assert.throws(() => new HistGradientBoostingClassifier().fit([[0], [1]], [1, 1]), /at least 2 classes/);
    assert.throws(
      () => new HistGradientBoostingClassifier({ maxBins: 300 }).fit([[0], [1]], [0, 1]),
      /maxBins must be at most 255/,
    );
    const gbm = new HistGradientBoostingClassifier({ maxIter: 1, minSamplesLeaf: 1 }).fit(
      [[0], [1], [2], [3]],
      [0, 0, 1, 1],
    );
    const state = gbm.toJSON();
    const fitted = state.fitted as { trees: { left: number[] }[][] };
    const tree = fitted.trees[0]![0]!;
    tree.left[0] = 0;
    assert.throws(() => HistGradientBoostingClassifier.fromJSON(state), /tree node 0 is malformed/);
  });
});

describe("HistGradientBoostingRegressor", () => {
  it("on boston-housing predicts what scikit-learn predicts", () => {
    const expected = fixture.regressor["boston-housing"]!;
    const { x, yNumbers } = loadDataset("boston-housing");
    const { train, test } = splitMatrix(x);
    const targets = splitRows(Array.from(yNumbers));
    const gbm = new HistGradientBoostingRegressor({ earlyStopping: false }).fit(train, targets.train);
    const predicted = gbm.predict(test).data;
    expected.predictions.forEach((p, i) => {
      assert.ok(Math.abs(predicted[i]! - p) < 1e-9 * Math.max(1, Math.abs(p)));
    });
    assert.ok(Math.abs(gbm.score(test, targets.test) - expected.r2) < 1e-9);
    // lstat and rm carry most of the signal in this data set.
    const importances = gbm.featureImportances;
    const top = Array.from(importances.keys())
      .sort((a, b) => importances[b]! - importances[a]!)
      .slice(0, 2);
    assert.deepEqual(new Set(top), new Set([5, 12]));
  });
});
