// The segmentation example at reduced size (the first 1,500 customers, k = 2..5): the segments must
// separate customers who churn from those who stay, though churn is not among the features, and the
// clustering, projection and DBSCAN figures must stay near the full run's (README).
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { FEATURES, loadCustomers, projectionSvg, segmentCustomers } from "./segment.js";

const csv = join(dirname(fileURLToPath(import.meta.url)), "wa-churn.csv");

test("loadCustomers reads the 7,043 Telco customers into 17 features", async () => {
  const { raw, churn } = await loadCustomers(csv);
  assert.deepEqual([raw.rows, raw.cols, FEATURES.length], [7043, 17, 17]);
  // first row: tenure 1, monthly 29.85, no phone, paperless, DSL, month-to-month, churn No
  const first = Array.from(raw.data.subarray(0, raw.cols));
  assert.deepEqual(first.slice(0, 4), [1, 29.85, 0, 1]);
  assert.equal(first[FEATURES.indexOf("internet_service=DSL")], 1);
  assert.equal(first[FEATURES.indexOf("contract=Month-to-month")], 1);
  assert.equal(churn.filter(Boolean).length, 1869);
});

test("segments of 1,500 customers differ in churn, which they were not given", async () => {
  const customers = await loadCustomers(csv, 1500);
  const result = segmentCustomers(customers, { ks: [2, 3, 4, 5] });
  const best = result.scores.find((s) => s.k === result.bestK)!;
  assert.ok(best.silhouette >= 0.18, `silhouette ${best.silhouette}`);
  assert.ok(result.bestK >= 3, `k = ${result.bestK}`);
  assert.equal(
    result.segments.reduce((s, g) => s + g.size, 0),
    1500,
  );
  const rates = result.segments.map((g) => g.churnRate);
  assert.ok(Math.max(...rates) - Math.min(...rates) >= 0.3, `churn rates ${rates}`);
  const [r1, r2] = result.pcaVarianceRatio;
  assert.ok(r1 >= r2 && r1 + r2 >= 0.35, `PCA ratios ${r1} ${r2}`);
  assert.ok(result.dbscan.clusters >= 2, `DBSCAN regions ${result.dbscan.clusters}`);
  // fewer customers are sparser: at the full run's eps a seventh of them fall outside dense regions
  // (25 of 7,043 in the full run)
  assert.ok(result.dbscan.noise < 0.2 * 1500, `DBSCAN noise ${result.dbscan.noise}`);
});

test("projectionSvg draws the requested number of customers, coloured by segment", () => {
  const projection = Float32Array.from([0, 0, 1, 1, 2, 0, 3, 1]);
  const svg = projectionSvg(projection, Int32Array.from([0, 1, 0, 1]), 3, 1);
  assert.ok(svg.startsWith("<svg "));
  assert.equal(svg.match(/<circle /g)?.length, 3);
  assert.equal(svg.match(/>segment \d</g)?.length, 2);
});
