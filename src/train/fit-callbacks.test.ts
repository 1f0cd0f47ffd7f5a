// Callbacks inside real fit() runs, and the progress output fit/evaluate/predict write.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  callbacks,
  type Logs,
  layers,
  type Model,
  memoryWriter,
  optimizers,
  sequential,
  tensor,
} from "../index.js";

function linearModel(learningRate = 0.01): Model {
  const model = sequential([
    layers.dense({ units: 1, inputShape: [1], kernelInitializer: "ones", biasInitializer: "zeros" }),
  ]);
  model.compile({ optimizer: optimizers.sgd({ learningRate }), loss: "mse" });
  return model;
}
const x = tensor([[1], [2], [3], [4]]);
const y = tensor([[3], [5], [7], [9]]);

/** A callback that puts a scripted "score" into each epoch's logs (so the monitor is known in advance). */
function scripted(scores: readonly number[]) {
  return callbacks.lambdaCallback({
    onEpochEnd: (epoch: number, logs: Logs) => {
      logs.score = scores[epoch]!;
    },
  });
}

describe("callbacks in fit", () => {
  test("earlyStopping stops at the right epoch and restores the best epoch's weights exactly", async () => {
    const model = linearModel();
    const snapshots: number[][] = [];
    const snapshot = callbacks.lambdaCallback({
      onEpochEnd: () => snapshots.push(model.getWeights().flatMap((w) => [...w.data])),
    });
    // best 2 at epoch 3; epochs 4 and 5 do not improve -> patience 2 stops after epoch 5
    const stop = callbacks.earlyStopping({
      monitor: "score",
      mode: "min",
      patience: 2,
      restoreBestWeights: true,
    });
    const h = await model.fit(x, y, {
      epochs: 20,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      callbacks: [scripted([5, 3, 4, 2, 2.5, 2.2, 1, 0]), snapshot, stop],
    });
    assert.deepEqual(h.epoch, [0, 1, 2, 3, 4, 5]);
    assert.equal(stop.stoppedEpoch, 5);
    assert.deepEqual(h.history.score, [5, 3, 4, 2, 2.5, 2.2]);
    const restored = model.getWeights().flatMap((w) => [...w.data]);
    assert.deepEqual(restored, snapshots[3]);
    assert.notDeepEqual(restored, snapshots[5], "training did move the weights after the best epoch");
  });

  test("earlyStopping on val_loss (the default monitor) with validationData", async () => {
    const model = linearModel(0.01);
    const stop = callbacks.earlyStopping({ patience: 1 });
    // the validation targets run away from the training ones, so val_loss rises from epoch 1 on
    const h = await model.fit(x, y, {
      epochs: 50,
      batchSize: 4,
      verbose: 0,
      validationData: [tensor([[1]]), tensor([[1]])],
      callbacks: [stop],
    });
    const val = h.history.val_loss!;
    const firstRise = val.findIndex((v, i) => i > 0 && v >= val[i - 1]!);
    assert.ok(firstRise > 0);
    assert.equal(h.epoch.length, firstRise + 1, "patience 1: stops at the first epoch without improvement");
  });

  test("reduceLROnPlateau changes the optimizer's rate at the right epoch and logs it", async () => {
    const model = linearModel(0.1);
    const reduce = callbacks.reduceLROnPlateau({ monitor: "score", mode: "min", factor: 0.5, patience: 2 });
    const h = await model.fit(x, y, {
      epochs: 5,
      batchSize: 4,
      verbose: 0,
      callbacks: [scripted([1, 1, 1, 0.5, 0.5]), reduce],
    });
    // epoch 0 sets the best; 1, 2 flat -> reduced at the end of epoch 2 (the log shows the rate used)
    assert.deepEqual(h.history.learning_rate, [0.1, 0.1, 0.1, 0.05, 0.05]);
    assert.equal(model.optimizer?.learningRate, 0.05);
  });

  test("learningRateScheduler rates are what the optimizer uses", async () => {
    const model = linearModel(0.1);
    const seen: number[] = [];
    const h = await model.fit(x, y, {
      epochs: 3,
      batchSize: 4,
      verbose: 0,
      callbacks: [
        callbacks.learningRateScheduler((epoch) => 0.01 * (epoch + 1)),
        callbacks.lambdaCallback({ onBatchBegin: () => seen.push(model.optimizer!.learningRate) }),
      ],
    });
    assert.deepEqual(seen, [0.01, 0.02, 0.03]);
    assert.deepEqual(h.history.learning_rate, [0.01, 0.02, 0.03]);
  });

  test("a NaN loss is in the history; terminateOnNaN stops at its epoch and batch", async () => {
    const xs = tensor([[1], [2], [3], [Number.NaN], [5], [6]]);
    const ys = tensor([[1], [2], [3], [4], [5], [6]]);
    const out = memoryWriter();
    const stopped = linearModel();
    const nan = callbacks.terminateOnNaN({ writer: out });
    const h1 = await stopped.fit(xs, ys, {
      epochs: 3,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      callbacks: [nan],
      checkFinite: false, // the NaN row is the point: fit would refuse it otherwise
    });
    assert.deepEqual(h1.epoch, [0]);
    assert.ok(Number.isNaN(h1.history.loss![0]!));
    assert.deepEqual(nan.stoppedAt, { epoch: 0, batch: 1 });
    assert.equal(out.text, "Epoch 1, batch 1: invalid loss (NaN), terminating training\n");

    const kept = linearModel();
    const h2 = await kept.fit(xs, ys, {
      epochs: 3,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      checkFinite: false,
    });
    assert.deepEqual(h2.epoch, [0, 1, 2]);
    assert.ok(h2.history.loss!.every((v) => Number.isNaN(v)));
  });

  test("csvLogger writes one row per epoch with the history's values", async () => {
    let text = "";
    const model = linearModel();
    const h = await model.fit(x, y, {
      epochs: 3,
      batchSize: 2,
      verbose: 0,
      validationSplit: 0.5,
      callbacks: [callbacks.csvLogger({ write: (t) => (text += t) })],
    });
    const rows = text.trimEnd().split("\n");
    assert.equal(rows[0], "epoch,loss,val_loss");
    assert.equal(rows.length, 4);
    rows.slice(1).forEach((row, epoch) => {
      assert.equal(row, `${epoch},${h.history.loss![epoch]},${h.history.val_loss![epoch]}`);
    });
  });
});

