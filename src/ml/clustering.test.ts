// Tests of ml/kmeans, ml/mini-batch-kmeans, ml/dbscan and ml/cluster-metrics against scikit-learn
// 1.2 fixtures (test/fixtures/ml/clustering.json, made by make-fixtures.py) on shipped data sets.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadDataset, readFixture } from "../../test/fixtures/ml/datasets.js";
import { ValueError } from "../core/errors.js";
import { Tensor } from "../tensor/tensor.js";
import { adjustedRandScore, daviesBouldinScore, silhouetteScore } from "./cluster-metrics.js";
import { DBSCAN } from "./dbscan.js";
import { KMeans } from "./kmeans.js";
import { MiniBatchKMeans } from "./mini-batch-kmeans.js";

interface ClusteringFixture {
  kmeans: Record<string, { nClusters: number; inertia: number }>;
  dbscan: Record<string, { eps: number; minSamples: number; labels: number[]; coreSampleIndices: number[] }>;
  metrics: {
    iris: {
      kmeansLabels: number[];
      silhouetteTrue: number;
      silhouetteKmeans: number;
      daviesBouldinTrue: number;
      adjustedRandTrueVsKmeans: number;
    };
  };
}

const fixture = readFixture<ClusteringFixture>("clustering");
const EXACT = 1e-10;

describe("KMeans", () => {
  for (const [name, expected] of Object.entries(fixture.kmeans)) {
    it(`inertia on ${name} is within 1 % of scikit-learn's`, () => {
      const { x } = loadDataset(name);
      const km = new KMeans({ nClusters: expected.nClusters, seed: 0 }).fit(x);
      const relative = (km.inertia - expected.inertia) / expected.inertia;
      assert.ok(Math.abs(relative) < 0.01, `${name}: inertia ${km.inertia} vs sklearn ${expected.inertia}`);
      // The inertia reported is the one of the labels and centres kept.
      assert.ok(Math.abs(-km.score(x) - km.inertia) <= 1e-9 * km.inertia);
      assert.deepEqual(Array.from(km.predict(x).data), Array.from(km.labels ?? []));
    });
  }

  it("is reproducible from its seed and round-trips through JSON", () => {
    const { x } = loadDataset("iris");
    const a = new KMeans({ nClusters: 3, nInit: 2, seed: 5 }).fit(x);
    const b = new KMeans({ nClusters: 3, nInit: 2, seed: 5 }).fit(x);
    assert.deepEqual(a.clusterCenters?.data, b.clusterCenters?.data);
    const again = KMeans.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    assert.deepEqual(Array.from(again.predict(x).data), Array.from(a.predict(x).data));
    assert.deepEqual(again.getParams(), a.getParams());
    const distances = a.transform(x);
    assert.deepEqual(distances.shape, [150, 3]);
  });

  it("takes a float32 tensor or nested arrays as well as a matrix", () => {
    const { x } = loadDataset("iris");
    const rows = Array.from({ length: x.rows }, (_, i) =>
      Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)),
    );
    const fromArrays = new KMeans({ nClusters: 3, seed: 2 }).fit(rows);
    const fromMatrix = new KMeans({ nClusters: 3, seed: 2 }).fit(x);
    assert.deepEqual(fromArrays.clusterCenters?.data, fromMatrix.clusterCenters?.data);
    const fromTensor = new KMeans({ nClusters: 3, seed: 2 }).fit(
      new Tensor(Float32Array.from(x.data), [x.rows, x.cols]),
    );
    assert.ok(Math.abs(fromTensor.inertia - fromMatrix.inertia) < 1e-4 * fromMatrix.inertia);
    assert.throws(
      () => new KMeans().fit(new Tensor(new Float32Array(4), [4])),
      /X must be a rank-2 tensor \[samples, features\] \(got shape \[4\]\)/,
    );
  });

  it("refuses more clusters than rows, NaN input and use before fit", () => {
    assert.throws(
      () => new KMeans({ nClusters: 4 }).fit([[1], [2], [3]]),
      /KMeans.fit: nClusters = 4 is more than the 3 rows of X/,
    );
    assert.throws(
      () => new KMeans({ nClusters: 1 }).fit([[1], [Number.NaN]]),
      /finite numbers \(got NaN at row 1, column 0\)/,
    );
    assert.throws(() => new KMeans().predict([[1]]), ValueError);
    assert.throws(() => new KMeans({ nClusters: 0 }), /nClusters must be an integer >= 1 \(got 0\)/);
  });
});

describe("MiniBatchKMeans", () => {
  for (const name of ["iris", "digits", "breast-cancer"]) {
    it(`inertia on ${name} is within 5 % of scikit-learn's full KMeans`, () => {
      const expected = fixture.kmeans[name]!;
      const { x } = loadDataset(name);
      const mbk = new MiniBatchKMeans({ nClusters: expected.nClusters, batchSize: 256, seed: 1 }).fit(x);
      const relative = (mbk.inertia - expected.inertia) / expected.inertia;
      assert.ok(
        relative > -0.01 && relative < 0.05,
        `${name}: inertia ${mbk.inertia} vs ${expected.inertia}`,
      );
      const again = MiniBatchKMeans.fromJSON(JSON.parse(JSON.stringify(mbk.toJSON())));
      assert.deepEqual(Array.from(again.predict(x).data), Array.from(mbk.labels ?? []));
    });
  }
});

describe("DBSCAN", () => {
  for (const [name, expected] of Object.entries(fixture.dbscan)) {
    it(`labels and core samples on ${name} equal scikit-learn's`, () => {
      const { x } = loadDataset("iris");
      const db = new DBSCAN({ eps: expected.eps, minSamples: expected.minSamples });
      const labels = db.fitPredict(x);
      assert.deepEqual(Array.from(labels.data), expected.labels);
      assert.deepEqual(Array.from(db.coreSampleIndices ?? []), expected.coreSampleIndices);
    });
  }
});

describe("cluster metrics", () => {
  const { x, y } = loadDataset("iris");
  const m = fixture.metrics.iris;
  it("silhouette, Davies-Bouldin and adjusted Rand equal scikit-learn's on iris", () => {
    assert.ok(Math.abs(silhouetteScore(x, y) - m.silhouetteTrue) < EXACT);
    assert.ok(Math.abs(silhouetteScore(x, m.kmeansLabels) - m.silhouetteKmeans) < EXACT);
    assert.ok(Math.abs(daviesBouldinScore(x, y) - m.daviesBouldinTrue) < EXACT);
    assert.ok(Math.abs(adjustedRandScore(y, m.kmeansLabels) - m.adjustedRandTrueVsKmeans) < EXACT);
  });

  it("adjusted Rand is 1 for the same partition under renamed labels", () => {
    assert.equal(adjustedRandScore([0, 0, 1, 1, 2], ["b", "b", "a", "a", "c"]), 1);
    assert.ok(Math.abs(adjustedRandScore([0, 0, 1, 1], [0, 1, 0, 1]) - -0.5) < EXACT);
  });

  it("refuses a single cluster", () => {
    assert.throws(() => silhouetteScore(x, new Array<number>(150).fill(0)), /between 2 and n - 1/);
  });
});
