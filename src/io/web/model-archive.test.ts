// The model archive (downloadModel's single file) in Node: modelToZip -> loadModelFromFile (a File)
// and loadModelFromUrl (a .zip served on loopback) predict exactly what loadModel's model predicts;
// unzipped it is a directory loadModel reads; a zip made by another tool (deflated, files in a
// folder) loads too; the directory's two files picked together load; and broken archives are
// FormatErrors naming the archive.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { deflateRawSync } from "node:zlib";
import { type PageFiles, servePage } from "../../../test/browser/browser.js";
import { ROWS, saveRecordsModel } from "../../../test/fixtures/models/records-model.js";
import { FormatError } from "../../core/errors.js";
import type { Model } from "../../models/model.js";
import { tensor } from "../../tensor/creation.js";
import { Tensor } from "../../tensor/tensor.js";
import { loadModel, loadModelBundle } from "../load-model.js";
import { loadModelFromUrl } from "../load-model-url.js";
import { ModelPredictor } from "../model-predictor.js";
import { ZipArchive } from "../zip/read-zip.js";
import { writeZip } from "../zip/write-zip.js";
import { loadModelBundleFromFile, loadModelFromFile } from "./load-model-file.js";
import { modelFromZip, modelToZip } from "./model-archive.js";

const X = tensor([
  [0.3, 1, 0, 0],
  [-1.2, 0, 1, 0],
  [2.5, 0, 0, 1],
]);

function predictions(model: Model): number[] {
  const out = model.predict(X, { verbose: 0 });
  assert.ok(out instanceof Tensor);
  return Array.from(out.data, Number);
}

describe("model archive", () => {
  let dir: string;
  let original: Model;
  let expected: number[];
  let zip: Uint8Array;

  before(async () => {
    dir = await saveRecordsModel({ seed: 9, epochs: 20, save: { labels: ["big", "small"] } });
    original = await loadModel(dir);
    expected = predictions(original);
    zip = await modelToZip(original);
  });

  test("is a zip of the model directory's two files, which loadModel reads once unzipped", async () => {
    const archive = new ZipArchive(zip, "model.zip");
    assert.deepEqual([...archive.entries.keys()], ["model.json", "weights.safetensors"]);
    assert.deepEqual(
      new Uint8Array(archive.read("weights.safetensors")),
      new Uint8Array(readFileSync(join(dir, "weights.safetensors"))),
    );
    const unzipped = join(dir, "..", "unzipped");
    mkdirSync(unzipped);
    for (const name of archive.entries.keys()) writeFileSync(join(unzipped, name), archive.read(name));
    assert.deepEqual(predictions(await loadModel(unzipped)), expected);
  });

  test("loads back from a File with its preprocessing and labels", async () => {
    const bundle = await loadModelBundleFromFile(new File([zip], "records.zip"));
    assert.equal(bundle.dir, "records.zip");
    assert.deepEqual(predictions(bundle.model), expected);
    const predictor = new ModelPredictor(bundle);
    const [out] = predictor.predictRecords(ROWS);
    assert.ok(out !== undefined);
    const fromDisk = new ModelPredictor(await loadModelBundle(dir));
    const [want] = fromDisk.predictRecords(ROWS);
    assert.ok(want !== undefined);
    assert.deepEqual(Array.from(out.data), Array.from(want.data));
    assert.deepEqual(predictor.labelsOf(out), fromDisk.labelsOf(want));
    assert.equal(predictor.labelsOf(out)?.length, ROWS.length);
    assert.deepEqual(predictions((await loadModelBundleFromFile(new Blob([zip]))).model), expected);
  });

  test("loads a directory's two files picked together, and a deflated zip with a folder", async () => {
    const json = new File([readFileSync(join(dir, "model.json"))], "model.json");
    const weights = new File([readFileSync(join(dir, "weights.safetensors"))], "weights.safetensors");
    assert.deepEqual(predictions(await loadModelFromFile([weights, json])), expected);
    const other = writeZip(
      {
        "records/model.json": readFileSync(join(dir, "model.json")),
        "records/weights.safetensors": readFileSync(join(dir, "weights.safetensors")),
      },
      { deflate: deflateRawSync },
    );
    assert.equal(new ZipArchive(other).entries.get("records/model.json")?.method, 8);
    const bundle = await modelFromZip(other, "other.zip");
    assert.deepEqual(predictions(bundle.model), expected);
  });

  test("broken archives and wrong picks are FormatErrors naming the archive", async () => {
    const refuses = (input: Promise<unknown>, message: RegExp) =>
      assert.rejects(input, (e: unknown) => e instanceof FormatError && message.test(e.message));
    await refuses(loadModelFromFile(new File(["a,b\n1,2\n"], "data.csv")), /^data\.csv: not a zip archive/);
    await refuses(
      loadModelFromFile(new File([readFileSync(join(dir, "model.json"))], "model.json")),
      /model\.json was picked without weights\.safetensors/,
    );
    const flipped = new Uint8Array(zip);
    flipped[zip.length - 200]! ^= 1; // a byte of the weights (the last entry's data)
    await refuses(modelFromZip(flipped, "m.zip"), /^m\.zip: CRC-32 mismatch in "weights\.safetensors"$/);
    const noWeights = writeZip({ "model.json": readFileSync(join(dir, "model.json")) });
    await refuses(
      modelFromZip(noWeights, "m.zip"),
      /^m\.zip: no entry "weights\.safetensors" in the archive/,
    );
    const two = writeZip({ "a/model.json": "{}", "b/model.json": "{}" });
    await refuses(modelFromZip(two, "two.zip"), /holds 2 models/);
    await refuses(
      modelFromZip(zip, "m.zip", { maxWeightsBytes: 10 }),
      /^m\.zip\/weights\.safetensors: \d+ bytes, above the 10-byte limit/,
    );
  });

  describe("over HTTP", () => {
    let origin: string;
    let close: () => void;
    before(async () => {
      const files: PageFiles = new Map([["/models/records.zip", { body: zip, type: "application/zip" }]]);
      ({ origin, close } = await servePage(files));
    });
    after(() => close());

    test("loadModelFromUrl reads a served .zip", async () => {
      assert.deepEqual(predictions(await loadModelFromUrl(`${origin}/models/records.zip`)), expected);
      await assert.rejects(
        loadModelFromUrl(`${origin}/models/missing.zip`),
        new FormatError(
          `${origin}/models/missing.zip: HTTP 404 Not Found (the model archive); is this a Tessera model directory?`,
        ),
      );
    });
  });
});
