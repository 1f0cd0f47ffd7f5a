// save and loadModel with tfjs-style locations: file:// URLs (tfjs's "file://./m", standard
// "file:///abs/m", URL objects) and the path of model.json; clear errors for everything else.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { ValueError } from "../core/errors.js";
import type { Model } from "../models/model.js";
import { sequential } from "../models/sequential.js";
import { dense } from "../nn/layers/index.js";
import { tensor } from "../tensor/creation.js";
import { loadModel } from "./load-model.js";
import "../train/model-methods.js";
import "./save-model.js";

const cwd = process.cwd();
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "tessera-model-path-"));
  process.chdir(dir);
});
after(() => process.chdir(cwd));

function smallModel() {
  return sequential([dense({ units: 2, inputShape: [3] })]);
}
const x = tensor([[1, 2, 3]]);
const outputOf = (m: Model) => [...m.predictOnBatch(x).data];

test('save("file://./m") writes ./m, not a folder named "file:"', async () => {
  const m = smallModel();
  await m.save("file://./m");
  assert.ok(existsSync(join(dir, "m", "model.json")));
  assert.ok(!existsSync(join(dir, "file:")));
  assert.deepEqual(outputOf(await loadModel("file://./m")), outputOf(m));
});

test("standard file:/// URLs, as strings and URL objects, both ways", async () => {
  const m = smallModel();
  const url = pathToFileURL(join(dir, "with space", "m"));
  await m.save(url);
  assert.ok(existsSync(join(dir, "with space", "m", "model.json")), "percent-decoded");
  assert.deepEqual(outputOf(await loadModel(url.href)), outputOf(m));
  await m.save(`file://${join(dir, "abs")}`);
  assert.deepEqual(outputOf(await loadModel(pathToFileURL(join(dir, "abs")))), outputOf(m));
});

test("loadModel takes the path of model.json (as tfjs's loadLayersModel does)", async () => {
  const m = smallModel();
  await m.save("n");
  assert.deepEqual(outputOf(await loadModel("n/model.json")), outputOf(m));
  assert.deepEqual(outputOf(await loadModel(join(dir, "n", "model.json"))), outputOf(m));
  assert.deepEqual(outputOf(await loadModel("file://./n/model.json")), outputOf(m));
});

test("clear errors: another file, another URL scheme, save to model.json", async () => {
  await smallModel().save("k");
  await assert.rejects(loadModel("k/weights.safetensors"), (e: unknown) => {
    assert.ok(e instanceof ValueError);
    assert.match(e.message, /loadModel: k\/weights\.safetensors is a file; pass the model directory/);
    return true;
  });
  for (const location of ["http://example.com/m/model.json", "indexeddb://m", "localstorage://m"]) {
    await assert.rejects(
      loadModel(location),
      (e: unknown) =>
        e instanceof ValueError && /loadModel: ".*" is a \w+:\/\/ URL; models are saved/.test(e.message),
      location,
    );
  }
  await assert.rejects(
    loadModel(new URL("https://example.com/m")),
    /loadModel: only file:\/\/ URLs name a model directory/,
  );
  await assert.rejects(smallModel().save("k2/model.json"), (e: unknown) => {
    assert.ok(e instanceof ValueError);
    assert.match(
      e.message,
      /save: k2\/model\.json names the model\.json file; pass the directory to write \(k2\)/,
    );
    return true;
  });
  assert.ok(!existsSync(join(dir, "k2")));
  await assert.rejects(smallModel().save("file://"), /save: "file:\/\/" names no directory/);
});
