// Tests of ml/mlp-classifier and ml/mlp-regressor: they learn iris, breast-cancer and
// boston-housing (held-out scores above simple floors, near scikit-learn's MLP defaults), are
// reproducible from a seed and round-trip through JSON.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadDataset, splitMatrix, splitRows, standardize } from "../../test/fixtures/ml/datasets.js";
import { MLPClassifier } from "./mlp-classifier.js";
import { MLPRegressor } from "./mlp-regressor.js";

describe("MLPClassifier", () => {
  for (const [name, floor] of [
    ["iris", 0.9],
    ["breast-cancer", 0.95],
  ] as const) {
    it(`reaches held-out accuracy >= ${floor} on ${name}`, () => {
      const { x, y } = loadDataset(name);
      const { train, test } = splitMatrix(standardize(x));
      const labels = splitRows(y);
      const mlp = new MLPClassifier({ seed: 0 }).fit(train, labels.train);
      const accuracy = mlp.score(test, labels.test);
      assert.ok(accuracy >= floor, `${name}: ${accuracy}`);
      const proba = mlp.predictProba(test);
      assert.equal(proba.shape[1], mlp.classes.length);
      const again = MLPClassifier.fromJSON(JSON.parse(JSON.stringify(mlp.toJSON())));
      assert.deepEqual(Array.from(again.predictProba(test).data), Array.from(proba.data));
    });
  }
});

describe("MLPRegressor", () => {
  it("fits boston-housing (held-out R^2 > 0.6) reproducibly from its seed", () => {
    const { x, yNumbers } = loadDataset("boston-housing");
    const { train, test } = splitMatrix(standardize(x));
    const targets = splitRows(Array.from(yNumbers));
    const a = new MLPRegressor({ seed: 1, maxIter: 300 }).fit(train, targets.train);
    const b = new MLPRegressor({ seed: 1, maxIter: 300 }).fit(train, targets.train);
    assert.ok(a.score(test, targets.test) > 0.6, `R^2 ${a.score(test, targets.test)}`);
    assert.deepEqual(Array.from(a.predict(test).data), Array.from(b.predict(test).data));
    assert.throws(
      () => new MLPRegressor({ hiddenLayerSizes: [0] }),
      /hiddenLayerSizes\[0\] must be an integer >= 1/,
    );
  });
});
