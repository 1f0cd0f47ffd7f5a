// Tests of ml/search-halving's Hyperband (bracket shapes from Li et al. 2018 with rows and with an
// epochs-like parameter as the resource, survivors are each round's best, seeded) and of the
// search's resumable path (fitAsync with a TrialStore runs only the trials the store lacks and
// ranks the same results).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadDataset, standardize } from "../../test/fixtures/ml/datasets.js";
import { HistGradientBoostingClassifier } from "./hist-gradient-boosting-classifier.js";
import { LogisticRegression, type LogisticRegressionOptions } from "./logistic-regression.js";
import { RandomSearch, type SearchResult } from "./search.js";
import { Hyperband } from "./search-halving.js";
import { choice, logUniform } from "./search-space.js";
import type { TrialOutcome, TrialStore } from "./search-trials.js";

const { x, y } = loadDataset("iris");
const xs = standardize(x);
const logistic = (p: object) => new LogisticRegression(p as LogisticRegressionOptions);

const topOf = (results: SearchResult[], k: number) =>
  [...results]
    .sort((a, b) => b.meanScore - a.meanScore)
    .slice(0, k)
    .map((r) => r.params.C);

describe("Hyperband", () => {
  it("rows: brackets s = 1, 0 on iris (R = 150 rows, at least 30, eta = 3)", () => {
    const run = () =>
      new Hyperband({ estimator: logistic, space: { C: logUniform(1e-4, 1e2) }, seed: 3, shuffle: true }).fit(
        xs,
        y,
      );
    const search = run();
    // sMax = 1 (30 * 3 <= 150 < 30 * 9). Bracket 1: 3 candidates on 50 rows, the best on 150.
    // Bracket 0: ceil(2 / 1 * 1) = 2 candidates on all 150 rows.
    const shape = search.brackets.map((b) => b.rounds.map((r) => `${r.resource}:${r.results.length}`));
    assert.deepEqual(shape, [["50:3", "150:1"], ["150:2"]]);
    const first = search.brackets[0]!.rounds;
    assert.deepEqual(
      first[1]!.results.map((r) => r.params.C),
      topOf(first[0]!.results, 1),
    );
    // The final rounds of both brackets are ranked together.
    assert.equal(search.results.length, 3);
    assert.equal(search.bestScore, Math.max(...search.results.map((r) => r.meanScore)));
    assert.deepEqual(
      run().results.map((r) => [r.params.C, r.meanScore]),
      search.results.map((r) => [r.params.C, r.meanScore]),
    );
    assert.ok(search.bestEstimator instanceof LogisticRegression);
  });

  it("epochs: boosting iterations grow 1 -> 3 -> 9 in the widest bracket", () => {
    const search = new Hyperband({
      estimator: (p) => new HistGradientBoostingClassifier({ earlyStopping: false, ...p }),
      space: { learningRate: choice([0.05, 0.1, 0.3]), maxLeafNodes: choice([4, 8, 31]) },
      resource: { param: "maxIter", max: 9 },
      cv: 3,
      seed: 1,
      shuffle: true,
    }).fit(xs, y);
    // sMax = 2: brackets of 9, 5 and 3 candidates (ceil(3/(s+1) * 3^s)).
    const shape = search.brackets.map((b) => b.rounds.map((r) => `${r.resource}:${r.results.length}`));
    assert.deepEqual(shape, [["1:9", "3:3", "9:1"], ["3:5", "9:1"], ["9:3"]]);
    for (const b of search.brackets)
      for (const r of b.rounds) for (const res of r.results) assert.equal(res.params.maxIter, r.resource);
    assert.equal(search.results.length, 5);
    assert.equal(search.bestParams.maxIter, 9);
    assert.match(
      search.table().split("\n")[0]!,
      /^rank\s+learningRate\s+maxLeafNodes\s+maxIter\s+mean score/,
    );
    const first = search.brackets[0]!.rounds;
    const key = (p: SearchResult["params"]) => `${p.learningRate}/${p.maxLeafNodes}`;
    const best3 = [...first[0]!.results].sort((a, b) => b.meanScore - a.meanScore).slice(0, 3);
    assert.deepEqual(
      first[1]!.results.map((r) => key(r.params)),
      best3.map((r) => key(r.params)),
    );
  });

  it("refuses an empty resource range and a resource that is also searched", () => {
    const space = { C: logUniform(1e-2, 1) };
    assert.throws(
      () => new Hyperband({ estimator: logistic, space, resource: { param: "maxIter", max: 1 } }),
      /1 <= min < max \(got min 1, max 1\); the range is empty/,
    );
    assert.throws(
      () => new Hyperband({ estimator: logistic, space, resource: { param: "C", max: 9 } }),
      /"C" is the resource; remove it from the search space/,
    );
  });
});

/** A TrialStore in memory, counting puts. */
function memoryStore(
  initial: Map<string, TrialOutcome> = new Map(),
): TrialStore & { map: Map<string, TrialOutcome> } {
  const map = new Map(initial);
  return { map, get: (k) => map.get(k), put: async (k, o) => void map.set(k, o) };
}

describe("resumable search (fitAsync with a TrialStore)", () => {
  const make = () =>
    new RandomSearch({
      estimator: logistic,
      space: { C: logUniform(1e-3, 1e2) },
      nIter: 4,
      cv: 3,
      seed: 5,
      shuffle: true,
    });

  it("runs only the missing trials and ranks the same results as an uninterrupted run", async () => {
    const plain = make().fit(xs, y);
    const store = memoryStore();
    const first = await make().fitAsync(xs, y, { store });
    assert.equal(first.trialsRun, 12);
    assert.equal(store.map.size, 12);
    assert.deepEqual(
      first.results.map((r) => r.foldScores),
      plain.results.map((r) => r.foldScores),
    );
    // As if the run had stopped after 7 trials: the other 5 are run again, nothing else.
    const partial = memoryStore(new Map([...store.map].slice(0, 7)));
    const resumed = await make().fitAsync(xs, y, { store: partial });
    assert.equal(resumed.trialsRun, 5);
    assert.equal(resumed.table().replace(/ [\d.]+$/gm, ""), first.table().replace(/ [\d.]+$/gm, ""));
    assert.deepEqual(resumed.bestParams, plain.bestParams);
    // Everything stored: nothing runs.
    const again = await make().fitAsync(xs, y, { store: partial });
    assert.equal(again.trialsRun, 0);
    assert.equal(again.table(), resumed.table());
  });
});
