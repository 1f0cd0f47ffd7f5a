// compile() options survive save -> load, so a loaded model evaluates at once with the same figures.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { seed } from "../core/random.js";
import { sequential } from "../models/sequential.js";
import * as layers from "../nn/layers/index.js";
import { adam } from "../optim/adam.js";
import { randn } from "../tensor/creation.js";
import "../train/model-methods.js";
import { loadModel } from "./load-model.js";
import { saveModel } from "./save-model.js";

test("a compiled model reloads compiled, with the same optimizer config, loss and metrics", async () => {
  seed(11);
  const m = sequential([
    layers.dense({ units: 4, activation: "relu", inputShape: [3] }),
    layers.dense({ units: 1 }),
  ]);
  m.compile({ optimizer: adam({ learningRate: 0.01 }), loss: "mse", metrics: ["mae"] });
  const x = randn([32, 3]);
  const y = randn([32, 1]);
  await m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
  const dir = join(mkdtempSync(join(tmpdir(), "tessera-train-")), "m");
  await saveModel(m, dir);
  const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
  assert.equal(json.training.optimizer.className, "Adam");
  assert.equal(json.training.optimizer.config.learningRate, 0.01);
  assert.equal(json.training.loss, "mse");
  assert.deepEqual(json.training.metrics, ["mae"]);
  const again = await loadModel(dir);
  const before = await m.evaluate(x, y, { returnDict: true, verbose: 0 });
  const after = await again.evaluate(x, y, { returnDict: true, verbose: 0 });
  assert.deepEqual(after, before);
  assert.deepEqual(Object.keys(after).sort(), ["loss", "mae"]);
});

test("a loss given as a function is recorded as null and the model loads uncompiled", async () => {
  const m = sequential([layers.dense({ units: 1, inputShape: [2] })]);
  m.compile({ optimizer: "sgd", loss: (yTrue, yPred) => yPred.sub(yTrue).square() });
  const dir = join(mkdtempSync(join(tmpdir(), "tessera-train-")), "m");
  await saveModel(m, dir);
  assert.equal(JSON.parse(readFileSync(join(dir, "model.json"), "utf8")).training.loss, null);
  const again = await loadModel(dir);
  await assert.rejects(again.evaluate(randn([2, 2]), randn([2, 1]), { verbose: 0 }), /must be compiled/);
});
