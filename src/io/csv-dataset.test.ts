import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Tensor } from "../index.js";
import { csvDataset } from "./csv-dataset.js";

test("csvDataset reads a file once per pass and names it in errors", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-csv-dataset-"));
  try {
    const path = join(dir, "d.csv");
    writeFileSync(path, "a,b,label\n1,2,0\n3,4,1\n5,6,0\n");
    const batches = await csvDataset(path, { x: ["a", "b"], y: "label" })
      .batch(2)
      .repeat(2)
      .toArray();
    assert.deepEqual(
      batches.map((b) => [(b.x as Tensor).toArray(), (b.y as Tensor).toArray()]),
      [
        [
          [
            [1, 2],
            [3, 4],
          ],
          [0, 1],
        ],
        [[[5, 6]], [0]],
        [
          [
            [1, 2],
            [3, 4],
          ],
          [0, 1],
        ],
        [[[5, 6]], [0]],
      ],
    );
    const records = await csvDataset(path).toArray();
    assert.deepEqual(records[2], { a: 5, b: 6, label: 0 });
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "a,b\n1,2\n3,x\n4,5\n");
    await assert.rejects(csvDataset(bad, { inferRows: 1 }).toArray(), (e: Error) => e.message.includes(bad));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("csvDataset is exported from the package entry (issue 12: documented but missing)", async () => {
  const entry = await import("../index.js");
  assert.equal(entry.csvDataset, csvDataset);
});
