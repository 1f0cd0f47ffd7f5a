// The GAN example at reduced size (6 epochs instead of 60): trained through fit with its trainStep
// override, the generator must already draw images a digit classifier recognises as most of the ten
// digits. Six epochs take about 4 s of CPU on the native backend and several minutes on the
// reference one, so on the reference backend this training test is skipped (CI builds the addon and
// requires it); the pieces are checked on every backend.
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { inflateSync } from "node:zlib";
import * as ts from "tessera-ml";
import { loadDigits } from "../digits-cnn/train.js";
import { DigitsGan, digitClassifier, imageGridPng, LATENT, sampleQuality, trainGan } from "./gan.js";

const csv = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "datasets", "digits.csv");

test("the generator draws (n, 8, 8, 1) images in [0, 1]; the grid is a valid grayscale PNG", () => {
  ts.seed(1);
  const gan = new DigitsGan();
  const images = gan.sample(6);
  assert.deepEqual([...images.shape], [6, 8, 8, 1]);
  assert.ok(images.data.every((v) => v >= 0 && v <= 1));
  assert.deepEqual(gan.generator.inputShapes, [[null, LATENT]]);
  const png = imageGridPng(images, 2, 3, 2);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // IHDR: width 3 * (16 + 4) + 4 = 64, height 2 * 20 + 4 = 44, 8-bit grayscale
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]], [64, 44, 8, 0]);
  const idatLength = png.readUInt32BE(33);
  assert.equal(png.toString("ascii", 37, 41), "IDAT");
  assert.equal(inflateSync(png.subarray(41, 41 + idatLength)).length, (64 + 1) * 44);
});

test("the classifier's judgement separates real digits from noise", async () => {
  const { x, y } = await loadDigits(csv);
  const classifier = digitClassifier(x, y);
  const real = sampleQuality(classifier, x);
  assert.ok(real.inceptionScore > 6 && real.classesUsed === 10, JSON.stringify(real));
  ts.seed(2);
  const noise = sampleQuality(classifier, ts.rand([200, 8, 8, 1]));
  assert.ok(noise.inceptionScore < 2, JSON.stringify(noise));
});

test("six epochs through fit + trainStep already draw recognisable digits", {
  skip: ts.getBackend() === "reference" ? "needs the native backend (minutes on the reference one)" : false,
}, async () => {
  const { x, y } = await loadDigits(csv);
  const run = await trainGan(x, y, { epochs: 6 });
  assert.deepEqual(Object.keys(run.history.history).sort(), ["d_loss", "g_loss"]);
  assert.equal(run.history.history.d_loss!.length, 6);
  assert.ok(run.before.inceptionScore < 1.5, `untrained ${JSON.stringify(run.before)}`);
  // README: 6 epochs reach an inception score of 3.15, 15.6 % recognised, 9 classes
  assert.ok(run.after.inceptionScore >= 2.5, JSON.stringify(run.after));
  assert.ok(run.after.recognised >= 0.08, JSON.stringify(run.after));
  assert.ok(run.after.classesUsed >= 7, JSON.stringify(run.after));
});
