// Tests of loadTfjs on layers models built and saved by @tensorflow/tfjs-layers 4.22.0
// (test/fixtures/tfjs, make-fixtures.ts): outputs must match tfjs's within 1e-5.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { FormatError } from "../../core/errors.js";
import { Tensor } from "../../tensor/tensor.js";
import { loadTfjs, parseTfjs } from "./load-tfjs.js";

const FIXTURES = join(import.meta.dirname, "../../../test/fixtures/tfjs");
const TOLERANCE = 1e-5;

interface Recorded {
  inputs: { shape: number[]; dtype: string; values: number[] }[];
  outputs: { shape: number[]; values: number[] }[];
}

describe("loadTfjs on models saved by tfjs-layers", () => {
  for (const name of ["mlp", "cnn", "lstm", "functional"]) {
    it(`${name}: outputs match tfjs within ${TOLERANCE}`, async () => {
      const dir = join(FIXTURES, name);
      const record = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as Recorded;
      const model = await loadTfjs(dir);
      const inputs = record.inputs.map((x) =>
        x.dtype === "int32"
          ? new Tensor(Int32Array.from(x.values), x.shape)
          : new Tensor(Float32Array.from(x.values), x.shape),
      );
      const out = model.apply(inputs.length === 1 ? inputs[0]! : inputs);
      const expected = record.outputs[0]!;
      assert.deepEqual([...out.shape], expected.shape);
      let worst = 0;
      expected.values.forEach((v, i) => {
        worst = Math.max(worst, Math.abs((out.data[i] as number) - v));
      });
      assert.ok(worst <= TOLERANCE, `${name}: max |difference| ${worst}`);
    });
  }
});

describe("loadTfjs on bad input", () => {
  const modelJson = JSON.parse(readFileSync(join(FIXTURES, "mlp", "model.json"), "utf8"));
  const shard = new Uint8Array(readFileSync(join(FIXTURES, "mlp", "group1-shard1of1.bin")));

  it("rejects short weight shards, naming the weight", async () => {
    await assert.rejects(
      parseTfjs(modelJson, async () => shard.subarray(0, shard.length - 8)),
      (e: unknown) => e instanceof FormatError && /needs bytes/.test(e.message),
    );
  });

  it("refuses shard paths that leave the model directory", async () => {
    const bad = structuredClone(modelJson);
    bad.weightsManifest[0].paths = ["../secret.bin"];
    await assert.rejects(
      parseTfjs(bad, async () => shard),
      /plain file name/,
    );
  });

  it("refuses graph models with a clear message", async () => {
    await assert.rejects(
      parseTfjs({ ...modelJson, format: "graph-model" }, async () => shard),
      /graph models/,
    );
  });
});
