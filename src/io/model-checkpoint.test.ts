import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { seed } from "../core/random.js";
import type { Model } from "../models/model.js";
import { sequential } from "../models/sequential.js";
import * as layers from "../nn/layers/index.js";
import { randn } from "../tensor/creation.js";
import { Callback, type Logs } from "../train/callbacks/callback.js";
import "../train/model-methods.js";
import { loadModel } from "./load-model.js";
import { formatCheckpointPath, modelCheckpoint } from "./model-checkpoint.js";
import { ResumableBatches } from "./resumable-batches.js";

const fresh = () => mkdtempSync(join(tmpdir(), "tessera-ckpt-"));

function compiled(): Model {
  const m = sequential([
    layers.dense({ units: 3, activation: "relu", inputShape: [2] }),
    layers.dense({ units: 1 }),
  ]);
  m.compile({ optimizer: "sgd", loss: "mse" });
  return m;
}

/** Replaces the logged val_loss with a scripted sequence, so "improvement" is known in advance. */
class ScriptedLoss extends Callback<Model> {
  constructor(private readonly values: number[]) {
    super();
  }
  override onEpochEnd(epoch: number, logs: Logs): void {
    logs.val_loss = this.values[epoch]!;
  }
}

describe("modelCheckpoint", () => {
  test("path templates take the epoch, batch and logged values", () => {
    assert.equal(
      formatCheckpointPath("r/e{epoch:02d}-{val_loss:.3f}", { epoch: 7, val_loss: 0.12345 }),
      "r/e07-0.123",
    );
    assert.equal(formatCheckpointPath("r/{batch}", { batch: 12 }), "r/12");
    assert.throws(() => formatCheckpointPath("r/{nope}", {}), /uses \{nope\}/);
    assert.throws(() => formatCheckpointPath("r/{constructor}", {}), /uses \{constructor\}/);
  });

  test("saves every epoch by default, to templated paths", async () => {
    seed(1);
    const root = fresh();
    const m = compiled();
    const ckpt = modelCheckpoint({ filepath: join(root, "e{epoch}") });
    await m.fit(randn([8, 2]), randn([8, 1]), { epochs: 3, batchSize: 4, verbose: 0, callbacks: [ckpt] });
    assert.deepEqual(readdirSync(root).sort(), ["e1", "e2", "e3"]);
    const last = await loadModel(join(root, "e3"));
    assert.deepEqual(
      last.getWeights().map((w) => [...w.data]),
      m.getWeights().map((w) => [...w.data]),
    );
  });

  test("saveBestOnly keeps only improvements of the monitored value (mode from its name)", async () => {
    const root = fresh();
    const m = compiled();
    // epochs 1..5: 0.5 (save), 0.7, 0.4 (save), 0.4 (not strictly better), 0.1 (save)
    const ckpt = modelCheckpoint({ filepath: join(root, "e{epoch}"), saveBestOnly: true });
    await m.fit(randn([8, 2]), randn([8, 1]), {
      epochs: 5,
      verbose: 0,
      callbacks: [new ScriptedLoss([0.5, 0.7, 0.4, 0.4, 0.1]), ckpt],
    });
    assert.deepEqual(
      ckpt.saved.map((p) => p.slice(root.length + 1)),
      ["e1", "e3", "e5"],
    );
    assert.equal(ckpt.best, 0.1);
    const maxCkpt = modelCheckpoint({ filepath: join(root, "max{epoch}"), saveBestOnly: true, mode: "max" });
    await m.fit(randn([8, 2]), randn([8, 1]), {
      epochs: 3,
      verbose: 0,
      callbacks: [new ScriptedLoss([0.5, 0.7, 0.6]), maxCkpt],
    });
    assert.deepEqual(
      maxCkpt.saved.map((p) => p.slice(root.length + 1)),
      ["max1", "max2"],
    );
  });

  test("saveFreq in batches, with resumable state", async () => {
    seed(2);
    const root = fresh();
    const m = compiled();
    const batches = new ResumableBatches(randn([10, 2]), randn([10, 1]), { batchSize: 4 });
    const ckpt = modelCheckpoint({
      filepath: join(root, "b{epoch}-{batch}"),
      saveFreq: 2,
      resumable: true,
      data: batches,
    });
    await m.fit(batches, { epochs: 2, stepsPerEpoch: batches.steps, verbose: 0, callbacks: [ckpt] });
    // 3 batches per epoch, 6 in all: saves after the 2nd, 4th and 6th
    assert.deepEqual(
      ckpt.saved.map((p) => p.slice(root.length + 1)),
      ["b1-2", "b2-1", "b2-3"],
    );
    assert.ok(existsSync(join(root, "b1-2", "optimizer.safetensors")));
    assert.ok(existsSync(join(root, "b1-2", "checkpoint.json")));
  });

  test("resumable mid-epoch saving without the batches is refused", () => {
    assert.throws(() => modelCheckpoint({ filepath: "x", saveFreq: 3, resumable: true }), /needs data/);
    assert.throws(() => modelCheckpoint({ filepath: "x", saveFreq: 0 }), /saveFreq must be/);
  });
});

describe("ResumableBatches", () => {
  test("a restored pass gives exactly the batches the saved one had left", () => {
    seed(5);
    const x = randn([10, 2]);
    const y = randn([10, 1]);
    const a = new ResumableBatches(x, y, { batchSize: 3 });
    const iterator = a[Symbol.iterator]();
    iterator.next();
    iterator.next();
    const position = a.position()!;
    assert.equal(position.nextStep, 2);
    const rest = [...{ [Symbol.iterator]: () => iterator }].map((b) => [...(b.x as typeof x).data]);
    const b = new ResumableBatches(x, y, { batchSize: 3 });
    b.restore(position);
    const replay = [...b].map((batch) => [...(batch.x as typeof x).data]);
    assert.deepEqual(replay, rest);
    assert.equal(replay.length, 2); // 4 batches (3,3,3,1), 2 left
    assert.deepEqual(new Set(position.order), new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  });
});
