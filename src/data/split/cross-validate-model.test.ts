import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "../../index.js";
import { crossValidate } from "./cross-validate.js";

test("crossValidate drives a compiled Tessera model: one fresh model per fold", async () => {
  // y = x . [1, -2, 0.5] exactly, so a linear model trained per fold reaches a tiny test loss.
  const n = 60;
  const x = ts.randn([n, 3], { generator: new ts.Generator(1) });
  const y = ts.matmul(x, ts.tensor([[1], [-2], [0.5]]));
  const built: ts.Sequential[] = [];
  const cv = await crossValidate(
    () => {
      const model = ts.sequential([ts.layers.dense({ units: 1, inputShape: [3] })]);
      model.compile({ optimizer: ts.optimizers.sgd({ learningRate: 0.1 }), loss: "mse", metrics: ["mae"] });
      built.push(model);
      return model;
    },
    x,
    y,
    { folds: 3, fitOptions: { epochs: 40, batchSize: 10 } },
  );
  assert.equal(built.length, 3);
  assert.notEqual(built[0], built[1]);
  assert.deepEqual(Object.keys(cv.mean).sort(), ["loss", "mae"]);
  assert.deepEqual(
    cv.folds.map((f) => [f.trainSize, f.testSize]),
    [
      [40, 20],
      [40, 20],
      [40, 20],
    ],
  );
  for (const f of cv.folds) assert.ok(f.metrics.loss! < 1e-3, `fold ${f.fold} loss ${f.metrics.loss}`);
});
