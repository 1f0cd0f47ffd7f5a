// Tests of `tessera tune <spec.json>` (cli/tune over ml/search): a grid search prints its results
// table and saves a loadable best model; a random search is seeded; bad specs (empty range,
// unknown estimator, missing target) exit 1 with a message naming the field.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runMain } from "../../test/e2e/fixtures/run-main.js";
import { loadEstimator } from "../io/estimator-file.js";
import { TabularModel } from "../ml/tabular-model.js";

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
