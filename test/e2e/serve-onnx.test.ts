// `tessera serve model.onnx`: an ONNX file (here a Tessera network's model.exportOnnx) is
// served by a real server on 127.0.0.1 through io/onnx's importer, and answers KServe v2 and
// TF-Serving requests with the network's own outputs (within float32 rounding).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { seed } from "../../src/core/random.js";
import "../../src/io/save-model.js";
import type { Model } from "../../src/models/model.js";
import { sequential } from "../../src/models/sequential.js";
import * as layers from "../../src/nn/layers/index.js";
import { type RunningServer, startServer } from "../../src/serve/server.js";
import { randn } from "../../src/tensor/creation.js";
import "../../src/train/model-methods.js";
import { call } from "./fixtures/http-client.js";

const root = mkdtempSync(join(tmpdir(), "tessera-serve-onnx-"));
after(() => rmSync(root, { recursive: true, force: true }));

describe("serving an ONNX file", () => {
  let server: RunningServer;
  let network: Model;
  const path = join(root, "classifier.onnx");

  before(async () => {
    seed(11);
    network = sequential([
      layers.dense({ units: 8, activation: "relu", inputShape: [5] }),
      layers.dense({ units: 3, activation: "softmax" }),
    ]);
    await network.exportOnnx(path);
    server = await startServer({ models: [{ dir: path }], port: 0 });
    await server.ready;
  });
  after(() => server.close());

  test("metadata names the graph's input and output with a batch dimension", async () => {
    const reply = await call(`${server.url}/v2/models/classifier`);
    assert.equal(reply.status, 200, reply.text);
    const meta = reply.json as { inputs: { shape: number[] }[]; outputs: { shape: number[] }[] };
    assert.deepEqual(meta.inputs[0]!.shape, [-1, 5]);
    assert.deepEqual(meta.outputs[0]!.shape, [-1, 3]);
  });

  test("KServe v2 and TF-Serving requests give the network's outputs", async () => {
    const x = randn([4, 5]);
    const expected = Array.from(network.predict(x).data);
    const meta = (await call(`${server.url}/v2/models/classifier`)).json as { inputs: { name: string }[] };
    const reply = await call(`${server.url}/v2/models/classifier/infer`, "POST", {
      inputs: [{ name: meta.inputs[0]!.name, shape: [4, 5], datatype: "FP32", data: Array.from(x.data) }],
    });
    assert.equal(reply.status, 200, reply.text);
    const got = (reply.json as { outputs: { data: number[] }[] }).outputs[0]!.data;
    assert.equal(got.length, 12);
    for (const [i, v] of got.entries())
      assert.ok(Math.abs(v - expected[i]!) < 1e-6, `output ${i}: ${v} vs ${expected[i]}`);
    const rows = Array.from({ length: 4 }, (_, r) => Array.from(x.data.subarray(r * 5, r * 5 + 5)));
    const tf = await call(`${server.url}/v1/models/classifier:predict`, "POST", { instances: rows });
    assert.equal(tf.status, 200, tf.text);
    assert.deepEqual((tf.json as { predictions: number[][] }).predictions.flat(), got);
  });

  test("raw records are refused with a clear 400 (ONNX carries no preprocessing)", async () => {
    const reply = await call(`${server.url}/v1/models/classifier:predict`, "POST", {
      instances: [{ a: 1 }],
    });
    assert.equal(reply.status, 400, reply.text);
  });
});
