// ts.callbacks.tensorBoard in a real fit: the event files hold every epoch's logs (train and
// validation), weight histograms by path, and the model summary; read back with protobufjs.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { tinyRegressionData, tinyRegressor } from "../../test/helpers/tiny-regression.js";
import { optimizers } from "../index.js";
import { tensorBoard } from "./tensorboard-callback.js";
import { readEventFile } from "./tfevents/event-file.js";

interface Decoded {
  step?: number;
  summary?: {
    value: {
      tag: string;
      simpleValue?: number;
      histo?: { num: number };
      tensor?: { stringVal: Uint8Array[] };
    }[];
  };
}

function eventsIn(dir: string): Decoded[] {
  const files = readdirSync(dir);
  assert.equal(files.length, 1, `one event file in ${dir}`);
  return readEventFile(join(dir, files[0]!)) as Decoded[];
}

function scalars(events: Decoded[], tag: string): number[] {
  return events.flatMap(
    (e) => e.summary?.value.filter((v) => v.tag === tag).map((v) => v.simpleValue!) ?? [],
  );
}

test("tensorBoard writes epoch scalars equal to the history, histograms and the summary", async () => {
  const logDir = mkdtempSync(join(tmpdir(), "tessera-tb-"));
  try {
    const model = tinyRegressor(3, "relu", optimizers.sgd({ learningRate: 0.05 }));
    const { x, y } = tinyRegressionData(6);
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 2,
      validationSplit: 1 / 3,
      verbose: 0,
      callbacks: [tensorBoard({ logDir, updateFreq: 1 })],
    });
    const train = eventsIn(join(logDir, "train"));
    const validation = eventsIn(join(logDir, "validation"));
    // Scalars are float32 in the Summary proto.
    const f32 = (values: number[]) => values.map(Math.fround);
    assert.deepEqual(scalars(train, "epoch_loss"), f32(history.history.loss!));
    assert.deepEqual(scalars(train, "epoch_mae"), f32(history.history.mae!));
    assert.deepEqual(scalars(validation, "epoch_loss"), f32(history.history.val_loss!));
    assert.deepEqual(scalars(train, "epoch_learning_rate"), f32([0.05, 0.05, 0.05]));
    assert.equal(scalars(train, "batch_loss").length, 6); // 4 training rows / 2 per batch x 3 epochs
    const kernels = train.flatMap(
      (e) => e.summary?.value.filter((v) => v.tag === "dense/kernel" || v.tag.endsWith("/kernel")) ?? [],
    );
    assert.equal(kernels.length, 6); // two kernels x three epochs
    assert.ok(kernels.some((k) => k.histo?.num === 6) && kernels.some((k) => k.histo?.num === 3));
    const text = train.flatMap((e) => e.summary?.value.filter((v) => v.tag === "model_summary") ?? []);
    assert.equal(text.length, 1);
    assert.match(new TextDecoder().decode(text[0]!.tensor!.stringVal[0]), /Total params: 13/);
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
});

test("tensorBoard refuses a missing logDir and bad frequencies", () => {
  assert.throws(() => tensorBoard({ logDir: "" }), /logDir must be a folder path/);
  assert.throws(
    () => tensorBoard({ logDir: "x", histogramFreq: -1 }),
    /histogramFreq must be an integer >= 0 \(got -1\)/,
  );
  assert.throws(
    () => tensorBoard({ logDir: "x", updateFreq: 0 }),
    /updateFreq must be "epoch" or an integer >= 1 \(got 0\)/,
  );
});
