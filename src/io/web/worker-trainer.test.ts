// The training-worker protocol over a real MessageChannel (the host on one port, the page's client
// on the other, in one Node thread; test/browser/demo-page.test.ts runs it in a real Web Worker):
// a fit in the "worker" gives exactly the weights and history of model.fit on arrays with the same
// seed, predict matches, errors keep their class, cancel stops a fit early, terminate rejects.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MessageChannel } from "node:worker_threads";
import { BackendError, ConfigError, ShapeError, ValueError } from "../../core/errors.js";
import { seed } from "../../core/random.js";
import "../../models/index.js";
import { sequential } from "../../models/sequential.js";
import { layers } from "../../nn/index.js";
import { adam } from "../../optim/optimizers.js";
import { randint, randn } from "../../tensor/creation.js";
import type { Tensor } from "../../tensor/tensor.js";
import "../../train/index.js";
import { serveTrainer } from "./worker-host.js";
import { modelToWire } from "./worker-protocol.js";
import { createWorkerTrainer, type WorkerLike } from "./worker-trainer.js";

function classifier() {
  const model = sequential([
    layers.dense({ units: 8, activation: "relu", inputShape: [4] }),
    layers.dropout({ rate: 0.2 }),
    layers.dense({ units: 3, activation: "softmax" }),
  ]);
  model.compile({
    optimizer: adam({ learningRate: 0.01 }),
    loss: "sparse_categorical_crossentropy",
    metrics: ["accuracy"],
  });
  return model;
}

function data(rows: number): { x: Tensor; y: Tensor } {
  seed(7);
  return { x: randn([rows, 4]), y: randint(0, 3, [rows], { dtype: "int32" }) };
}

/** A host on one port of a channel and a trainer on the other; close() frees both. */
function connect() {
  const { port1, port2 } = new MessageChannel();
  serveTrainer(port1 as unknown as WorkerLike);
  const trainer = createWorkerTrainer(
    Object.assign(port2 as unknown as WorkerLike, { terminate: () => port2.close() }),
    { wasm: null },
  );
  return {
    trainer,
    close: () => {
      port1.close();
      port2.close();
    },
  };
}

test("fit in the worker equals model.fit on arrays with the same seed; predict matches", async () => {
  const { x, y } = data(90);
  seed(1);
  const page = classifier();
  seed(1);
  const reference = classifier();
  seed(3);
  const expected = await reference.fit(x, y, { epochs: 4, batchSize: 16, verbose: 0, validationSplit: 0.2 });
  const { trainer, close } = connect();
  try {
    assert.match(await trainer.ready, /^(native|reference|wasm)/);
    const epochs: number[] = [];
    let batches = 0;
    const result = await trainer.fit(
      page,
      x,
      y,
      { epochs: 4, batchSize: 16, validationSplit: 0.2, seed: 3 },
      {
        onEpochEnd: (epoch, logs) => {
          assert.ok(logs.val_accuracy !== undefined);
          epochs.push(epoch);
        },
        onBatchEnd: () => batches++,
      },
    );
    assert.deepEqual(epochs, [0, 1, 2, 3]);
    assert.equal(batches, 4 * Math.ceil(72 / 16));
    assert.equal(result.cancelled, false);
    assert.equal(result.model, page);
    assert.deepEqual(result.history, expected.history);
    const trained = page.getWeights().map((w) => Array.from(w.data));
    assert.deepEqual(
      trained,
      reference.getWeights().map((w) => Array.from(w.data)),
    );
    const inWorker = await trainer.predict(x);
    assert.deepEqual(Array.from(inWorker.data), Array.from(page.predict(x, { verbose: 0 }).data));
    assert.deepEqual(inWorker.shape, [90, 3]);
    // A description instead of a model: the trained model is built in the page.
    const fromSpec = await trainer.fit(modelToWire(classifier()), x, y, { epochs: 1, seed: 3 });
    assert.notEqual(fromSpec.model, page);
    assert.deepEqual(fromSpec.model.outputShapes, [[null, 3]]);
  } finally {
    close();
  }
});

test("errors in the worker reject with their own class and message", async () => {
  const { trainer, close } = connect();
  try {
    await assert.rejects(
      trainer.predict(randn([2, 4])),
      (e: unknown) => e instanceof ValueError && /no model yet/.test(e.message),
    );
    const { x, y } = data(10);
    await assert.rejects(
      trainer.fit(classifier(), x, randint(0, 3, [9], { dtype: "int32" })),
      (e: unknown) => e instanceof ValueError && /x has 10 rows but y has 9/.test(e.message),
    );
    await trainer.fit(classifier(), x, y, { epochs: 1 });
    await assert.rejects(trainer.predict(randn([2, 5])), ShapeError);
    const uncompiled = sequential([layers.dense({ units: 2, inputShape: [4] })]);
    await assert.rejects(
      trainer.fit(uncompiled, x, y),
      (e: unknown) => e instanceof ConfigError && /fit: the model is not compiled/.test(e.message),
    );
  } finally {
    close();
  }
});

test("cancel stops a fit after a batch; terminate rejects what is pending", async () => {
  const { x, y } = data(400);
  const { trainer, close } = connect();
  try {
    let cancelled = false;
    const result = await trainer.fit(
      classifier(),
      x,
      y,
      { epochs: 200, batchSize: 4 },
      {
        onBatchEnd: () => {
          if (!cancelled) trainer.cancel();
          cancelled = true;
        },
      },
    );
    assert.equal(result.cancelled, true);
    assert.ok(result.epochs < 200, `${result.epochs} epochs ran`);
    // The worker still answers after a cancel.
    assert.deepEqual((await trainer.predict(x)).shape, [400, 3]);
    const pending = trainer.fit(classifier(), x, y, { epochs: 50 });
    trainer.terminate();
    await assert.rejects(pending, (e: unknown) => e instanceof BackendError && /terminated/.test(e.message));
    await assert.rejects(trainer.predict(x), BackendError);
  } finally {
    close();
  }
});

test("createWorkerTrainer with a URL needs a host with Web Workers", () => {
  assert.equal((globalThis as { Worker?: unknown }).Worker, undefined);
  assert.throws(
    () => createWorkerTrainer("worker.js"),
    (e: unknown) => e instanceof BackendError && /no Web Worker/.test(e.message),
  );
});
