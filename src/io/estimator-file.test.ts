// Tests of io/estimator-file: estimators saved as a model directory load back with the same
// predictions, and files naming an unknown kind or holding a malformed state are refused.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadDataset } from "../../test/fixtures/ml/datasets.js";
import { FormatError } from "../core/errors.js";
import { HistGradientBoostingClassifier } from "../ml/hist-gradient-boosting-classifier.js";
import { KMeans } from "../ml/kmeans.js";
import { LogisticRegression } from "../ml/logistic-regression.js";
import { loadEstimator, saveEstimator } from "./estimator-file.js";

const root = mkdtempSync(join(tmpdir(), "tessera-estimator-"));
after(() => rmSync(root, { recursive: true, force: true }));

describe("saveEstimator / loadEstimator", () => {
  const { x, y } = loadDataset("iris");

  it("round-trips k-means, logistic regression and boosted trees with identical predictions", async () => {
    const models = [
      new KMeans({ nClusters: 3, seed: 1 }).fit(x),
      new LogisticRegression().fit(x, y),
      new HistGradientBoostingClassifier({ maxIter: 10 }).fit(x, y),
    ];
    for (const [i, model] of models.entries()) {
      const dir = join(root, `m${i}`);
      await saveEstimator(dir, model, { dataset: "iris" });
      const loaded = await loadEstimator(dir);
      assert.equal(loaded.constructor, model.constructor);
      const file = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as { metadata: unknown };
      assert.deepEqual(file.metadata, { dataset: "iris" });
      if (model instanceof KMeans && loaded instanceof KMeans) {
        assert.deepEqual(Array.from(loaded.predict(x).data), Array.from(model.predict(x).data));
      } else if (model instanceof LogisticRegression && loaded instanceof LogisticRegression) {
        assert.deepEqual(loaded.predict(x), model.predict(x));
      } else if (
        model instanceof HistGradientBoostingClassifier &&
        loaded instanceof HistGradientBoostingClassifier
      ) {
        assert.deepEqual(Array.from(loaded.predictProba(x).data), Array.from(model.predictProba(x).data));
      } else assert.fail("loaded the wrong class");
    }
  });

  it("refuses an unknown kind, a wrong format and a missing directory", async () => {
    const dir = join(root, "bad");
    await saveEstimator(dir, new KMeans({ nClusters: 2, seed: 0 }).fit(x));
    const path = join(dir, "model.json");
    const state = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify({ ...state, kind: "Evil" }));
    await assert.rejects(loadEstimator(dir), /unknown estimator kind "Evil"/);
    writeFileSync(path, JSON.stringify({ ...state, format: "tessera-model" }));
    await assert.rejects(loadEstimator(dir), FormatError);
    writeFileSync(
      path,
      JSON.stringify({ ...state, fitted: { ...(state.fitted as object), clusterCenters: [1, 2] } }),
    );
    await assert.rejects(loadEstimator(dir), /clusterCenters must hold 8 numbers/);
    await assert.rejects(loadEstimator(join(root, "absent")), /cannot read/);
  });
});
