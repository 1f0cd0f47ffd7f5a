// io/model-card tests: a card given to save is stored in model.json with the metrics, privacy and
// schema filled from the file, survives load + save, is validated on both sides, and renders to
// Markdown and to inspect's text.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FormatError, ValueError } from "../core/errors.js";
import { sequential } from "../models/sequential.js";
import * as layers from "../nn/layers/index.js";
import { loadModelBundle } from "./load-model.js";
import { modelCard } from "./model-card.js";
import { cardLines, cardMarkdown } from "./model-card-format.js";
import { saveModel } from "./save-model.js";

const fairness = {
  sensitive: ["sex"],
  task: "binary",
  metrics: ["count", "selection_rate"],
  groups: [
    { group: "female", values: { sex: "female" }, rows: 10, metrics: { count: 10, selection_rate: 0.3 } },
    { group: "male", values: { sex: "male" }, rows: 12, metrics: { count: 12, selection_rate: 0.5 } },
  ],
  summary: { demographicParityDifference: 0.2, passesFourFifths: false },
};

const card = modelCard({
  description: "Flags penguins for a second look",
  intendedUse: "Field researchers, as a hint",
  outOfScope: "Any decision about people",
  data: { training: "datasets/penguins.csv, 2007-2009" },
  limitations: ["Three species only", "Palmer archipelago only"],
  fairness: [fairness],
  owners: ["Tessera team"],
});

async function saved(options: Parameters<typeof saveModel>[2]) {
  const dir = join(mkdtempSync(join(tmpdir(), "tessera-card-")), "model");
  const model = sequential([layers.dense({ units: 2, inputShape: [3] })]);
  await saveModel(model, dir, options);
  return { dir, model };
}

test("save stores the card with metrics, privacy and schema filled from the file", async () => {
  const privacy = { epsilon: 2.9, delta: 1e-5, noiseMultiplier: 1.1, accountant: "rdp" };
  const { dir } = await saved({
    card,
    metrics: { test_accuracy: 0.93 },
    target: ["species"],
    labels: ["a", "b"],
    metadata: { privacy },
  });
  const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
  assert.deepEqual(json.card.metrics, { test_accuracy: 0.93 });
  assert.deepEqual(json.card.privacy, privacy);
  assert.deepEqual(json.card.schema, { columns: null, target: ["species"], labels: ["a", "b"] });
  assert.equal(json.card.intendedUse, "Field researchers, as a hint");

  const bundle = await loadModelBundle(dir);
  assert.deepEqual(JSON.parse(JSON.stringify(bundle.file.card)), json.card); // strict JSON: null prototypes
  // Loaded, then saved again with new metrics: the card is carried and its metrics refilled.
  const again = join(mkdtempSync(join(tmpdir(), "tessera-card-")), "model");
  await saveModel(bundle.model, again, { metrics: { test_accuracy: 0.95 } });
  const second = JSON.parse(readFileSync(join(again, "model.json"), "utf8"));
  assert.deepEqual(second.card.metrics, { test_accuracy: 0.95 });
  assert.deepEqual(second.card.limitations, card.limitations);

  const none = await saved({});
  assert.equal((await loadModelBundle(none.dir)).file.card, null);
});

test("bad cards: a ValueError from modelCard, a FormatError from a hand-edited model.json", async () => {
  assert.throws(
    () => modelCard({ intendedUse: 3 } as never),
    (e: Error) => e instanceof ValueError && /card.intendedUse must be a string/.test(e.message),
  );
  assert.throws(() => modelCard({ purpose: "x" } as never), /card.purpose is not a card field/);
  assert.throws(() => modelCard({ metrics: { a: 1 } } as never), /card.metrics is filled in by save/);
  assert.throws(
    () => modelCard({ fairness: [{ sensitive: "sex", groups: [] }] } as never),
    /card.fairness\[0\].sensitive must be a list/,
  );
  const { dir } = await saved({ card });
  const path = join(dir, "model.json");
  const json = JSON.parse(readFileSync(path, "utf8"));
  json.card.limitations = "none";
  writeFileSync(path, JSON.stringify(json));
  await assert.rejects(
    loadModelBundle(dir),
    (e: Error) => e instanceof FormatError && /"card.limitations" must be a list of strings/.test(e.message),
  );
});

test("the card as Markdown and as inspect's text", async () => {
  const { dir } = await saved({
    card,
    metrics: { test_accuracy: 0.9312345 },
    metadata: { privacy: { epsilon: 3, delta: 1e-5 } },
  });
  const stored = (await loadModelBundle(dir)).file.card!;
  const md = cardMarkdown(stored, "penguins");
  assert.match(md, /^# Model card: penguins\n\n## Description\n\nFlags penguins for a second look\n/);
  assert.match(
    md,
    /## Intended use\n\nField researchers, as a hint\n\nOut of scope: Any decision about people\n/,
  );
  assert.match(md, /\| test_accuracy \| 0\.9312 \|/);
  assert.match(
    md,
    /### by sex \(binary\)\n\n\| group \| count \| selection_rate \|\n\| --- \| --- \| --- \|\n\| female \| 10 \| 0\.3 \|\n\| male \| 12 \| 0\.5 \|/,
  );
  assert.match(md, /- demographicParityDifference: 0\.2\n- passesFourFifths: no/);
  assert.match(md, /## Privacy\n\n\(epsilon 3, delta 0\.00001\)-differential privacy\n/);
  assert.match(md, /## Limitations\n\n- Three species only\n- Palmer archipelago only\n/);
  const text = cardLines(stored).join("\n");
  assert.match(text, /^Card:\n {2}description: Flags penguins/);
  assert.match(
    text,
    /fairness by sex \(binary\):\n {4}group {3}count {2}selection_rate\n {4}female {2}10 {5}0\.3/,
  );
  assert.match(text, /privacy: \(epsilon 3, delta 0\.00001\)-differential privacy/);
});
