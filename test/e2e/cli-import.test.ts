// End to end: `tessera import` through the real CLI (a child process) on a Keras 3 file saved by
// Keras and a TensorFlow.js model saved by tfjs-layers; the written directories load with
// loadModel and predict what Keras / tfjs predicted. A corrupt file exits 1 with the reason.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadModel } from "../../src/io/load-model.js";
import { Tensor } from "../../src/tensor/tensor.js";
import { ROOT, runCli } from "./fixtures/cli-process.js";

const TOLERANCE = 1e-5;

interface Recorded {
  inputs: { shape: number[]; dtype: string; values: number[] }[];
  outputs: { shape: number[]; values: number[] }[];
}

async function maxDifference(dir: string, expectedFile: string): Promise<number> {
  const record = JSON.parse(readFileSync(expectedFile, "utf8")) as Recorded;
  const model = await loadModel(dir);
  const inputs = record.inputs.map((x) =>
    x.dtype.startsWith("int")
      ? new Tensor(Int32Array.from(x.values), x.shape)
      : new Tensor(Float32Array.from(x.values), x.shape),
  );
  const out = model.apply(inputs.length === 1 ? inputs[0]! : inputs);
  let worst = 0;
  record.outputs[0]!.values.forEach((v, i) => {
    worst = Math.max(worst, Math.abs((out.data[i] as number) - v));
  });
  return worst;
}

describe("tessera import", () => {
  const work = mkdtempSync(join(tmpdir(), "tessera-import-"));

  test("a Keras 3 .keras file becomes a Tessera model directory that predicts as Keras did", async () => {
    const source = join(ROOT, "test/fixtures/keras/lstm.keras");
    const run = await runCli(["import", source, "--out", join(work, "keras-lstm"), "--json"], work);
    assert.equal(run.code, 0, run.err);
    const result = JSON.parse(run.out) as { format: string; params: number; layers: number };
    assert.equal(result.format, "keras");
    assert.equal(result.layers, 4);
    const difference = await maxDifference(
      join(work, "keras-lstm"),
      join(ROOT, "test/fixtures/keras/lstm.json"),
    );
    assert.ok(difference <= TOLERANCE, `max |difference| ${difference}`);
  });

  test("a TensorFlow.js model directory does too", async () => {
    const source = join(ROOT, "test/fixtures/tfjs/functional");
    const run = await runCli(["import", source, "--out", join(work, "tfjs-functional")], work);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /imported TensorFlow\.js model "functional"/);
    const difference = await maxDifference(
      join(work, "tfjs-functional"),
      join(ROOT, "test/fixtures/tfjs/functional/expected.json"),
    );
    assert.ok(difference <= TOLERANCE, `max |difference| ${difference}`);
  });

  test("a corrupt .keras file exits 1 naming the problem", async () => {
    writeFileSync(join(work, "broken.keras"), "PK\u0003\u0004 this is not really a zip archive");
    const bad = await runCli(["import", join(work, "broken.keras"), "--out", join(work, "x")], work);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /not a zip archive|end-of-central-directory/);
  });
});
