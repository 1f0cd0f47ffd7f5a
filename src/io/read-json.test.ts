import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ReadError, ReadReport } from "../data/formats/read-report.js";
import { Table } from "../data/table/table.js";
import { readJson, readNdjson, readNdjsonStream, writeJson, writeNdjson } from "./read-json.js";

const dir = mkdtempSync(join(tmpdir(), "tessera-json-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const sample = () =>
  Table.fromRecords([
    { n: 1, x: 0.5, ok: true, s: "a", d: new Date(Date.UTC(2021, 5, 1)) },
    { n: 2, x: null, ok: false, s: null, d: null },
  ]);

describe("JSON and NDJSON files", () => {
  it("round-trip a table with every kind", async () => {
    const t = sample();
    await writeJson(join(dir, "t.json"), t);
    assert.deepEqual((await readJson(join(dir, "t.json"))).toRecords(), t.toRecords());
    await writeNdjson(join(dir, "t.ndjson"), t);
    assert.equal(readFileSync(join(dir, "t.ndjson"), "utf8").split("\n").length, 3);
    assert.deepEqual((await readNdjson(join(dir, "t.ndjson"))).toRecords(), t.toRecords());
  });

  it("names the line of a JSON syntax error", async () => {
    writeFileSync(join(dir, "bad.json"), '[\n{"a": 1},\n{"a": 2,,}\n]');
    await assert.rejects(
      readJson(join(dir, "bad.json")),
      (e: unknown) => e instanceof ReadError && e.line === 3,
    );
  });

  it("reports bad NDJSON lines by number and streams in batches", async () => {
    const lines = [];
    for (let i = 0; i < 25; i++) lines.push(i === 7 ? "{oops" : i === 12 ? '{"n": "twelve"}' : `{"n": ${i}}`);
    writeFileSync(join(dir, "bad.ndjson"), `${lines.join("\n")}\n`);
    await assert.rejects(readNdjson(join(dir, "bad.ndjson")), /bad\.ndjson line 8: invalid JSON/);
    const report = new ReadReport();
    const stream = readNdjsonStream(join(dir, "bad.ndjson"), { batchSize: 10, onError: "coerce", report });
    const sizes: number[] = [];
    for await (const batch of stream) sizes.push(batch.numRows);
    assert.deepEqual(sizes, [10, 10, 4]);
    assert.deepEqual(
      report.issues.map((i) => [i.line, i.action, i.column]),
      [
        [8, "skipped", undefined],
        [13, "coerced", "n"],
      ],
    );
  });
});
