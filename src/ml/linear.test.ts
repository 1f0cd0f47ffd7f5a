// Tests of ml/logistic-regression, ml/elastic-net, ml/lasso and the k-nearest-neighbours models
// against scikit-learn 1.2 fixtures (test/fixtures/ml/linear.json, from make-fixtures.py).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  loadDataset,
  readFixture,
  splitMatrix,
  splitRows,
  standardize,
} from "../../test/fixtures/ml/datasets.js";
import { ElasticNet } from "./elastic-net.js";
import { KNeighborsClassifier } from "./knn-classifier.js";
import { KNeighborsRegressor } from "./knn-regressor.js";
import { Lasso } from "./lasso.js";
import { LogisticRegression } from "./logistic-regression.js";

interface LinearFixture {
  logistic: Record<
    string,
    { C: number; classes: string[]; coef: number[]; intercept: number[]; trainAccuracy: number }
  >;
  elasticNet: Record<
    string,
    {
      alpha: number;
      l1Ratio: number;
      standardize?: boolean;
      coef: number[];
      intercept: number;
      nIter: number;
    }
  >;
  knn: Record<string, { predictions: (string | number)[]; accuracy?: number; r2?: number }>;
}

const fixture = readFixture<LinearFixture>("linear");

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe("LogisticRegression", () => {
  for (const [name, expected] of Object.entries(fixture.logistic)) {
    it(`coefficients on standardised ${name} match scikit-learn's to 1e-4`, () => {
      const { x, y } = loadDataset(name);
      const xs = standardize(x);
      const clf = new LogisticRegression({ C: expected.C, tol: 1e-8, maxIter: 1000 }).fit(xs, y);
      assert.deepEqual(clf.classes.map(String), expected.classes);
      assert.ok(
        maxDifference(clf.coef.data, expected.coef) < 1e-4,
        `coef differ by ${maxDifference(clf.coef.data, expected.coef)}`,
      );
      assert.ok(maxDifference(clf.intercept, expected.intercept) < 1e-4);
      assert.equal(clf.score(xs, y), expected.trainAccuracy);
    });
  }

  it("gives probabilities that sum to 1, and round-trips through JSON", () => {
    const { x, y } = loadDataset("iris");
    const clf = new LogisticRegression().fit(standardize(x), y);
    const proba = clf.predictProba(standardize(x));
    assert.deepEqual(proba.shape, [150, 3]);
    for (let i = 0; i < 150; i++) {
      const row = proba.data.subarray(i * 3, i * 3 + 3);
      assert.ok(Math.abs(row[0]! + row[1]! + row[2]! - 1) < 1e-12);
    }
    const again = LogisticRegression.fromJSON(JSON.parse(JSON.stringify(clf.toJSON())));
    assert.deepEqual(again.predict(standardize(x)), clf.predict(standardize(x)));
  });

  it("refuses a single class, mismatched lengths and bad options", () => {
    assert.throws(
      () => new LogisticRegression().fit([[1], [2]], ["a", "a"]),
      /needs at least 2 classes \(got 1\)/,
    );
    assert.throws(() => new LogisticRegression().fit([[1], [2]], ["a"]), /y has 1 labels but X has 2 rows/);
    assert.throws(() => new LogisticRegression({ C: 0 }), /C must be a finite number > 0 \(got 0\)/);
    assert.throws(() => new LogisticRegression().predict([[1]]), /not fitted yet/);
  });
});

describe("ElasticNet and Lasso", () => {
  const { x, yNumbers } = loadDataset("boston-housing");
  for (const [name, expected] of Object.entries(fixture.elasticNet)) {
    it(`coordinate descent on ${name} gives scikit-learn's coefficients`, () => {
      const data = expected.standardize ? standardize(x) : x;
      const options = { alpha: expected.alpha, ...(expected.standardize ? {} : { maxIter: 100000 }) };
      const model =
        expected.l1Ratio === 1
          ? new Lasso(options)
          : new ElasticNet({ ...options, l1Ratio: expected.l1Ratio });
      model.fit(data, yNumbers);
      const scale = Math.max(...expected.coef.map(Math.abs));
      assert.ok(
        maxDifference(model.coef, expected.coef) < 1e-6 * scale,
        `coef differ by ${maxDifference(model.coef, expected.coef)}`,
      );
      assert.ok(
        Math.abs(model.intercept - expected.intercept) < 1e-5 * Math.max(1, Math.abs(expected.intercept)),
      );
      assert.equal(model.nIter, expected.nIter);
    });
  }

  it("round-trips through JSON and zeroes coefficients under a strong L1 penalty", () => {
    const lasso = new Lasso({ alpha: 1e3 }).fit(x, yNumbers);
    assert.ok(lasso.coef.every((c) => c === 0));
    const again = Lasso.fromJSON(JSON.parse(JSON.stringify(lasso.toJSON())));
    assert.deepEqual(Array.from(again.predict(x).data), Array.from(lasso.predict(x).data));
    assert.deepEqual(again.getParams(), lasso.getParams());
  });
});

describe("k nearest neighbours", () => {
  for (const name of ["iris", "breast-cancer", "digits"]) {
    for (const weights of ["uniform", "distance"] as const) {
      it(`classifier on ${name} (${weights}) predicts what scikit-learn predicts`, () => {
        const expected = fixture.knn[`${name}-${weights}`]!;
        const { x, y } = loadDataset(name);
        const { train, test } = splitMatrix(standardize(x));
        const labels = splitRows(y);
        const knn = new KNeighborsClassifier({ nNeighbors: 5, weights }).fit(train, labels.train);
        assert.deepEqual(knn.predict(test).map(String), expected.predictions);
        assert.equal(knn.score(test, labels.test), expected.accuracy);
      });
    }
  }

  for (const weights of ["uniform", "distance"] as const) {
    it(`regressor on boston-housing (${weights}) predicts what scikit-learn predicts`, () => {
      const expected = fixture.knn[`boston-housing-${weights}`]!;
      const { x, yNumbers } = loadDataset("boston-housing");
      const { train, test } = splitMatrix(standardize(x));
      const targets = splitRows(Array.from(yNumbers));
      const knn = new KNeighborsRegressor({ weights }).fit(train, targets.train);
      assert.ok(maxDifference(knn.predict(test).data, expected.predictions as number[]) < 1e-9);
      assert.ok(Math.abs(knn.score(test, targets.test) - (expected.r2 ?? Number.NaN)) < 1e-9);
      const again = KNeighborsRegressor.fromJSON(JSON.parse(JSON.stringify(knn.toJSON())));
      assert.deepEqual(Array.from(again.predict(test).data), Array.from(knn.predict(test).data));
    });
  }

  it("refuses more neighbours than training rows", () => {
    const knn = new KNeighborsClassifier({ nNeighbors: 3 }).fit([[0], [1]], [0, 1]);
    assert.throws(() => knn.predict([[0.5]]), /nNeighbors = 3 is more than the 2 training rows/);
  });
});
