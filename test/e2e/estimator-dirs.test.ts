// Estimator directories (a TabularModel: preprocessing + ml/ estimator, as `tessera train --target`
// and `tessera tune` save them) reach every entry path a network does: `tessera predict`,
// `tessera evaluate` (with --sensitive) and `tessera serve` (a real server on 127.0.0.1 with its
// worker threads), each giving exactly what the model gives in-process.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { formatCsv } from "../../src/data/formats/csv.js";
import { Table } from "../../src/data/table/table.js";
import { loadEstimator, saveEstimator } from "../../src/io/estimator-file.js";
import { readCsv } from "../../src/io/read-csv.js";
import { featureColumns, preprocessFor, targetLabels } from "../../src/ml/auto-train.js";
import { LinearRegression } from "../../src/ml/linear-regression.js";
import { LogisticRegression } from "../../src/ml/logistic-regression.js";
import { featuresOf, rawColumnsOf, TabularModel } from "../../src/ml/tabular-model.js";
import { type RunningServer, startServer } from "../../src/serve/server.js";
import { call } from "./fixtures/http-client.js";
import { runMain } from "./fixtures/run-main.js";

const root = mkdtempSync(join(tmpdir(), "tessera-estimator-dirs-"));
after(() => rmSync(root, { recursive: true, force: true }));
const dataset = (name: string) => join(import.meta.dirname, "..", "..", "datasets", name);

/** A TabularModel trained on a table as zero-config training builds one, saved to `dir`. */
async function saveTabular(
  table: Table,
  target: string,
  task: "classification" | "regression",
  dir: string,
): Promise<TabularModel> {
  const { numeric, categorical } = featureColumns(table, target);
  const preprocess = preprocessFor(numeric, categorical).fit(table);
  const estimator =
    task === "classification" ? new LogisticRegression({ maxIter: 200 }) : new LinearRegression();
  estimator.fit(featuresOf(preprocess, table), targetLabels(table, target) as never);
  const model = new TabularModel(preprocess, estimator, target, task, rawColumnsOf(preprocess, table));
  await saveEstimator(dir, model);
  return model;
}

