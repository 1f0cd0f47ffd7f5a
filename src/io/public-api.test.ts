// The ARCHITECTURE.md section 4 flow through the public entry point: model.save(dir) and
// ts.loadModel(dir) give a model that predicts the same.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import * as ts from "../index.js";

test("model.save and ts.loadModel through the public API", async () => {
  ts.seed(3);
  const model = ts.sequential([
    ts.layers.dense({ units: 8, activation: "relu", inputShape: [13] }),
    ts.layers.dropout({ rate: 0.1 }),
    ts.layers.dense({ units: 1 }),
  ]);
  model.compile({ optimizer: ts.optimizers.adam({ learningRate: 1e-3 }), loss: "mse", metrics: ["mae"] });
  const x = ts.randn([16, 13]);
  await model.fit(x, ts.randn([16, 1]), { epochs: 1, verbose: 0 });
  const dir = join(mkdtempSync(join(tmpdir(), "tessera-api-")), "house-prices");
  await model.save(dir);
  const again = await ts.loadModel(dir);
  assert.deepEqual([...again.predict(x).data], [...model.predict(x).data]);
});
