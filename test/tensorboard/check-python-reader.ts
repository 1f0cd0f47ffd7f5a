// Generator script (not part of npm test): trains a small model with ts.callbacks.tensorBoard,
// then reads the event files back with read_tfevents.py, an independent reader (its own framing
// and CRC-32C, Google's protobuf runtime from Debian's python3-protobuf), and checks that every
// epoch scalar equals the fit history (as float32), histograms count every weight, and the model
// summary reached the text plugin. Run: node --import tsx test/tensorboard/check-python-reader.ts
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { callbacks, optimizers } from "../../src/index.js";
import { tinyRegressionData, tinyRegressor } from "../helpers/tiny-regression.js";

interface PyEvent {
  step: number;
  file_version?: string;
  scalars?: Record<string, number>;
  histograms?: Record<string, { num: number; buckets: number }>;
  texts?: Record<string, { plugin: string; text: string }>;
}

const logDir = mkdtempSync(join(tmpdir(), "tessera-tb-python-"));
try {
  const model = tinyRegressor(4, "tanh", optimizers.adam({ learningRate: 0.01 }));
  const { x, y } = tinyRegressionData(8);
  const history = await model.fit(x, y, {
    epochs: 4,
    batchSize: 3,
    validationSplit: 0.25,
    verbose: 0,
    callbacks: [callbacks.tensorBoard({ logDir })],
  });
  const python = process.env.PYTHON ?? "/usr/bin/python3";
  const files = JSON.parse(
    execFileSync(python, [join(import.meta.dirname, "read_tfevents.py"), logDir], { encoding: "utf8" }),
  ) as {
    path: string;
    events: PyEvent[];
  }[];
  assert.equal(files.length, 2);
  const [train, validation] = files.map((f) => f.events);
  assert.equal(train![0]!.file_version, "brain.Event:2");
  const series = (events: PyEvent[], tag: string) =>
    events.flatMap((e) => (e.scalars?.[tag] === undefined ? [] : [e.scalars[tag]]));
  const f32 = (values: number[]) => values.map(Math.fround);
  assert.deepEqual(series(train!, "epoch_loss"), f32(history.history.loss!));
  assert.deepEqual(series(train!, "epoch_mae"), f32(history.history.mae!));
  assert.deepEqual(series(validation!, "epoch_loss"), f32(history.history.val_loss!));
  assert.deepEqual(series(validation!, "epoch_mae"), f32(history.history.val_mae!));
  const histograms = train!.flatMap((e) => Object.entries(e.histograms ?? {}));
  assert.equal(histograms.length, 4 * 4); // 4 weights x 4 epochs
  for (const [tag, h] of histograms) assert.equal(h.buckets, h.num, `${tag}: buckets hold every value`);
  const summary = train!.flatMap((e) => Object.values(e.texts ?? {}));
  assert.equal(summary[0]!.plugin, "text");
  assert.match(summary[0]!.text, /Total params: 17/);
  console.log(
    `python reader: ${files.length} files, ${train!.length + validation!.length} events, all checks passed`,
  );
} finally {
  rmSync(logDir, { recursive: true, force: true });
}
