// Tests of `tessera train <data.csv> --target COL` (cli/auto-train over ml/auto-train): the task is
// inferred, the leaderboard printed, the best model saved with its preprocessing and loadable, and
// a missing target column is a clear error.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runMain } from "../../test/e2e/fixtures/run-main.js";
import { loadEstimator } from "../io/estimator-file.js";
import { readCsv } from "../io/read-csv.js";
import { autoTrain, inferTask } from "../ml/auto-train.js";
import { TabularModel } from "../ml/tabular-model.js";

const root = mkdtempSync(join(tmpdir(), "tessera-auto-"));
after(() => rmSync(root, { recursive: true, force: true }));
const data = (name: string) => join(import.meta.dirname, "..", "..", "datasets", name);

describe("tessera train --target (zero-config)", () => {
  it("penguins: classification with categorical columns, a leaderboard and a saved model that predicts raw rows", async () => {
    const dir = join(root, "penguins");
    const { code, out, err } = await runMain([
      "train",
      data("penguins.csv"),
      "--target",
      "species",
      "--time-budget",
      "60",
      "--cv",
      "3",
      "--out",
      dir,
    ]);
    assert.equal(code, 0, err);
    assert.match(err, /task: classification \(target "species"\), 344 rows; numeric 5, categorical 2/);
    const lines = out.trim().split("\n");
    assert.match(lines[0]!, /^rank\s+model\s+mean accuracy\s+std\s+seconds\s+note$/);
    assert.equal(lines.length, 6);
    const bestAccuracy = Number(lines[1]!.split(/\s+/)[2]);
    assert.ok(bestAccuracy > 0.95, `best accuracy ${bestAccuracy}`);
    const model = await loadEstimator(dir);
    assert.ok(model instanceof TabularModel);
    const table = await readCsv(data("penguins.csv"));
    const predicted = model.predict(table.head(20));
    const actual = table.head(20).column("species").toArray();
    assert.ok(predicted.filter((p, i) => p === actual[i]).length >= 19);
  });

  it("boston-housing: regression, R^2 leaderboard as JSON", async () => {
    const { code, out, err } = await runMain([
      "train",
      data("boston-housing.csv"),
      "--target",
      "medv",
      "--cv",
      "3",
      "--out",
      join(root, "boston"),
      "--json",
    ]);
    assert.equal(code, 0, err);
    const result = JSON.parse(out) as {
      task: string;
      metric: string;
      leaderboard: { model: string; meanScore: number }[];
    };
    assert.equal(result.task, "regression");
    assert.equal(result.metric, "r2");
    assert.equal(result.leaderboard.length, 4);
    assert.ok(result.leaderboard[0]!.meanScore > 0.7);
  });

  it("a target column that does not exist exits 1 and names the columns", async () => {
    const { code, err } = await runMain([
      "train",
      data("iris.csv"),
      "--target",
      "colour",
      "--out",
      join(root, "x"),
    ]);
    assert.equal(code, 1);
    assert.match(
      err,
      /target column "colour" does not exist \(columns: sepal_length, sepal_width, petal_length, petal_width, species\)/,
    );
  });

  it("infers the task from the target column and skips candidates past the budget", async () => {
    const iris = await readCsv(data("iris.csv"));
    assert.equal(inferTask(iris, "species"), "classification");
    assert.equal(inferTask(iris, "sepal_length"), "regression");
    const result = autoTrain(iris, { target: "species", timeBudgetSeconds: 1e-9, cv: 3 });
    assert.equal(result.leaderboard.filter((r) => r.note.startsWith("skipped")).length, 3);
  });
});
