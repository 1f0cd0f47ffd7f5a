// bench/ml-parity: the largest differences between Tessera's estimators and scikit-learn 1.2's
// results on the same data and settings (test/fixtures/ml/*.json, written by make-fixtures.py), one
// row each: what is compared, on which data set, and the max absolute difference (components up
// to sign). The unit tests assert tolerances; this prints the actual figures for a report.
// Run: npx tsx bench/ml-parity.ts
import { adjustedRandScore, daviesBouldinScore, silhouetteScore } from "../src/ml/cluster-metrics.js";
import { DBSCAN } from "../src/ml/dbscan.js";
import { ElasticNet } from "../src/ml/elastic-net.js";
import { HistGradientBoostingClassifier } from "../src/ml/hist-gradient-boosting-classifier.js";
import { HistGradientBoostingRegressor } from "../src/ml/hist-gradient-boosting-regressor.js";
import { KMeans } from "../src/ml/kmeans.js";
import { KNeighborsClassifier } from "../src/ml/knn-classifier.js";
import { KNeighborsRegressor } from "../src/ml/knn-regressor.js";
import { Lasso } from "../src/ml/lasso.js";
import { LinearRegression } from "../src/ml/linear-regression.js";
import { LogisticRegression } from "../src/ml/logistic-regression.js";
import { PCA } from "../src/ml/pca.js";
import { Ridge } from "../src/ml/ridge.js";
import { TruncatedSVD } from "../src/ml/truncated-svd.js";
import {
  loadDataset,
  readFixture,
  splitMatrix,
  splitRows,
  standardize,
} from "../test/fixtures/ml/datasets.js";

type Fixture = Record<string, Record<string, Record<string, unknown>>>;
const rows: [string, string, string][] = [];

function maxDiff(a: ArrayLike<number>, b: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Max difference of k row vectors of length d, each flipped to agree in sign with the expected. */
function maxDiffUpToSign(a: ArrayLike<number>, b: readonly number[], k: number, d: number): number {
  let m = 0;
  for (let c = 0; c < k; c++) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += a[c * d + j]! * b[c * d + j]!;
    const sign = dot < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) m = Math.max(m, Math.abs(sign * a[c * d + j]! - b[c * d + j]!));
  }
  return m;
}

const fmt = (v: number) => (v === 0 ? "0" : v.toExponential(1));
const add = (what: string, data: string, diff: string) => rows.push([what, data, diff]);

function decomposition(): void {
  const f = readFixture<Fixture>("decomposition");
  for (const [name, e] of Object.entries(f.pca!)) {
    const { x } = loadDataset(name);
    const k = e.nComponents as number;
    const pca = new PCA({ nComponents: k, whiten: e.whiten as boolean }).fit(x);
    add(
      "PCA components (up to sign)",
      name,
      fmt(maxDiffUpToSign(pca.components.data, e.components as number[], k, x.cols)),
    );
    add(
      "PCA explained variance ratio",
      name,
      fmt(maxDiff(pca.explainedVarianceRatio, e.explainedVarianceRatio as number[])),
    );
  }
  for (const [name, e] of Object.entries(f.truncatedSvd!)) {
    const { x } = loadDataset(name);
    const k = e.nComponents as number;
    const svd = new TruncatedSVD({ nComponents: k }).fit(x);
    add(
      "TruncatedSVD components (up to sign)",
      name,
      fmt(maxDiffUpToSign(svd.components!.data, e.components as number[], k, x.cols)),
    );
  }
  const { x, yNumbers } = loadDataset("boston-housing");
  const ols = new LinearRegression().fit(x, yNumbers);
  add(
    "LinearRegression coef",
    "boston-housing",
    fmt(maxDiff(ols.coef, f.ols!["boston-housing"]!.coef as number[])),
  );
  for (const [name, e] of Object.entries(f.ridge!)) {
    const ridge = new Ridge({ alpha: e.alpha as number }).fit(x, yNumbers);
    add(
      `Ridge coef (alpha ${e.alpha})`,
      name.replace(/-[\d.]+$/, ""),
      fmt(maxDiff(ridge.coef, e.coef as number[])),
    );
  }
}