describe("estimator directories on every entry path", () => {
  let penguins: Table;
  let classifier: TabularModel;
  let server: RunningServer;
  const classifierDir = join(root, "penguins");
  const regressorDir = join(root, "boston");
  const penguinsCsv = join(root, "penguins-20.csv");

  before(async () => {
    penguins = (await readCsv(dataset("penguins.csv"))).dropMissing({ columns: ["species"] });
    classifier = await saveTabular(penguins, "species", "classification", classifierDir);
    const boston = await readCsv(dataset("boston-housing.csv"));
    await saveTabular(boston, "medv", "regression", regressorDir);
    writeFileSync(penguinsCsv, formatCsv(penguins.head(20)));
    server = await startServer({ models: [{ dir: classifierDir }, { dir: regressorDir }], port: 0 });
    await server.ready;
  });
  after(() => server.close());

  test("the saved directory records the raw columns and their kinds, and loads them back", async () => {
    const loaded = await loadEstimator(classifierDir);
    assert.ok(loaded instanceof TabularModel);
    assert.deepEqual(
      loaded.columns?.find((c) => c.name === "island"),
      { name: "island", kind: "string" },
    );
    assert.deepEqual(loaded.classes, ["Adelie", "Chinstrap", "Gentoo"]);
  });

  test("tessera predict writes the label and one probability column per class, as the model does in-process", async () => {
    const { code, out, err } = await runMain(["predict", classifierDir, penguinsCsv, "--json"]);
    assert.equal(code, 0, err);
    const result = JSON.parse(out) as { model: string; rows: number; predictions: Record<string, unknown>[] };
    assert.equal(result.model, "penguins");
    assert.equal(result.rows, 20);
    const head = penguins.head(20);
    const labels = classifier.predict(head);
    const proba = classifier.predictProba(head);
    result.predictions.forEach((row, r) => {
      assert.equal(row.species_predicted, labels[r]);
      assert.equal(row.p_Gentoo, proba.data[r * 3 + 2]);
    });
    assert.ok(labels.filter((l, r) => l === head.column("species").get(r)).length >= 19);
  });

  test("tessera evaluate scores an estimator directory, by group with --sensitive", async () => {
    const { code, out, err } = await runMain([
      "evaluate",
      classifierDir,
      dataset("penguins.csv"),
      "--sensitive",
      "sex",
      "--json",
    ]);
    assert.equal(code, 0, err);
    const result = JSON.parse(out) as {
      rows: number;
      scores: { accuracy: number };
      fairness: { sensitive: string[] };
    };
    assert.equal(result.rows, 344);
    assert.ok(result.scores.accuracy > 0.97, `accuracy ${result.scores.accuracy}`);
    assert.deepEqual(result.fairness.sensitive, ["sex"]);
    const regression = await runMain(["evaluate", regressorDir, dataset("boston-housing.csv"), "--json"]);
    assert.equal(regression.code, 0, regression.err);
    const r2 = (JSON.parse(regression.out) as { scores: { r2: number } }).scores.r2;
    assert.ok(
      r2 > 0.7 && r2 < 0.8,
      `ordinary least squares on all of Boston housing has R^2 ~0.74, got ${r2}`,
    );
  });

  test("an unknown class in evaluate's data is a clear error naming the row", async () => {
    const path = join(root, "penguins-odd.csv");
    const rows = penguins.head(3).toRecords();
    rows[1]!.species = "Emperor";
    writeFileSync(path, formatCsv(Table.fromRecords(rows)));
    const { code, err } = await runMain(["evaluate", classifierDir, path]);
    assert.notEqual(code, 0);
    assert.match(err, /row 2 has target "Emperor", which the model never saw in training/);
  });

  test("the server answers TF-Serving records and KServe tensors with the in-process probabilities", async () => {
    const records = penguins
      .head(4)
      .toRecords()
      .map(({ species: _species, ...rest }) => rest);
    const reply = await call(`${server.url}/v1/models/penguins:predict`, "POST", { instances: records });
    assert.equal(reply.status, 200, reply.text);
    const expected = classifier.predictProba(records);
    const want = Array.from({ length: 4 }, (_, r) => Array.from(expected.data.subarray(r * 3, r * 3 + 3)));
    assert.deepEqual((reply.json as { predictions: number[][] }).predictions, want);
    const meta = (await call(`${server.url}/v2/models/penguins`)).json as {
      inputs: { shape: number[] }[];
      parameters: { labels: string[] };
    };
    const width = classifier.featureCount;
    assert.deepEqual(meta.inputs[0]!.shape, [-1, width]);
    assert.deepEqual(meta.parameters.labels, ["Adelie", "Chinstrap", "Gentoo"]);
    const features = classifier.features(records);
    const byTensor = await call(`${server.url}/v2/models/penguins/infer`, "POST", {
      inputs: [{ name: "features", shape: [4, width], datatype: "FP64", data: Array.from(features.data) }],
    });
    assert.equal(byTensor.status, 200, byTensor.text);
    assert.deepEqual((byTensor.json as { outputs: { data: number[] }[] }).outputs[0]!.data, want.flat());
  });

  test("the server serves a regression estimator too", async () => {
    const reply = await call(`${server.url}/v1/models/boston:predict`, "POST", {
      instances: [
        {
          crim: 0.00632,
          zn: 18,
          indus: 2.31,
          chas: 0,
          nox: 0.538,
          rm: 6.575,
          age: 65.2,
          dis: 4.09,
          rad: 1,
          tax: 296,
          ptratio: 15.3,
          b: 396.9,
          lstat: 4.98,
        },
      ],
    });
    assert.equal(reply.status, 200, reply.text);
    const [value] = (reply.json as { predictions: number[][] }).predictions[0]!;
    assert.ok(value! > 25 && value! < 35, `the first Boston row (medv 24) predicts ${value}`);
  });
});
