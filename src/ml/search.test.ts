// Tests of ml/search and ml/search-space: GridSearch reproduces scikit-learn 1.2's GridSearchCV
// mean fold scores (test/fixtures/ml/search.json; unshuffled stratified / plain 5-fold as its
// cv=5), RandomSearch is seeded, and empty ranges are refused.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadDataset, readFixture, standardize } from "../../test/fixtures/ml/datasets.js";
import { Generator } from "../core/random.js";
import { KNeighborsClassifier, type KNeighborsOptions } from "./knn-classifier.js";
import { LogisticRegression, type LogisticRegressionOptions } from "./logistic-regression.js";
import { Ridge, type RidgeOptions } from "./ridge.js";
import { GridSearch, RandomSearch, type SearchResult } from "./search.js";
import { HalvingSearch } from "./search-halving.js";
import { choice, intUniform, logUniform, uniform } from "./search-space.js";

interface SearchFixture {
  [name: string]: { params: Record<string, number | string>; meanScore: number; rank: number }[];
}

const fixture = readFixture<SearchFixture>("search");

function checkAgainst(
  search: { results: SearchResult[]; bestScore: number },
  expected: SearchFixture[string],
): void {
  assert.equal(search.results.length, expected.length);
  for (const row of expected) {
    const mine = search.results.find((r) => JSON.stringify(r.params) === JSON.stringify(row.params));
    assert.ok(mine, `candidate ${JSON.stringify(row.params)} missing`);
    assert.ok(
      Math.abs(mine.meanScore - row.meanScore) < 1e-12,
      `${JSON.stringify(row.params)}: ${mine.meanScore} vs ${row.meanScore}`,
    );
  }
  const bestScore = Math.max(...expected.map((r) => r.meanScore));
  assert.ok(Math.abs(search.bestScore - bestScore) < 1e-12);
}

describe("GridSearch", () => {
  it("k-NN on iris: the mean CV accuracy of every candidate equals GridSearchCV's", () => {
    const { x, y } = loadDataset("iris");
    const search = new GridSearch({
      estimator: (p) => new KNeighborsClassifier(p as KNeighborsOptions),
      space: { nNeighbors: choice([1, 5, 15]), weights: choice(["uniform", "distance"]) },
    }).fit(standardize(x), y);
    checkAgainst(search, fixture["knn-iris"]!);
    assert.ok(search.bestEstimator instanceof KNeighborsClassifier);
    const table = search.table();
    assert.match(table.split("\n")[0]!, /^rank\s+nNeighbors\s+weights\s+mean score\s+std\s+fit s/);
    assert.equal(table.split("\n").length, 7);
  });

  it("ridge on boston-housing: the mean CV R^2 of every alpha equals GridSearchCV's", () => {
    const { x, yNumbers } = loadDataset("boston-housing");
    const search = new GridSearch({
      estimator: (p) => new Ridge(p as RidgeOptions),
      space: { alpha: choice([0.1, 1, 10, 100]) },
    }).fit(x, yNumbers);
    checkAgainst(search, fixture["ridge-boston"]!);
    assert.equal(search.bestParams.alpha, fixture["ridge-boston"]!.find((r) => r.rank === 1)!.params.alpha);
  });

  it("refuses a continuous range", () => {
    const search = new GridSearch({
      estimator: (p) => new Ridge(p as RidgeOptions),
      space: { alpha: uniform(0, 1) },
    });
    assert.throws(
      () => search.fit([[1], [2], [3], [4], [5]], Float64Array.of(1, 2, 3, 4, 5)),
      /"alpha" is a continuous uniform range/,
    );
  });
});

describe("RandomSearch", () => {
  it("draws the same candidates from the same seed and ranks them by mean score", () => {
    const { x, y } = loadDataset("iris");
    const xs = standardize(x);
    const run = (seed: number) =>
      new RandomSearch({
        estimator: (p) => new LogisticRegression(p as LogisticRegressionOptions),
        space: { C: logUniform(1e-3, 1e2) },
        nIter: 4,
        seed,
        shuffle: true,
      }).fit(xs, y);
    const a = run(7);
    const b = run(7);
    assert.equal(a.results.length, 4);
    assert.deepEqual(
      a.results.map((r) => r.params),
      b.results.map((r) => r.params),
    );
    assert.deepEqual(
      a.results.map((r) => r.meanScore),
      b.results.map((r) => r.meanScore),
    );
    for (const r of a.results) assert.ok((r.params.C as number) >= 1e-3 && (r.params.C as number) < 1e2);
    const best = a.results.find((r) => r.rank === 1)!;
    assert.ok(a.results.every((r) => r.meanScore <= best.meanScore));
  });
});

describe("HalvingSearch", () => {
  it("halves the candidates each round on a growing subsample, ending on every row", () => {
    const { x, y } = loadDataset("iris");
    const xs = standardize(x);
    const run = () =>
      new HalvingSearch({
        estimator: (p) => new LogisticRegression(p as LogisticRegressionOptions),
        space: { C: logUniform(1e-4, 1e2) },
        nIter: 9,
        factor: 3,
        seed: 2,
        shuffle: true,
      }).fit(xs, y);
    const search = run();
    // 9 -> 3 -> 1 candidates on 30 rows (2 per fold and class), then 50, then all 150.
    const shape = search.rounds.map((r) => `${r.resource}:${r.results.length}`);
    assert.deepEqual(shape, ["30:9", "50:3", "150:1"]);
    const bestOf = (results: SearchResult[], k: number) =>
      [...results]
        .sort((p, q) => q.meanScore - p.meanScore)
        .slice(0, k)
        .map((r) => r.params.C);
    assert.deepEqual(
      search.rounds[1]!.results.map((r) => r.params.C),
      bestOf(search.rounds[0]!.results, 3),
    );
    assert.deepEqual([search.bestParams.C], bestOf(search.rounds[1]!.results, 1));
    assert.deepEqual(
      run().results.map((r) => r.meanScore),
      search.results.map((r) => r.meanScore),
    );
    assert.ok(search.bestEstimator instanceof LogisticRegression);
  });
});

describe("search spaces", () => {
  it("sample inside their ranges and refuse empty ones", () => {
    const rng = new Generator(1);
    for (let i = 0; i < 100; i++) {
      const v = intUniform(2, 4).sample(rng) as number;
      assert.ok(Number.isInteger(v) && v >= 2 && v <= 4);
    }
    assert.deepEqual(intUniform(2, 4).values(), [2, 3, 4]);
    assert.throws(() => uniform(1, 1), /expected finite low < high \(got 1 and 1\); the range is empty/);
    assert.throws(() => logUniform(0, 1), /low must be > 0/);
    assert.throws(() => intUniform(5, 4), /the range is empty/);
    assert.throws(() => choice([]), /non-empty list/);
  });
});
