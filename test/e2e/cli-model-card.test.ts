// The model card through the real CLI: `tessera train` with a "card" block on the real penguins
// data (datasets/penguins.csv), `tessera evaluate --sensitive sex --record` adding the figures by
// group, `tessera inspect` printing the card and `--card` writing it as Markdown.
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { saveModel } from "../../src/io/save-model.js";
import { sequential } from "../../src/models/sequential.js";
import * as layers from "../../src/nn/layers/index.js";
import { ROOT } from "./fixtures/cli-process.js";
import { runMain, trainSpec } from "./fixtures/run-main.js";

describe("model card through the CLI", () => {
  let dir: string;
  let model: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-card-cli-"));
    copyFileSync(join(ROOT, "datasets", "penguins.csv"), join(dir, "penguins.csv"));
    const spec = {
      name: "penguins-card",
      seed: 5,
      data: { path: "penguins.csv", target: "species" },
      model: { layers: [{ type: "dense", units: 8, activation: "relu" }] },
      compile: { optimizer: { type: "adam", learningRate: 0.05 } },
      fit: { epochs: 3, batchSize: 32 },
      card: {
        description: "Tells the three Palmer penguin species apart from body measurements",
        intendedUse: "Teaching and demonstrations",
        limitations: ["Adelie, Chinstrap and Gentoo only"],
      },
    };
    const trained = await trainSpec(dir, spec);
    assert.equal(trained.code, 0, trained.err);
    model = join(dir, "run", "model");
  });

  test("train stores the card with the recorded metrics and the data described", () => {
    const card = JSON.parse(readFileSync(join(model, "model.json"), "utf8")).card;
    assert.equal(card.intendedUse, "Teaching and demonstrations");
    const metrics = JSON.parse(readFileSync(join(model, "model.json"), "utf8")).metrics;
    assert.deepEqual(card.metrics, metrics);
    assert.ok(typeof card.metrics.test_accuracy === "number");
    assert.match(card.data.training, /^penguins\.csv: \d+ rows for training, \d+ rows for validation$/);
    assert.deepEqual(card.schema.target, ["species"]);
    assert.deepEqual(card.schema.labels, ["Adelie", "Chinstrap", "Gentoo"]);
    assert.equal(card.privacy, null);
  });

  test("evaluate --sensitive --record adds the figures by group; inspect prints and exports the card", async () => {
    const bad = await runMain(["evaluate", model, join(dir, "penguins.csv"), "--record"]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--record needs --sensitive/);
    const evaluated = await runMain([
      "evaluate",
      model,
      join(dir, "penguins.csv"),
      "--sensitive",
      "sex",
      "--record",
      "--json",
    ]);
    assert.equal(evaluated.code, 0, evaluated.err);
    const fairness = JSON.parse(evaluated.out).fairness;
    const card = JSON.parse(readFileSync(join(model, "model.json"), "utf8")).card;
    assert.deepEqual(card.fairness, [{ ...fairness, data: `${join(dir, "penguins.csv")} (344 rows)` }]);
    // Recording again over the same columns replaces, not appends.
    assert.equal(
      (await runMain(["evaluate", model, join(dir, "penguins.csv"), "--sensitive", "sex", "--record"])).code,
      0,
    );
    assert.equal(JSON.parse(readFileSync(join(model, "model.json"), "utf8")).card.fairness.length, 1);

    const inspected = await runMain(["inspect", model, "--card", join(dir, "card.md")]);
    assert.equal(inspected.code, 0, inspected.err);
    assert.match(inspected.out, /\nCard:\n {2}description: Tells the three Palmer penguin species/);
    assert.match(
      inspected.out,
      /\n {2}fairness by sex \(multiclass\), on .*penguins\.csv \(344 rows\):\n {4}group +count +accuracy\n {4}\(missing\) +11 +[\d.]+\n {4}female +165 +[\d.]+\n {4}male +168 /,
    );
    assert.match(inspected.out, /privacy: no differential privacy guarantee recorded/);
    const markdown = readFileSync(join(dir, "card.md"), "utf8");
    assert.match(markdown, /^# Model card: penguins-card\n/);
    assert.match(markdown, /## Metrics\n\n\| metric \| value \|\n\| --- \| --- \|\n\| test_accuracy \| /);
    assert.match(
      markdown,
      /## Fairness\n\n### by sex \(multiclass\), on .*penguins\.csv \(344 rows\)\n\n\| group \| count \| accuracy \|/,
    );
    assert.match(markdown, /## Limitations\n\n- Adelie, Chinstrap and Gentoo only\n/);
    const json = JSON.parse((await runMain(["inspect", model, "--json"])).out);
    assert.deepEqual(json.card.fairness[0].groups, fairness.groups);
  });

  test("inspect --card on a model without a card exits 1 and says so", async () => {
    const plain = join(dir, "plain");
    await saveModel(sequential([layers.dense({ units: 1, inputShape: [2] })]), plain);
    const run = await runMain(["inspect", plain, "--card", join(dir, "none.md")]);
    assert.equal(run.code, 1);
    assert.match(run.err, /has no model card \(save it with \{ card \} or a "card" block in the spec\)/);
  });
});
