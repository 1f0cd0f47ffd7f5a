// `tessera train --dashboard` end to end: the CLI prints the dashboard's loopback URL, trains,
// closes the dashboard (the process exits by itself) and writes report.html, which Chromium
// renders from disk with every section of a classification run.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { ROOT, runCli } from "../e2e/fixtures/cli-process.js";
import { launchChromium, screenshot, watch } from "./browser.js";

const SPEC = {
  name: "iris-report",
  seed: 1,
  data: { path: "data.csv", target: "species" },
  split: { test: 0.2, validation: 0.1 },
  model: { layers: [{ type: "dense", units: 8, activation: "relu" }] },
  compile: { optimizer: { type: "adam", learningRate: 0.05 } },
  fit: { epochs: 15, batchSize: 16 },
};

test("tessera train --dashboard serves on loopback, then writes a report.html Chromium renders", {
  timeout: 120_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-cli-report-"));
  const browser = await launchChromium();
  try {
    copyFileSync(join(ROOT, "examples", "iris", "data.csv"), join(dir, "data.csv"));
    writeFileSync(join(dir, "spec.json"), JSON.stringify(SPEC));
    const run = await runCli(
      ["train", "spec.json", "--out", "runs/iris-report", "--verbose", "0", "--dashboard"],
      dir,
    );
    assert.equal(run.code, 0, run.err);
    assert.match(run.err, /^dashboard: http:\/\/127\.0\.0\.1:\d+\/$/m);
    assert.match(run.out, /saved .*report\.html/);
    const path = join(dir, "runs", "iris-report", "report.html");
    assert.ok(existsSync(path));
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems = watch(page);
    await page.goto(pathToFileURL(path).href);
    const sections = await page.$$eval("section", (all) =>
      all.map((s) => [s.id, s.querySelectorAll("svg").length]),
    );
    assert.deepEqual(sections, [
      ["metrics", 0],
      ["learning-curves", 1],
      ["classification", 4],
      ["data", 0],
      ["model", 0],
    ]);
    // The metrics table has one column per split and the test accuracy metrics.json records.
    const header = await page.$$eval("#metrics th", (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(header, ["metric", "test", "validation", "train"]);
    const epochs = await page.locator('#learning-curves path[aria-roledescription="point"]').count();
    assert.equal(epochs, 15 * 2 * 2); // loss and accuracy, train and validation, 15 epochs
    // The class names come from the label encoder, not class ids.
    assert.match((await page.textContent("#classification")) ?? "", /setosa/);
    await screenshot(page, "report-cli-iris");
    assert.deepEqual(problems.errors, []);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
