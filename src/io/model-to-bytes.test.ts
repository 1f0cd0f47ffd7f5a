// modelToBytes (the portable save step, SHA-256 by WebCrypto) writes what saveModel's modelFiles
// (node:crypto) writes: the same weights bytes and the same model.json but for its creation time.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { saveRecordsModel } from "../../test/fixtures/models/records-model.js";
import { loadModel } from "./load-model.js";
import { MODEL_JSON, WEIGHTS_FILE } from "./model-format.js";
import { modelFromBytes } from "./model-from-bytes.js";
import { modelToBytes } from "./model-to-bytes.js";
import { modelFiles } from "./save-model.js";

const withoutTime = (text: string) => text.replace(/"createdAt": "[^"]+"/, '"createdAt": "-"');

test("modelToBytes gives saveModel's files, and they load back", async () => {
  const model = await loadModel(await saveRecordsModel({ seed: 5, epochs: 3 }));
  const portable = await modelToBytes(model, { metadata: { run: 1 } });
  const node = modelFiles(model, { metadata: { run: 1 } });
  const weights = portable.files[WEIGHTS_FILE] as Uint8Array;
  assert.deepEqual(weights, node.files[WEIGHTS_FILE]);
  assert.equal(portable.file.weights.sha256, createHash("sha256").update(weights).digest("hex"));
  const json = portable.files[MODEL_JSON] as string;
  assert.equal(withoutTime(json), withoutTime(node.files[MODEL_JSON] as string));
  assert.equal(portable.file.metadata.node, process.version);
  assert.equal(portable.file.metadata.platform, `${process.platform}-${process.arch}`);
  assert.equal(portable.file.metadata.run, 1);
  const back = await modelFromBytes(json, weights);
  assert.deepEqual(
    back.model.getWeights().map((w) => Array.from(w.data)),
    model.getWeights().map((w) => Array.from(w.data)),
  );
});
