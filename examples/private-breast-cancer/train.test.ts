// The private breast-cancer example at reduced size (12 epochs, one seed): the data loads as the
// README says, a run at target epsilon 3 ends within it and keeps a useful accuracy, and the
// non-private run of the same network is at least as good as the floor. The full table (40 epochs,
// five seeds) is in the README.
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { loadBreastCancer, run } from "./train.js";

const csv = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "datasets", "breast-cancer.csv");

test("breast cancer: 455/114 standardised rows; DP-SGD at epsilon 3 stays above 85% test accuracy", async () => {
  const split = await loadBreastCancer(csv);
  assert.deepEqual([...split.xTrain.shape], [455, 30]);
  assert.deepEqual([...split.xTest.shape], [114, 30]);
  const malignant = [...split.yTest.data].filter((v) => v === 1).length;
  assert.ok(malignant >= 40 && malignant <= 45, `stratified test split has ${malignant} malignant rows`);
  const settings = { epochs: 12, batchSize: 32, learningRate: 0.02 };
  const plain = await run(split, settings);
  const priv = await run(split, { ...settings, targetEpsilon: 3 });
  assert.equal(plain.epsilon, null);
  assert.ok(priv.epsilon !== null && priv.epsilon <= 3 && priv.epsilon > 2.9, `epsilon ${priv.epsilon}`);
  assert.ok(priv.noiseMultiplier !== null && priv.noiseMultiplier > 1, `sigma ${priv.noiseMultiplier}`);
  assert.ok(plain.accuracy >= 0.9, `non-private accuracy ${plain.accuracy}`);
  assert.ok(priv.accuracy >= 0.85, `private accuracy ${priv.accuracy}`);
});
