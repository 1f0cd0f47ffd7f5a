// loadModelFromUrl against a real loopback HTTP server serving a saved model directory (with
// fitted preprocessing): the model loaded over fetch predicts exactly what loadModel's does, on
// tensors and on raw records; a 404 and corrupt weights are FormatErrors naming the URL.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, normalize } from "node:path";
import { after, before, describe, test } from "node:test";
import { ROWS, saveRecordsModel } from "../../test/fixtures/models/records-model.js";
import { FormatError } from "../core/errors.js";
import { tensor } from "../tensor/creation.js";
import { Tensor } from "../tensor/tensor.js";
import { loadModelBundle } from "./load-model.js";
import { loadModelBundleFromUrl, loadModelFromUrl } from "./load-model-url.js";
import { modelFromBytes } from "./model-from-bytes.js";
import { ModelPredictor } from "./model-predictor.js";

/** A prediction's values as numbers (predict() on one tensor returns one tensor). */
function values(output: unknown): number[] {
  assert.ok(output instanceof Tensor);
  return Array.from(output.data, Number);
}

/** Serves files under `root` read-only on 127.0.0.1; anything else is a 404. */
function serveDirectory(root: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = normalize(join(root, decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname)));
    let body: Buffer;
    try {
      if (!path.startsWith(root)) throw new Error("outside");
      body = readFileSync(path);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(200, { "content-length": body.length }).end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("loadModelFromUrl over a loopback HTTP server", () => {
  let root: string;
  let dir: string;
  let server: Server;
  let base: string;

  before(async () => {
    dir = await saveRecordsModel({ seed: 7, epochs: 5 });
    root = dirname(dir);
    // A copy whose weights have one byte flipped (same size, so only the SHA-256 catches it).
    const corrupt = join(root, "corrupt");
    mkdirSync(corrupt);
    copyFileSync(join(dir, "model.json"), join(corrupt, "model.json"));
    const weights = readFileSync(join(dir, "weights.safetensors"));
    const last = weights.length - 1;
    weights.writeUInt8(weights.readUInt8(last) ^ 0x01, last);
    writeFileSync(join(corrupt, "weights.safetensors"), weights);
    server = await serveDirectory(root);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("predicts bit for bit what loadModel's model predicts, on tensors and raw records", async () => {
    const fromDisk = await loadModelBundle(dir);
    const fromUrl = await loadModelBundleFromUrl(`${base}/model/`);
    assert.equal(fromUrl.dir, `${base}/model/`);
    assert.deepEqual(fromUrl.file, fromDisk.file);
    const x = tensor([
      [0.3, 1, 0, 0],
      [-1.2, 0, 1, 0],
      [2.5, 0, 0, 1],
    ]);
    const a = values(fromDisk.model.predict(x, { verbose: 0 }));
    assert.deepEqual(values(fromUrl.model.predict(x, { verbose: 0 })), a);
    const [pa] = new ModelPredictor(fromDisk).predictRecords(ROWS);
    const urlPredictor = new ModelPredictor(fromUrl);
    const [pb] = urlPredictor.predictRecords(ROWS);
    assert.ok(pa !== undefined && pb !== undefined);
    assert.deepEqual(Array.from(pb.data), Array.from(pa.data));
    assert.equal(pb.shape[0], ROWS.length);
    assert.deepEqual(urlPredictor.labelsOf(pb), new ModelPredictor(fromDisk).labelsOf(pa));
    // The model.json URL names its directory too, and the saved compile() options come back.
    const model = await loadModelFromUrl(new URL(`${base}/model/model.json`));
    assert.deepEqual(values(model.predict(x, { verbose: 0 })), a);
    const logs = await model.evaluate(x, tensor([1, 0, 1], { dtype: "int32" }), { verbose: 0 });
    assert.ok(Number.isFinite(Object.values(logs)[0]));
  });

  test("modelFromBytes rebuilds the same model from the two files' contents", async () => {
    const bundle = await modelFromBytes(
      readFileSync(join(dir, "model.json"), "utf8"),
      new Uint8Array(readFileSync(join(dir, "weights.safetensors"))),
    );
    const fromDisk = await loadModelBundle(dir);
    const x = tensor([[0.1, 0, 0, 1]]);
    assert.deepEqual(
      values(bundle.model.predict(x, { verbose: 0 })),
      values(fromDisk.model.predict(x, { verbose: 0 })),
    );
  });

  test("a missing directory is a FormatError naming model.json's URL and the status", async () => {
    const url = `${base}/nothing-here/model.json`;
    await assert.rejects(loadModelFromUrl(`${base}/nothing-here`), (error: unknown) => {
      assert.ok(error instanceof FormatError);
      assert.ok(error.message.startsWith(`${url}: HTTP 404`), error.message);
      return true;
    });
  });

  test("corrupt weights are a FormatError naming the weights' URL", async () => {
    const url = `${base}/corrupt/weights.safetensors`;
    await assert.rejects(loadModelFromUrl(`${base}/corrupt/`), (error: unknown) => {
      assert.ok(error instanceof FormatError);
      assert.equal(
        error.message,
        `${url}: SHA-256 differs from the one in model.json (the file is corrupted or was replaced)`,
      );
      return true;
    });
  });

  test("a failed request and an oversized model.json are FormatErrors naming the URL", async () => {
    const refused = async () => {
      throw new TypeError("fetch failed");
    };
    await assert.rejects(
      loadModelFromUrl(`${base}/model/`, { fetch: refused }),
      new FormatError(`${base}/model/model.json: cannot fetch the model description (fetch failed)`),
    );
    await assert.rejects(loadModelFromUrl(`${base}/model/`, { maxModelJsonBytes: 10 }), (error: unknown) => {
      assert.ok(error instanceof FormatError);
      assert.match(error.message, /model\/model\.json: \d+ bytes, above the 10-byte limit for model\.json$/);
      return true;
    });
  });
});
