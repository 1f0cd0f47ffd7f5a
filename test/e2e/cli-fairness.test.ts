// `tessera evaluate --sensitive`: a model trained by `tessera train` on the AER CreditCard data
// (examples/fairness-credit), evaluated by home ownership; the per-group figures are checked against
// a plain count over the model's own predictions, and the --json document against its schema.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { ModelPredictor } from "../../src/io/predictor.js";
import { readCsv } from "../../src/io/read-csv.js";
import { ROOT } from "./fixtures/cli-process.js";
import { assertResultSchema } from "./fixtures/result-schema.js";
import { runMain, trainSpec } from "./fixtures/run-main.js";

describe("tessera evaluate --sensitive", () => {
  let dir: string;
  /** `tessera evaluate` of the trained model on the data file, with extra options. */
  const evaluate = (...options: string[]) =>
    runMain(["evaluate", join(dir, "run", "model"), join(dir, "data.csv"), ...options]);
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-fairness-"));
    // 400 rows of the real data, without the two columns that leak the label (see the example's README).
    const lines = readFileSync(join(ROOT, "examples", "fairness-credit", "credit-card.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(0, 401)
      .map((line) =>
        line
          .split(",")
          .filter((_, c) => c !== 4 && c !== 5)
          .join(","),
      );
    writeFileSync(join(dir, "data.csv"), `${lines.join("\n")}\n`);
    const spec = {
      name: "credit-small",
      seed: 3,
      data: { path: "data.csv", target: "card" },
      split: { test: 0.2 },
      model: { layers: [{ type: "dense", units: 8, activation: "relu" }] },
      compile: { optimizer: { type: "adam", learningRate: 0.05 } },
      fit: { epochs: 4, batchSize: 32 },
    };
    const trained = await trainSpec(dir, spec);
    assert.equal(trained.code, 0, trained.err);
  });

  test("--json: a fairness field that matches the schema and a plain count of the predictions", async () => {
    const { code, out, err } = await evaluate("--sensitive", "owner", "--json");
    assert.equal(code, 0, err);
    const result = JSON.parse(out);
    assertResultSchema("evaluate", result);
    const fairness = result.fairness;
    assert.equal(fairness.task, "binary");
    assert.equal(fairness.positiveLabel, "yes");
    assert.deepEqual(
      fairness.groups.map((g: { group: string }) => g.group),
      ["no", "yes"],
    );
    // Independent count: the predicted label of each row from the model loaded in-process.
    const table = await readCsv(join(dir, "data.csv"));
    const predictor = await ModelPredictor.load(join(dir, "run", "model"));
    const labels = predictor.labelsOf(predictor.predictTable(table)[0]!)!;
    const owner = table.column("owner").toArray();
    const card = table.column("card").toArray();
    for (const group of fairness.groups) {
      let rows = 0;
      let selected = 0;
      let correct = 0;
      for (let r = 0; r < table.numRows; r++) {
        if (owner[r] !== group.group) continue;
        rows++;
        if (labels[r] === "yes") selected++;
        if (labels[r] === card[r]) correct++;
      }
      assert.equal(group.rows, rows);
      assert.ok(Math.abs(group.metrics.selection_rate - selected / rows) < 1e-12);
      assert.ok(Math.abs(group.metrics.accuracy - correct / rows) < 1e-12);
    }
    const [no, yes] = fairness.groups;
    const gap = Math.abs(no.metrics.selection_rate - yes.metrics.selection_rate);
    assert.ok(Math.abs(fairness.summary.demographicParityDifference - gap) < 1e-12);
    assert.equal(fairness.summary.passesFourFifths, fairness.summary.disparateImpact >= 0.8);
  });

  test("the text table and the errors", async () => {
    const text = await evaluate("--sensitive", "owner", "--sensitive", "selfemp", "--positive", "no");
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^by owner, selfemp:$/m);
    assert.match(text.out, /^no, no\s+\d+\s+0\.\d{3}/m);
    assert.match(text.out, /positive label: no/);
    assert.match(text.out, /disparate impact \d\.\d{3} \(four-fifths rule: (passes|fails, below 0\.8)\)/);
    const missing = await evaluate("--sensitive", "sex");
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no sensitive column "sex" \(columns: card, reports, age/);
    const label = await evaluate("--sensitive", "owner", "--positive", "maybe");
    assert.equal(label.code, 2);
    assert.match(label.err, /--positive "maybe" is not one of the model's labels \(no, yes\)/);
  });
});