function linear(): void {
  const f = readFixture<Fixture>("linear");
  for (const [name, e] of Object.entries(f.logistic!)) {
    const { x, y } = loadDataset(name);
    const clf = new LogisticRegression({ C: e.C as number, tol: 1e-8, maxIter: 1000 }).fit(standardize(x), y);
    add("LogisticRegression coef", name, fmt(maxDiff(clf.coef.data, e.coef as number[])));
  }
  const { x, yNumbers } = loadDataset("boston-housing");
  let worst = 0;
  for (const e of Object.values(f.elasticNet!)) {
    const data = e.standardize ? standardize(x) : x;
    const options = { alpha: e.alpha as number, ...(e.standardize ? {} : { maxIter: 100000 }) };
    const model =
      e.l1Ratio === 1 ? new Lasso(options) : new ElasticNet({ ...options, l1Ratio: e.l1Ratio as number });
    model.fit(data, yNumbers);
    worst = Math.max(worst, maxDiff(model.coef, e.coef as number[]));
  }
  add("Lasso / ElasticNet coef (6 settings)", "boston-housing", fmt(worst));
  for (const [key, e] of Object.entries(f.knn!)) {
    const [name, weights] = [
      key.replace(/-(uniform|distance)$/, ""),
      key.endsWith("distance") ? "distance" : "uniform",
    ] as const;
    const { x: xs, y, yNumbers: yn } = loadDataset(name);
    const { train, test } = splitMatrix(standardize(xs));
    if (name === "boston-housing") {
      const t = splitRows(Array.from(yn));
      const knn = new KNeighborsRegressor({ weights }).fit(train, Float64Array.from(t.train));
      add(
        `KNeighborsRegressor predictions (${weights})`,
        name,
        fmt(maxDiff(knn.predict(test).data, e.predictions as number[])),
      );
    } else {
      const labels = splitRows(y);
      const knn = new KNeighborsClassifier({ nNeighbors: 5, weights }).fit(train, labels.train);
      const predicted = knn.predict(test).map(String);
      const differ = predicted.filter((p, i) => p !== (e.predictions as string[])[i]).length;
      add(`KNeighborsClassifier predictions (${weights})`, name, `${differ} of ${predicted.length} differ`);
    }
  }
}

function clustering(): void {
  const f = readFixture<Fixture>("clustering");
  for (const [name, e] of Object.entries(f.kmeans!)) {
    const km = new KMeans({ nClusters: e.nClusters as number, seed: 0 }).fit(loadDataset(name).x);
    const relative = (km.inertia - (e.inertia as number)) / (e.inertia as number);
    add("KMeans inertia (relative difference)", name, fmt(relative));
  }
  for (const [key, e] of Object.entries(f.dbscan!)) {
    const db = new DBSCAN({ eps: e.eps as number, minSamples: e.minSamples as number }).fit(
      loadDataset("iris").x,
    );
    const differ = Array.from(db.labels!).filter((l, i) => l !== (e.labels as number[])[i]).length;
    add(`DBSCAN labels (${key.replace("iris-", "eps, minSamples ")})`, "iris", `${differ} of 150 differ`);
  }
  const m = f.metrics!.iris!;
  const { x, y } = loadDataset("iris");
  const km = m.kmeansLabels as number[];
  add(
    "silhouette / Davies-Bouldin / ARI",
    "iris",
    fmt(
      Math.max(
        Math.abs(silhouetteScore(x, y) - (m.silhouetteTrue as number)),
        Math.abs(silhouetteScore(x, km) - (m.silhouetteKmeans as number)),
        Math.abs(daviesBouldinScore(x, y) - (m.daviesBouldinTrue as number)),
        Math.abs(adjustedRandScore(y, km) - (m.adjustedRandTrueVsKmeans as number)),
      ),
    ),
  );
}

function boosting(): void {
  const f = readFixture<Fixture>("boosting");
  for (const [name, e] of Object.entries(f.classifier!)) {
    const { x, y } = loadDataset(name);
    const { train, test } = splitMatrix(x);
    const labels = splitRows(y);
    const gbm = new HistGradientBoostingClassifier({ earlyStopping: false }).fit(train, labels.train);
    const accuracy = gbm.score(test, labels.test);
    add(
      "HistGradientBoostingClassifier test accuracy",
      name,
      `${((accuracy - (e.accuracy as number)) * 100).toFixed(2)} points (${(accuracy * 100).toFixed(1)} vs ${((e.accuracy as number) * 100).toFixed(1)} %)`,
    );
  }
  const { x, yNumbers } = loadDataset("boston-housing");
  const { train, test } = splitMatrix(x);
  const t = splitRows(Array.from(yNumbers));
  const gbm = new HistGradientBoostingRegressor({ earlyStopping: false }).fit(
    train,
    Float64Array.from(t.train),
  );
  const e = f.regressor!["boston-housing"]!;
  add(
    "HistGradientBoostingRegressor test predictions",
    "boston-housing",
    fmt(maxDiff(gbm.predict(test).data, e.predictions as number[])),
  );
}

export function main(): void {
  const only = process.argv[2];
  for (const [name, run] of Object.entries({ decomposition, linear, clustering, boosting }))
    if (only === undefined || only === name) run();
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log(
    `${"what".padEnd(widths[0]!)}  ${"data set".padEnd(widths[1]!)}  max difference vs scikit-learn 1.2`,
  );
  for (const r of rows) console.log(`${r[0].padEnd(widths[0]!)}  ${r[1].padEnd(widths[1]!)}  ${r[2]}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
