// A ModelPipeline (ml/model-pipeline: preprocessing steps + a final estimator or network) saved
// with io/pipeline-file is one directory that `tessera predict`, `tessera evaluate` and `tessera
// serve` (a real server on 127.0.0.1) read like any model, giving what the pipeline gives in-process:
// an estimator pipeline as an estimator directory, a network pipeline as a model directory with its
// preprocessing.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { seed } from "../../src/core/random.js";
import { formatCsv } from "../../src/data/formats/csv.js";
import { SimpleImputer } from "../../src/data/preprocess/imputer.js";
import { StandardScaler } from "../../src/data/preprocess/scalers.js";
import type { Table } from "../../src/data/table/table.js";
import { loadEstimator } from "../../src/io/estimator-file.js";
import { loadModelBundle } from "../../src/io/load-model.js";
import { savePipeline } from "../../src/io/pipeline-file.js";
import { readCsv } from "../../src/io/read-csv.js";
import { LogisticRegression } from "../../src/ml/logistic-regression.js";
import { ModelPipeline } from "../../src/ml/model-pipeline.js";
import { featureColumns, preprocessFor } from "../../src/ml/tabular-features.js";
import { TabularModel } from "../../src/ml/tabular-model.js";
import { sequential } from "../../src/models/sequential.js";
import * as layers from "../../src/nn/layers/index.js";
import { type RunningServer, startServer } from "../../src/serve/server.js";
import { call } from "./fixtures/http-client.js";
import { runMain } from "./fixtures/run-main.js";

const root = mkdtempSync(join(tmpdir(), "tessera-pipeline-dirs-"));
after(() => rmSync(root, { recursive: true, force: true }));
const dataset = (name: string) => join(import.meta.dirname, "..", "..", "datasets", name);

describe("a pipeline ending in an estimator", () => {
  let iris: Table;
  let pipeline: ModelPipeline;
  let server: RunningServer;
  const dir = join(root, "iris-pipeline");

  before(async () => {
    iris = await readCsv(dataset("iris.csv"));
    pipeline = await new ModelPipeline(
      [
        ["impute", new SimpleImputer({ strategy: "mean" })],
        ["scale", new StandardScaler()],
      ],
      new LogisticRegression({ maxIter: 300 }),
      { target: "species" },
    ).fit(iris);
    await savePipeline(dir, pipeline);
    server = await startServer({ models: [{ dir }], port: 0 });
    await server.ready;
  });
  after(() => server.close());

  test("saves as one estimator directory that loads back to the same predictions", async () => {
    const loaded = await loadEstimator(dir);
    assert.ok(loaded instanceof TabularModel);
    assert.equal(loaded.preprocess.type, "Pipeline");
    assert.deepEqual(loaded.predictProba(iris).data, pipeline.predictProba(iris).data);
    assert.equal(pipeline.task, "classification");
    const accuracy =
      pipeline.predict(iris).filter((p, r) => p === iris.column("species").get(r)).length / 150;
    assert.ok(accuracy > 0.95, `training accuracy ${accuracy}`);
  });

  test("tessera predict, evaluate and serve read it", async () => {
    const csv = join(root, "iris-10.csv");
    writeFileSync(csv, formatCsv(iris.take([0, 1, 60, 61, 120, 121, 2, 3, 70, 140])));
    const predicted = await runMain(["predict", dir, csv, "--json"]);
    assert.equal(predicted.code, 0, predicted.err);
    const rows = (JSON.parse(predicted.out) as { predictions: { species_predicted: string }[] }).predictions;
    const head = iris.take([0, 1, 60, 61, 120, 121, 2, 3, 70, 140]);
    assert.deepEqual(
      rows.map((r) => r.species_predicted),
      pipeline.predict(head),
    );
    const evaluated = await runMain(["evaluate", dir, dataset("iris.csv"), "--json"]);
    assert.equal(evaluated.code, 0, evaluated.err);
    const accuracy = (JSON.parse(evaluated.out) as { scores: { accuracy: number } }).scores.accuracy;
    assert.ok(accuracy > 0.95, `accuracy ${accuracy}`);
    const records = head.drop(["species"]).toRecords();
    const reply = await call(`${server.url}/v1/models/iris-pipeline:predict`, "POST", { instances: records });
    assert.equal(reply.status, 200, reply.text);
    const proba = pipeline.predictProba(head);
    assert.deepEqual(
      (reply.json as { predictions: number[][] }).predictions,
      Array.from({ length: 10 }, (_, r) => Array.from(proba.data.subarray(r * 3, r * 3 + 3))),
    );
  });
});

describe("a pipeline ending in a network", () => {
  test("saves as a model directory with its preprocessing; tessera predict and evaluate read it", async () => {
    seed(7);
    const penguins = (await readCsv(dataset("penguins.csv"))).dropMissing({ columns: ["species"] });
    const { numeric, categorical } = featureColumns(penguins, "species");
    const network = sequential([
      layers.dense({ units: 16, activation: "relu" }),
      layers.dense({ units: 3, activation: "softmax" }),
    ]);
    network.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy" });
    const pipeline = await new ModelPipeline([["prep", preprocessFor(numeric, categorical)]], network, {
      target: "species",
      task: "classification",
      fit: { epochs: 30, batchSize: 32, verbose: 0 },
    }).fit(penguins);
    const dir = join(root, "penguins-network");
    await savePipeline(dir, pipeline);
    const bundle = await loadModelBundle(dir);
    assert.equal(bundle.preprocessing?.features.type, "ColumnTransformer");
    assert.deepEqual(bundle.preprocessing?.target?.classes, ["Adelie", "Chinstrap", "Gentoo"]);
    const csv = join(root, "penguins-12.csv");
    const head = penguins.take([0, 1, 2, 160, 161, 162, 280, 281, 282, 300, 301, 302]);
    writeFileSync(csv, formatCsv(head));
    const predicted = await runMain(["predict", dir, csv, "--json"]);
    assert.equal(predicted.code, 0, predicted.err);
    const rows = (JSON.parse(predicted.out) as { predictions: { species_predicted: string }[] }).predictions;
    assert.deepEqual(
      rows.map((r) => r.species_predicted),
      pipeline.predict(head),
    );
    const evaluated = await runMain(["evaluate", dir, dataset("penguins.csv"), "--json"]);
    assert.equal(evaluated.code, 0, evaluated.err);
    const accuracy = (JSON.parse(evaluated.out) as { scores: { accuracy: number } }).scores.accuracy;
    assert.ok(accuracy > 0.9, `accuracy ${accuracy}`);
  });
});
