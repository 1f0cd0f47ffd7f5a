// loadCheckpoint and optimizer.safetensors: a slot tensor named "0/__proto__" (or with more than
// two path parts) is refused by name, instead of setting the prototype of the slots object.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FormatError } from "../../src/core/errors.js";
import { checkpointFiles, loadCheckpoint } from "../../src/io/checkpoint.js";
import { decodeSafetensors, encodeSafetensors } from "../../src/io/safetensors.js";
import { saveModelSync } from "../../src/io/save-model.js";
import { sequential } from "../../src/models/sequential.js";
import * as layers from "../../src/nn/layers/index.js";
import { tensor } from "../../src/tensor/creation.js";
import "../../src/train/model-methods.js";

test("optimizer slot names must be identifiers, not prototype members", async () => {
  const model = sequential([layers.dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: "adam", loss: "mse" });
  await model.fit(tensor([[1, 2]]), tensor([[1]]), { verbose: 0 });
  const dir = join(mkdtempSync(join(tmpdir(), "tessera-slots-")), "ckpt");
  saveModelSync(model, dir, {}, checkpointFiles(model, { epoch: 1, batches: null }));
  assert.equal((await loadCheckpoint(dir)).position.epoch, 1);
  const path = join(dir, "optimizer.safetensors");
  const { tensors } = decodeSafetensors(new Uint8Array(readFileSync(path)), path);
  for (const bad of ["0/__proto__", "0/constructor", "0/m/x"]) {
    const renamed = [...tensors].map(([name, t], i): [string, typeof t] => [i === 0 ? bad : name, t]);
    writeFileSync(path, encodeSafetensors(renamed, { format: "tessera-optimizer" }));
    await assert.rejects(loadCheckpoint(dir), (error: unknown) => {
      assert.ok(error instanceof FormatError, String(error));
      assert.match(error.message, new RegExp(`unexpected tensor "${bad.replace("/", "\\/")}"`));
      return true;
    });
  }
});
