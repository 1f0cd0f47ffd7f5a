// Model's training and saving methods without train/ or io/ loaded: models/ imports nothing from
// above it, so this file loads only models/ and nn/ and expects errors that say what to import.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../core/errors.js";
import { Dense } from "../nn/layers/dense.js";
import { randn } from "../tensor/creation.js";
import { sequential } from "./sequential.js";

test("without train/ and io/, the methods exist and fail with a ConfigError naming the import", async () => {
  const model = sequential([new Dense({ units: 1, inputShape: [2] })]);
  const x = randn([4, 2]);
  assert.throws(() => model.compile({ loss: "mse" } as never), ConfigError);
  await assert.rejects(
    model.fit(x, x),
    /Model\.fit: the training methods are not loaded; import "tessera-ml"/,
  );
  assert.throws(() => model.predict(x), /Model\.predict: the training methods are not loaded/);
  await assert.rejects(model.save("/nonexistent"), /Model\.save: saving is not loaded; import "tessera-ml"/);
  // Read-only queries answer as for an uncompiled model.
  assert.equal(model.compiled, false);
  assert.equal(model.optimizer, null);
  assert.deepEqual(model.metricsNames, []);
  assert.equal(model.history, null);
  assert.equal(model.optimizerParams(), null);
  model.resetMetrics();
  const lines: string[] = [];
  model.summary((line) => lines.push(line));
  assert.match(lines.at(-1)!, /Non-trainable params: 0/);
});
