// Differentially private training end to end: `tessera train` with a fit.privacy block on the real
// breast-cancer data records the guarantee in model.json (metadata.privacy, and the model card's
// privacy field) and epsilon in history.json; a bad block is refused with its path; a library fit
// with { privacy } saves metadata.privacy. (A model loaded and saved again does not repeat the claim:
// only the process that ran the private fit writes it.)
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import * as ts from "../../src/index.js";
import { ROOT } from "./fixtures/cli-process.js";
import { runMain, trainSpec } from "./fixtures/run-main.js";

test("tessera train with fit.privacy: metadata.privacy, the card's privacy and epsilon per epoch", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-privacy-cli-"));
  copyFileSync(join(ROOT, "datasets", "breast-cancer.csv"), join(dir, "cancer.csv"));
  const spec = {
    name: "private-cancer",
    seed: 3,
    data: { path: "cancer.csv", target: "diagnosis" },
    split: { test: 0.2, validation: 0 },
    model: { layers: [{ type: "dense", units: 8, activation: "relu" }] },
    compile: { optimizer: { type: "sgd", learningRate: 0.05 } },
    fit: { epochs: 3, batchSize: 32, privacy: { targetEpsilon: 2, l2NormClip: 1 } },
    card: { intendedUse: "Testing" },
  };
  const trained = await trainSpec(dir, spec);
  assert.equal(trained.code, 0, trained.err);
  const file = JSON.parse(readFileSync(join(dir, "run", "model", "model.json"), "utf8"));
  const privacy = file.metadata.privacy;
  assert.equal(privacy.accountant, "rdp");
  assert.equal(privacy.delta, 1e-5);
  assert.equal(privacy.l2NormClip, 1);
  assert.ok(privacy.epsilon <= 2 && privacy.epsilon > 1.9, `epsilon ${privacy.epsilon}`);
  const trainRows = Number(privacy.sampleRate) > 0 ? Math.round(32 / privacy.sampleRate) : 0;
  assert.equal(privacy.steps, 3 * Math.ceil(trainRows / 32));
  const expected = ts.privacy.computeEpsilon({
    sampleRate: privacy.sampleRate,
    noiseMultiplier: privacy.noiseMultiplier,
    steps: privacy.steps,
    delta: 1e-5,
  }).epsilon;
  assert.ok(Math.abs(privacy.epsilon - expected) < 1e-9);
  assert.deepEqual(file.card.privacy, privacy);
  const history = JSON.parse(readFileSync(join(dir, "run", "history.json"), "utf8"));
  assert.equal(history.epochs.length, 3);
  assert.ok(history.epochs.every((e: { epsilon?: number }) => typeof e.epsilon === "number"));
  assert.equal(history.epochs[2].epsilon, privacy.epsilon);

  writeFileSync(
    join(dir, "bad.json"),
    JSON.stringify({ ...spec, fit: { epochs: 1, privacy: { l2NormClip: 1 } } }),
  );
  const bad = await runMain(["train", join(dir, "bad.json"), "--out", join(dir, "bad"), "--verbose", "0"]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /fit\.privacy: give exactly one of noiseMultiplier and targetEpsilon/);
});

test("a library fit with { privacy } saves metadata.privacy", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-privacy-save-"));
  ts.seed(4);
  const x = ts.randn([100, 3]);
  const y = ts.randn([100, 1]);
  const model = ts.sequential([ts.layers.dense({ units: 1, inputShape: [3] })]);
  model.compile({ optimizer: "sgd", loss: "mse" });
  await model.fit(x, y, {
    epochs: 2,
    batchSize: 10,
    verbose: 0,
    privacy: { noiseMultiplier: 1.2, l2NormClip: 0.5 },
  });
  await model.save(join(dir, "m"));
  const saved = JSON.parse(readFileSync(join(dir, "m", "model.json"), "utf8")).metadata.privacy;
  assert.deepEqual(saved, { ...ts.privacy.privacySpentOf(model) });
  assert.equal(saved.steps, 20);
  assert.equal(saved.noiseMultiplier, 1.2);
});
