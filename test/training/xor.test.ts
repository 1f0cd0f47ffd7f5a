// End to end: a small MLP learns XOR through compile/fit/predict.
import assert from "node:assert/strict";
import { test } from "node:test";
import { layers, optimizers, seed, sequential, tensor } from "../../src/index.js";

test("an MLP learns XOR", async () => {
  seed(1);
  const model = sequential([
    layers.dense({ units: 8, activation: "tanh", inputShape: [2] }),
    layers.dense({ units: 1, activation: "sigmoid" }),
  ]);
  model.compile({
    optimizer: optimizers.adam({ learningRate: 0.05 }),
    loss: "binary_crossentropy",
    metrics: ["accuracy"],
  });
  const x = tensor([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ]);
  const y = tensor([[0], [1], [1], [0]]);
  const history = await model.fit(x, y, { epochs: 300, batchSize: 4, verbose: 0 });
  assert.equal(history.history.accuracy!.at(-1), 1);
  assert.ok(history.history.loss!.at(-1)! < 0.05, `final loss ${history.history.loss!.at(-1)}`);
  const p = model.predict(x, { verbose: 0 }).data;
  for (const [i, target] of [0, 1, 1, 0].entries()) {
    assert.ok(Math.abs(p[i]! - target) < 0.1, `sample ${i}: ${p[i]}`);
  }
});
