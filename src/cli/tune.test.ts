// Tests of `tessera tune <spec.json>` (cli/tune over ml/search): a grid search prints its results
// table and saves a loadable best model; a random search is seeded; the preprocessing is fitted
// inside each fold (the scores equal a by-hand per-fold fit, not an all-rows fit); --workers and
// --resume give the same results; hyperband runs from a spec; bad specs (empty range, unknown
// estimator, missing target) exit 1 with a message naming the field.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runMain } from "../../test/e2e/fixtures/run-main.js";
import { kFold } from "../data/split/kfold.js";
import { loadEstimator } from "../io/estimator-file.js";
import { readCsv } from "../io/read-csv.js";
import { Ridge } from "../ml/ridge.js";
import { featureColumns, preprocessFor } from "../ml/tabular-features.js";
import { featuresOf, TabularModel } from "../ml/tabular-model.js";

const root = mkdtempSync(join(tmpdir(), "tessera-tune-"));
after(() => rmSync(root, { recursive: true, force: true }));
const datasets = join(import.meta.dirname, "..", "..", "datasets");

async function tune(spec: object, extra: string[] = []): Promise<{ code: number; out: string; err: string }> {
  const path = join(root, `spec-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(spec));
  return runMain(["tune", path, ...extra]);
}

describe("tessera tune", () => {
  it("grid-searches C of a logistic regression on iris and saves the best model", async () => {
    const out = join(root, "iris");
    const r = await tune({
      data: join(datasets, "iris.csv"),
      target: "species",
      estimator: "LogisticRegression",
      search: "grid",
      space: { C: { choice: [0.01, 1, 10] } },
      out,
    });
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split("\n");
    assert.match(lines[0]!, /^rank\s+C\s+mean score\s+std\s+fit s/);
    assert.equal(lines.length, 5);
    assert.match(lines[4]!, /^best: \{"C":\d+(\.\d+)?\} \(mean accuracy 0\.9\d+\), saved to /);
    const model = await loadEstimator(out);
    assert.ok(model instanceof TabularModel);
    assert.deepEqual(
      model.predict([{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }]),
      ["setosa"],
    );
  });

  it("random-searches ridge's alpha on boston-housing reproducibly (--json)", async () => {
    const spec = {
      data: join(datasets, "boston-housing.csv"),
      target: "medv",
      estimator: "Ridge",
      search: "random",
      nIter: 3,
      seed: 4,
      space: { alpha: { logUniform: [0.01, 100] } },
      out: join(root, "boston"),
    };
    type Result = { task: string; results: { params: { alpha: number }; meanScore: number; rank: number }[] };
    const a = JSON.parse((await tune(spec, ["--json"])).out) as Result;
    const b = JSON.parse((await tune(spec, ["--json"])).out) as Result;
    assert.equal(a.task, "regression");
    assert.equal(a.results.length, 3);
    const summary = (r: Result) =>
      r.results.map(({ params, meanScore, rank }) => ({ params, meanScore, rank }));
    assert.deepEqual(summary(a), summary(b));
    for (const r of a.results) assert.ok(r.params.alpha >= 0.01 && r.params.alpha < 100);
  });

  it("fits the preprocessing inside each fold (no statistic of the held-out rows leaks)", async () => {
    const data = join(datasets, "boston-housing.csv");
    const spec = { data, target: "medv", estimator: "Ridge", search: "grid", cv: 3, seed: 0 };
    const r = await tune({ ...spec, space: { alpha: { choice: [30] } }, out: join(root, "leak") }, [
      "--json",
    ]);
    assert.equal(r.code, 0, r.err);
    const got = (JSON.parse(r.out) as { results: { foldScores: number[] }[] }).results[0]!.foldScores;
    // By hand: the scaler fitted on each fold's training rows only, or (leaking) on every row.
    const table = await readCsv(data);
    const { numeric, categorical } = featureColumns(table, "medv");
    const y = Float64Array.from(table.column("medv").toArray() as number[]);
    const everyRow = preprocessFor(numeric, categorical).fit(table);
    const scores = (leak: boolean) =>
      kFold(table.numRows, { nSplits: 3, shuffle: true, seed: 0 }).map(([train, test]) => {
        const p = leak ? everyRow : preprocessFor(numeric, categorical).fit(table.take(train));
        const model = new Ridge({ alpha: 30 }).fit(
          featuresOf(p, table.take(train)),
          y.filter((_, i) => train.includes(i)),
        );
        return model.score(
          featuresOf(p, table.take(test)),
          y.filter((_, i) => test.includes(i)),
        );
      });
    const honest = scores(false);
    const leaky = scores(true);
    assert.ok(
      Math.max(...honest.map((h, i) => Math.abs(h - leaky[i]!))) > 1e-6,
      "the data set must tell them apart",
    );
    for (let f = 0; f < 3; f++)
      assert.ok(Math.abs(got[f]! - honest[f]!) < 1e-12, `fold ${f}: ${got[f]} vs ${honest[f]}`);
  });

  it("--workers 2 scores as one thread does; --resume runs no finished trial again", async () => {
    const spec = {
      data: join(datasets, "iris.csv"),
      target: "species",
      estimator: "KNeighborsClassifier",
      search: "grid",
      cv: 3,
      space: { nNeighbors: { choice: [1, 5, 15] }, weights: { choice: ["uniform", "distance"] } },
      out: join(root, "iris-knn"),
    };
    type Run = {
      results: { params: object; foldScores: number[] }[];
      trials: { run: number; resumed: number };
    };
    const scoresOf = (run: Run) => run.results.map((x) => [x.params, x.foldScores]);
    const one = JSON.parse((await tune(spec, ["--json"])).out) as Run;
    const two = JSON.parse((await tune(spec, ["--json", "--workers", "2"])).out) as Run;
    assert.equal(two.trials.run, 18);
    assert.deepEqual(scoresOf(two), scoresOf(one));
    const resumed = JSON.parse((await tune(spec, ["--json", "--resume"])).out) as Run;
    assert.deepEqual(resumed.trials, { ...resumed.trials, run: 0, resumed: 18 });
    assert.deepEqual(scoresOf(resumed), scoresOf(one));
    const changed = await tune({ ...spec, cv: 4 }, ["--resume"]);
    assert.equal(changed.code, 1);
    assert.match(changed.err, /was written by a different search/);
  });

  it("runs hyperband with boosting iterations as the resource", async () => {
    const r = await tune(
      {
        data: join(datasets, "iris.csv"),
        target: "species",
        estimator: "HistGradientBoostingClassifier",
        search: "hyperband",
        cv: 3,
        params: { earlyStopping: false },
        resource: { param: "maxIter", max: 9 },
        space: { learningRate: { choice: [0.05, 0.3] } },
        out: join(root, "iris-hb"),
      },
      ["--json"],
    );
    assert.equal(r.code, 0, r.err);
    const parsed = JSON.parse(r.out) as {
      results: { params: { maxIter: number } }[];
      bestParams: { maxIter: number };
    };
    assert.equal(parsed.results.length, 5);
    assert.equal(parsed.bestParams.maxIter, 9);
    const model = await loadEstimator(join(root, "iris-hb"));
    assert.ok(model instanceof TabularModel);
  });

  it("refuses an empty range, an unknown estimator and a missing target column", async () => {
    const data = join(datasets, "iris.csv");
    const empty = await tune({
      data,
      target: "species",
      estimator: "LogisticRegression",
      space: { C: { uniform: [1, 1] } },
    });
    assert.equal(empty.code, 1);
    assert.match(empty.err, /uniform: expected finite low < high \(got 1 and 1\); the range is empty/);
    const unknown = await tune({ data, target: "species", estimator: "Magic", space: {} });
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /"estimator" must be one of LogisticRegression/);
    const missing = await tune({
      data,
      target: "colour",
      estimator: "Ridge",
      space: { alpha: { choice: [1] } },
    });
    assert.equal(missing.code, 1);
    assert.match(missing.err, /target column "colour" does not exist/);
  });
});
