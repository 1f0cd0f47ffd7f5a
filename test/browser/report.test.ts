// report.html as a person sees it, in Debian's Chromium, opened from disk (file://, no server):
// a classification run (iris) and a regression run (Boston housing), each trained for real; every
// section renders its charts and tables, the page logs no error and requests nothing but itself.
// Screenshots go to test-artifacts/.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { layers, optimizers, readCsv, seed, sequential, Tensor, writeReport } from "../../src/index.js";
import { launchChromium, screenshot, watch } from "./browser.js";

const DATASETS = resolve(import.meta.dirname, "../../datasets");

/** Standardised feature columns as a [rows, features] tensor. */
function features(table: Awaited<ReturnType<typeof readCsv>>, names: readonly string[]): Tensor {
  const rows = table.numRows;
  const data = new Float32Array(rows * names.length);
  names.forEach((name, c) => {
    const values = table.column(name).numbers;
    let mean = 0;
    for (const v of values) mean += v / rows;
    let variance = 0;
    for (const v of values) variance += (v - mean) ** 2 / rows;
    const std = Math.sqrt(variance) || 1;
    for (let r = 0; r < rows; r++) data[r * names.length + c] = (values[r]! - mean) / std;
  });
  return new Tensor(data, [rows, names.length]);
}

async function openReport(browser: Browser, path: string, name: string) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems = watch(page);
  const url = pathToFileURL(path).href;
  await page.goto(url);
  const sections = await page.$$eval("section", (all) =>
    all.map((s) => ({
      id: s.id,
      svgs: s.querySelectorAll("svg").length,
      height: (s as unknown as { offsetHeight: number }).offsetHeight,
    })),
  );
  const shot = await screenshot(page, name);
  return { page, problems, url, sections, shot };
}

test("classification and regression reports render every section in Chromium from disk", {
  timeout: 120_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-report-browser-"));
  const browser = await launchChromium();
  try {
    seed(3);
    // Classification: iris, species from the four measurements.
    const iris = await readCsv(join(DATASETS, "iris.csv"));
    const species = ["setosa", "versicolor", "virginica"];
    const speciesColumn = iris.column("species");
    const labels = Float32Array.from({ length: iris.numRows }, (_, r) =>
      species.indexOf(String(speciesColumn.get(r))),
    );
    const x = features(iris, ["sepal_length", "sepal_width", "petal_length", "petal_width"]);
    const y = new Tensor(labels, [iris.numRows]);
    const classifier = sequential([
      layers.dense({ units: 16, inputShape: [4], activation: "relu" }),
      layers.dense({ units: 3, activation: "softmax" }),
    ]);
    classifier.compile({
      optimizer: optimizers.adam({ learningRate: 0.02 }),
      loss: "sparse_categorical_crossentropy",
      metrics: ["accuracy"],
    });
    const history = await classifier.fit(x, y, {
      epochs: 30,
      batchSize: 16,
      validationSplit: 0.2,
      shuffle: true,
      verbose: 0,
    });
    const scores = classifier.predict(x, { verbose: 0 });
    const classificationPath = await writeReport(join(dir, "iris"), {
      title: "iris: species classifier",
      subtitle: "test/browser/report.test.ts",
      metrics: await classifier.evaluate(x, y, { verbose: 0, returnDict: true }),
      history,
      classification: { yTrue: labels, scores, classNames: species },
      data: iris,
      target: "species",
      model: classifier,
    });
    const c = await openReport(browser, classificationPath, "report-classification");
    assert.deepEqual(
      c.sections.map((s) => s.id),
      ["metrics", "learning-curves", "classification", "data", "model"],
    );
    assert.deepEqual(
      c.sections.map((s) => s.svgs),
      [0, 1, 4, 0, 0],
    );
    for (const s of c.sections) assert.ok(s.height > 40, `section ${s.id} has content (${s.height}px)`);
    // The confusion matrix's cells add up to the rows predicted; the diagonal dominates after training.
    const cells = await c.page.$$eval('#classification svg path[aria-roledescription="rect mark"]', (paths) =>
      paths.map((p) => p.getAttribute("aria-label") ?? ""),
    );
    const counts = cells.map((label) => Number(/count: (\d+)/.exec(label)?.[1]));
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      iris.numRows,
    );
    const diagonal = cells
      .filter((label) => /predicted: (\w+); actual: \1;/.test(label))
      .map((label) => Number(/count: (\d+)/.exec(label)?.[1]));
    assert.ok(diagonal.reduce((a, b) => a + b, 0) > 0.8 * iris.numRows, cells.join("\n"));
    assert.match((await c.page.textContent("#data")) ?? "", /setosa\s*50/);
    // After training, Keras 3's summary counts Adam's two slots per weight and its step counter too.
    const summary = (await c.page.textContent("#model")) ?? "";
    assert.match(summary, /Trainable params: 131 /);
    assert.match(summary, /Optimizer params: 263 /);
    assert.match(summary, /Total params: 394 /);
    assert.deepEqual(c.problems.errors, []);
    assert.deepEqual(c.problems.requests, [c.url]);

    // Regression: Boston housing, median value from the thirteen other columns.
    const boston = await readCsv(join(DATASETS, "boston-housing.csv"));
    const inputs = boston.columnNames.filter((n) => n !== "medv");
    const bx = features(boston, inputs);
    const medv = Float32Array.from(boston.column("medv").numbers);
    const by = new Tensor(medv, [boston.numRows, 1]);
    const regressor = sequential([
      layers.dense({ units: 32, inputShape: [inputs.length], activation: "relu" }),
      layers.dense({ units: 1 }),
    ]);
    regressor.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: "mse", metrics: ["mae"] });
    const regressionHistory = await regressor.fit(bx, by, {
      epochs: 40,
      batchSize: 32,
      validationSplit: 0.2,
      verbose: 0,
    });
    const predicted = regressor.predict(bx, { verbose: 0 });
    const regressionPath = await writeReport(join(dir, "boston"), {
      title: "Boston housing: median value",
      metrics: await regressor.evaluate(bx, by, { verbose: 0, returnDict: true }),
      history: regressionHistory,
      regression: { actual: medv, predicted },
      data: boston,
      model: regressor,
    });
    const r = await openReport(browser, regressionPath, "report-regression");
    assert.deepEqual(
      r.sections.map((s) => s.id),
      ["metrics", "learning-curves", "regression", "data", "model"],
    );
    assert.deepEqual(
      r.sections.map((s) => s.svgs),
      [0, 1, 2, 0, 0],
    );
    const points = await r.page.locator('#regression svg path[aria-roledescription="point"]').count();
    assert.equal(points, 2 * boston.numRows); // predicted-vs-actual and residuals, one point per row each
    assert.deepEqual(r.problems.errors, []);
    assert.deepEqual(r.problems.requests, [r.url]);
    console.log(`screenshots: ${c.shot}, ${r.shot}`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