describe("progress output", () => {
  const classifier = (): Model => {
    const model = sequential([layers.dense({ units: 2, inputShape: [1], activation: "softmax" })]);
    model.compile({
      optimizer: optimizers.sgd({ learningRate: 0.1 }),
      loss: "sparse_categorical_crossentropy",
      metrics: ["accuracy"],
    });
    return model;
  };
  const cx = tensor([[0], [1], [2], [3], [4], [5]]);
  const cy = tensor([0, 0, 0, 1, 1, 1], { dtype: "int32" });
  const metric = String.raw`\d+\.\d{4}(e[+-]\d\d)?|nan`;
  const time = String.raw`\d+(s|ms|us)\/step`;

  test("verbose 1 on a non-TTY: `Epoch i/n` then one bar line per epoch, metrics sorted, val_ last", async () => {
    const out = memoryWriter(false);
    await classifier().fit(cx, cy, {
      epochs: 2,
      batchSize: 2,
      validationData: [cx, cy],
      callbacks: [callbacks.progressLogger({ writer: out })],
    });
    const lines = out.lines();
    assert.equal(lines.length, 4);
    assert.equal(lines[0], "Epoch 1/2");
    assert.equal(lines[2], "Epoch 2/2");
    const bar = new RegExp(
      `^3/3 ━{20} \\d+s ${time} - accuracy: (${metric}) - loss: (${metric}) - val_accuracy: (${metric}) - val_loss: (${metric})$`,
    );
    assert.match(lines[1]!, bar);
    assert.match(lines[3]!, bar);
    assert.ok(!out.text.includes("\r") && !out.text.includes("\x1b"), "no redraws or colours off a TTY");
  });

  test("verbose 2: `n/n - Ts - X/step - metrics`; a single epoch prints no Epoch header", async () => {
    const out = memoryWriter(false);
    await classifier().fit(cx, cy, {
      epochs: 1,
      batchSize: 4,
      verbose: 2,
      callbacks: [callbacks.progressLogger({ writer: out })],
    });
    const lines = out.lines();
    assert.equal(lines.length, 1);
    assert.match(
      lines[0]!,
      new RegExp(`^2/2 - \\d+s - ${time} - accuracy: (${metric}) - loss: (${metric})$`),
    );
  });

  test("on a TTY the bar is redrawn in place and each epoch's line ends with a newline", async () => {
    const out = memoryWriter(true);
    await classifier().fit(cx, cy, {
      epochs: 2,
      batchSize: 1,
      callbacks: [callbacks.progressLogger({ writer: out })],
    });
    assert.ok(out.text.includes("\r"));
    const finals = out.text.split("\n").filter((l) => l.includes("6/6"));
    assert.equal(finals.length, 2);
  });

  test("evaluate and predict print one line each; verbose 0 prints nothing", async () => {
    const model = classifier();
    const out = memoryWriter(false);
    await model.evaluate(cx, cy, { batchSize: 4, callbacks: [callbacks.progressLogger({ writer: out })] });
    model.predict(cx, { batchSize: 4, callbacks: [callbacks.progressLogger({ writer: out })] });
    const lines = out.lines();
    assert.equal(lines.length, 2);
    assert.match(
      lines[0]!,
      new RegExp(`^2/2 ━{20} \\d+s ${time} - accuracy: (${metric}) - loss: (${metric})$`),
    );
    assert.match(lines[1]!, new RegExp(`^2/2 ━{20} \\d+s ${time}$`));
    const silent = memoryWriter(false);
    await model.fit(cx, cy, {
      epochs: 2,
      verbose: 0,
      callbacks: [callbacks.progressLogger({ writer: silent, verbose: 0 })],
    });
    assert.equal(silent.text, "");
  });
});
