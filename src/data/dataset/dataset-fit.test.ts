import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "../../index.js";
import { Dataset } from "./dataset.js";

test("fit trains from a Dataset of { x, y } batches and of [x, y] tuples", async () => {
  const n = 64;
  const x = ts.randn([n, 3], { generator: new ts.Generator(1) });
  const y = ts.matmul(x, ts.tensor([[1], [-2], [0.5]])); // exactly linear: the loss can reach ~0
  for (const pipeline of [
    Dataset.fromArrays(x, y).shuffle(64, { seed: 1 }).batch(16),
    Dataset.fromArrays(x, y)
      .map(({ x: xi, y: yi }) => [xi, yi] as [ts.Tensor, ts.Tensor])
      .batch(16)
      .prefetch(2),
  ]) {
    ts.seed(0);
    const model = ts.sequential([ts.layers.dense({ units: 1, inputShape: [3] })]);
    model.compile({ optimizer: ts.optimizers.sgd({ learningRate: 0.1 }), loss: "mse" });
    const before = await model.evaluate(x, y, { verbose: 0, returnDict: true });
    const history = await model.fit(pipeline, { epochs: 20, verbose: 0 });
    const after = await model.evaluate(pipeline, { verbose: 0, returnDict: true });
    assert.equal(history.history.loss!.length, 20);
    assert.ok(before.loss! > 0.5, `untrained loss ${before.loss}`);
    assert.ok(after.loss! < 1e-4, `trained loss ${after.loss}`);
  }
});
