// writeRunReport: a `tessera train` run's pieces become report.html with the right sections.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Table } from "../data/table/table.js";
import { tensor } from "../tensor/creation.js";
import { historyRecord, writeRunReport } from "./run-report.js";

test("historyRecord turns history.json's per-epoch entries into name -> values", () => {
  assert.deepEqual(
    historyRecord([
      { loss: 1, val_loss: 2 },
      { loss: 0.5, val_loss: 1.5 },
    ]),
    { loss: [1, 0.5], val_loss: [2, 1.5] },
  );
});

test("writeRunReport writes a regression run's report with scores per split, skipping a null split", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-run-report-"));
  try {
    const path = await writeRunReport(dir, {
      name: "house-prices",
      task: "regression",
      history: [{ loss: 3 }, { loss: 2 }],
      scores: { test: { mae: 0.5 }, validation: null, train: { mae: 0.25 } },
      test: { y: tensor([[1], [2]]), output: tensor([[1.5], [2]]) },
      data: Table.fromColumns({ area: [10, 20], price: [1, 2] }),
      target: "price",
      model: "Total params: 3",
    });
    const html = readFileSync(path, "utf8");
    assert.deepEqual(
      [...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]),
      ["metrics", "learning-curves", "regression", "data", "model"],
    );
    assert.match(html, /<th>metric<\/th><th>test<\/th><th>train<\/th>/);
    assert.match(html, /aria-label="actual: 1; predicted: 1.5"/);
    assert.match(html, /<h1>house-prices<\/h1>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
