// Tests of report/html-report: the sections present match the inputs, values reach the page, the
// page loads nothing from outside, and bad input gets a clear error. (test/browser/ opens the
// written page in Chromium.)
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Table } from "../data/table/table.js";
import { fairnessReport } from "../responsible/fairness-report.js";
import { tensor } from "../tensor/creation.js";
import { renderReport, writeReport } from "./html-report.js";

const sectionIds = (html: string): string[] =>
  [...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]!);

test("a classification report has metrics, curves, the classification charts, data and model", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-report-"));
  try {
    const data = Table.fromColumns({ x: [1, 2, null, 4], label: ["a", "b", "b", "b"] });
    const path = await writeReport(dir, {
      title: "Iris <run>",
      metrics: { train: { loss: 0.25, accuracy: 0.9 }, test: { loss: 0.31, accuracy: 0.875 } },
      history: { loss: [1, 0.5], val_loss: [1.1, 0.6] },
      classification: {
        yTrue: [0, 1, 1, 0],
        scores: tensor([
          [0.9, 0.1],
          [0.2, 0.8],
          [0.4, 0.6],
          [0.3, 0.7],
        ]),
        classNames: ["a", "b"],
      },
      data,
      target: "label",
      model: "Model: sequential\nTotal params: 10",
    });
    assert.equal(path, join(dir, "report.html"));
    const html = readFileSync(path, "utf8");
    assert.deepEqual(sectionIds(html), ["metrics", "learning-curves", "classification", "data", "model"]);
    assert.match(html, /<title>Iris &lt;run&gt;<\/title>/);
    assert.match(html, /<td>accuracy<\/td><td class="num">0.9<\/td><td class="num">0.875<\/td>/);
    assert.equal((html.match(/<svg /g) ?? []).length, 5); // curves, matrix, ROC, PR, calibration
    // Confusion matrix: true a predicted b once (row 3 scores 0.3/0.7), the rest on the diagonal.
    assert.match(html, /aria-label="predicted: b; actual: a; count: 1"/);
    assert.match(html, /aria-label="predicted: b; actual: b; count: 2"/);
    assert.match(html, /<td>x<\/td><td class="num">1<\/td><td class="num">0.25<\/td>/); // missing x: 1 of 4
    assert.match(html, /<td>b<\/td><td class="num">3<\/td>/); // class balance
    assert.match(html, /Total params: 10/);
    // Nothing is loaded from outside: no script, no external reference.
    assert.doesNotMatch(html, /<script|<link|src="http|href="http/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a regression report has the predicted-vs-actual and residual charts", async () => {
  const html = await renderReport({
    regression: { actual: [1, 2, 3], predicted: [1.1, 1.9, 3.2] },
    metrics: { mae: 0.13 },
  });
  assert.deepEqual(sectionIds(html), ["metrics", "regression"]);
  assert.match(html, /aria-label="actual: 3; predicted: 3.2"/);
  assert.match(html, /<td>mae<\/td><td class="num">0.13<\/td>/);
});

test("a classification whose labels hold one class gets its matrix and a note instead of curves", async () => {
  const html = await renderReport({
    classification: {
      yTrue: [1, 1],
      scores: tensor([
        [0.2, 0.8],
        [0.6, 0.4],
      ]),
    },
  });
  assert.match(html, /aria-label="predicted: 0; actual: 1; count: 1"/);
  assert.match(html, /<p class="note">ROC curve not drawn: rocCurve: yTrue has fewer than two classes<\/p>/);
});

test("writeReport refuses an empty report and an unknown target column", async () => {
  await assert.rejects(renderReport({}), /nothing to report/);
  await assert.rejects(
    renderReport({ metrics: [0.5] as never }),
    /metrics must be a record of name -> value \(got an array/,
  );
  const data = Table.fromColumns({ x: [1, 2] });
  await assert.rejects(
    renderReport({ data, target: "y" }),
    /target "y" is not a column of data \(columns: x\)/,
  );
});

test("a fairness report adds its section: groups, differences, ratios and the four-fifths verdict", async () => {
  // Group a: 2 of 2 selected; group b: 1 of 2. Selection rates 1 and 0.5.
  const report = fairnessReport({
    task: "binary",
    yTrue: [1, 0, 1, 0],
    yPred: [1, 1, 1, 0],
    sensitive: { group: ["a", "a", "b", "b"] },
  });
  const html = await renderReport({ metrics: { accuracy: 0.75 }, fairness: report });
  assert.deepEqual(sectionIds(html), ["metrics", "fairness"]);
  assert.match(html, /<th>selection_rate<\/th>/);
  assert.match(html, /<td>demographic parity difference<\/td><td class="num">0.5<\/td>/);
  assert.match(html, /<td>disparate impact<\/td><td class="num">0.5<\/td>/);
  assert.match(html, /<td>passes the four-fifths rule<\/td><td>no<\/td>/);
});
