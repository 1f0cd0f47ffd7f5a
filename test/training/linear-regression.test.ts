// End to end: y = 2x + noise; a one-unit Dense layer trained with fit recovers the slope.
import assert from "node:assert/strict";
import { test } from "node:test";
import { add, layers, mul, optimizers, randn, seed, sequential } from "../../src/index.js";

test("fit recovers w = 2 of y = 2x + noise within 0.05", async () => {
  seed(2024);
  const x = randn([256, 1]);
  const y = add(mul(x, 2), mul(randn([256, 1]), 0.1));
  const model = sequential([layers.dense({ units: 1, inputShape: [1] })]);
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: "mse" });
  const history = await model.fit(x, y, { epochs: 20, batchSize: 32, verbose: 0 });
  const [kernel, bias] = model.getWeights();
  const w = kernel!.item();
  assert.ok(Math.abs(w - 2) < 0.05, `w = ${w}`);
  assert.ok(Math.abs(bias!.item()) < 0.05, `b = ${bias!.item()}`);
  // the noise variance (0.01) is what is left
  assert.ok(history.history.loss!.at(-1)! < 0.02, `final loss ${history.history.loss!.at(-1)}`);
});
