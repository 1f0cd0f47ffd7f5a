// A real trained model with saved preprocessing, served by the real loader on 127.0.0.1: raw
// records and tensors give exactly the outputs the model gives in-process.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Table } from "../../src/data/table/table.js";
import { ModelPredictor } from "../../src/io/predictor.js";
import { type RunningServer, startServer } from "../../src/serve/server.js";
import { RECORDS, saveRecordsModel } from "../fixtures/models/records-model.js";
import { call } from "./fixtures/http-client.js";

describe("serving a real saved model", () => {
  let dir: string;
  let server: RunningServer;
  let predictor: ModelPredictor;
  before(async () => {
    dir = await saveRecordsModel({ seed: 3, epochs: 5, save: { metadata: { name: "shapes" } } });
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
