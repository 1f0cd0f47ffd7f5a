// A real trained model with saved preprocessing, served by the real loader on 127.0.0.1: raw
// records and tensors give exactly the outputs the model gives in-process.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { seed } from "../../src/core/random.js";
import { LabelEncoder, OneHotEncoder } from "../../src/data/preprocess/encoders.js";
import { ColumnTransformer } from "../../src/data/preprocess/pipeline.js";
import { StandardScaler } from "../../src/data/preprocess/scalers.js";
import { Table } from "../../src/data/table/table.js";
import { ModelPredictor } from "../../src/io/predictor.js";
import { columnSignatures } from "../../src/io/preprocessing.js";
import { saveModel } from "../../src/io/save-model.js";
import { sequential } from "../../src/models/sequential.js";
import * as layers from "../../src/nn/layers/index.js";
import { type RunningServer, startServer } from "../../src/serve/server.js";
import { tensor } from "../../src/tensor/creation.js";
import "../../src/train/model-methods.js";
import { call } from "./fixtures/http-client.js";

const RECORDS = [
  { size: 1.0, color: "red", label: "small" },
  { size: 5.0, color: "blue", label: "big" },
  { size: 1.5, color: "blue", label: "small" },
  { size: 4.5, color: "red", label: "big" },
  { size: 0.5, color: "green", label: "small" },
  { size: 6.0, color: "green", label: "big" },
];

async function trainedModelDir(): Promise<string> {
  seed(3);
  const table = Table.fromRecords(RECORDS);
  const features = new ColumnTransformer([
    ["num", new StandardScaler(), ["size"]],
    ["cat", new OneHotEncoder(), ["color"]],
  ]);
  const x = features.fitTransform(table);
  const target = new LabelEncoder();
  const y = tensor(Array.from(target.fitTransform(table.column("label").toArray())), { dtype: "int32" });
  const m = sequential([
    layers.dense({ units: 8, activation: "relu", inputShape: [4] }),
    layers.dense({ units: 2, activation: "softmax" }),
  ]);
  m.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
  await m.fit(x, y, { epochs: 5, batchSize: 3, verbose: 0 });
  const dir = join(mkdtempSync(join(tmpdir(), "tessera-real-")), "model");
  await saveModel(m, dir, {
    preprocessing: { features, target },
    columns: columnSignatures(table, ["size", "color"]),
    target: ["label"],
    metadata: { name: "shapes" },
  });
  return dir;
}

describe("serving a real saved model", () => {
  let dir: string;
  let server: RunningServer;
  let predictor: ModelPredictor;
  before(async () => {
    dir = await trainedModelDir();
    predictor = await ModelPredictor.load(dir);
    server = await startServer({ models: [{ dir }], port: 0 });
    await server.ready;
  });
  after(() => server.close());

  test("the loaded predictor names classes and takes records", () => {
    assert.deepEqual(predictor.signature.labels, ["big", "small"]);
    const [probs] = predictor.predictRecords(RECORDS);
    assert.deepEqual(probs!.shape, [6, 2]);
    assert.equal(predictor.labelsOf(probs!)!.length, 6);
  });

  test("metadata describes the preprocessed input and the raw columns", async () => {
    const meta = (await call(`${server.url}/v2/models/shapes`)).json as Record<string, unknown>;
    assert.deepEqual(meta.inputs, [
      { name: (meta.inputs as { name: string }[])[0]!.name, datatype: "FP32", shape: [-1, 4] },
    ]);
    assert.deepEqual((meta.parameters as { columns: unknown }).columns, [
      { name: "size", datatype: "FP64" },
      { name: "color", datatype: "BYTES" },
    ]);
    assert.deepEqual((meta.parameters as { labels: unknown }).labels, ["big", "small"]);
  });

  test("TF-Serving records give exactly the in-process outputs", async () => {
    const instances = RECORDS.map(({ size, color }) => ({ size, color }));
    const reply = await call(`${server.url}/v1/models/shapes:predict`, "POST", { instances });
    assert.equal(reply.status, 200, reply.text);
    const [expected] = predictor.predictRecords(instances);
    const want = Array.from({ length: 6 }, (_, r) => [expected!.data[2 * r], expected!.data[2 * r + 1]]);
    assert.deepEqual((reply.json as { predictions: number[][] }).predictions, want);
  });

  test("KServe v2 column inputs and tensor inputs give the same outputs", async () => {
    const byColumns = await call(`${server.url}/v2/models/shapes/infer`, "POST", {
      inputs: [
        { name: "size", shape: [2], datatype: "FP64", data: [1.0, 6.0] },
        { name: "color", shape: [2], datatype: "BYTES", data: ["red", "green"] },
      ],
    });
    assert.equal(byColumns.status, 200, byColumns.text);
    const features = predictor.features(Table.fromRecords([RECORDS[0]!, RECORDS[5]!]));
    const inputName = predictor.signature.inputs[0]!.name;
    const byTensor = await call(`${server.url}/v2/models/shapes/infer`, "POST", {
      inputs: [{ name: inputName, shape: [2, 4], datatype: "FP32", data: Array.from(features.data) }],
    });
    assert.equal(byTensor.status, 200, byTensor.text);
    const a = (byColumns.json as { outputs: { data: number[] }[] }).outputs[0]!.data;
    const b = (byTensor.json as { outputs: { data: number[] }[] }).outputs[0]!.data;
    assert.deepEqual(a, b);
    assert.deepEqual(a, Array.from(predictor.run(features)[0]!.data));
  });

  test("an unseen category is a 400 for that request, not a crash", async () => {
    const reply = await call(`${server.url}/v1/models/shapes:predict`, "POST", {
      instances: [{ size: 1, color: "purple" }],
    });
    assert.equal(reply.status, 400, reply.text);
    assert.match((reply.json as { error: string }).error, /purple/);
    assert.equal((await call(`${server.url}/v2/health/ready`)).status, 200);
  });
});
