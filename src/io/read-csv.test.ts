import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ConfigError } from "../core/errors.js";
import { ReadError, ReadReport } from "../data/formats/read-report.js";
import { Table } from "../data/table/table.js";
import { readCsv, readCsvStream, writeCsv } from "./read-csv.js";

const dir = mkdtempSync(join(tmpdir(), "tessera-csv-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// Line numbers are those of the file: line 1 is the header.
const BROKEN = [
  "id,age,name", // 1
  "1,30,ann", // 2
  "2,41,bob", // 3
  "3,52", // 4  ragged: a field short
  '4,63,"multi', // 5  a quoted field over two lines
  'line"', // 6
  "5,abc,cy", // 7  age is not an int
  '6,7"5,dee', // 8  a quote inside an unquoted field: malformed
  "7,85,eve,extra", // 9  ragged: a field too many
  "8,96,fay", // 10
  "9,17,gus", // 11
  "10,28,hal", // 12
  "11,39,ida", // 13
  "12,40,jo", // 14
].join("\n");

describe("readCsv on a file with broken rows", () => {
  const path = join(dir, "broken.csv");
  writeFileSync(path, `${BROKEN}\n`);

  it("stops at the first bad row with the file, line and column", async () => {
    await assert.rejects(readCsv(path), (error: unknown) => {
      assert.ok(error instanceof ReadError);
      assert.equal(error.source, path);
      assert.equal(error.line, 4);
      assert.match(error.message, /broken\.csv line 4: 2 fields \(expected 3\)/);
      return true;
    });
    const typed = `${BROKEN.split("\n").slice(0, 4).join("\n")}\n${BROKEN.split("\n").slice(4, 7).join("\n")}\n`;
    writeFileSync(join(dir, "typed.csv"), typed.replace("3,52\n", "3,52,cat\n"));
    await assert.rejects(readCsv(join(dir, "typed.csv"), { types: { age: "int" } }), (error: unknown) => {
      assert.ok(error instanceof ReadError);
      assert.equal(error.line, 7);
      assert.equal(error.column, "age");
      assert.equal(error.field, 2);
      assert.match(error.message, /typed\.csv line 7, column "age" \(field 2\): expected int \(got "abc"\)/);
      return true;
    });
  });

  it("skip mode drops the bad rows and lists each with its line", async () => {
    const report = new ReadReport();
    const t = await readCsv(path, { onError: "skip", report });
    assert.deepEqual(t.column("id").toArray(), [1, 2, 4, 8, 9, 10, 11, 12]);
    assert.equal(t.column("age").kind, "int");
    assert.equal(t.get(2, "name"), "multi\nline");
    assert.deepEqual(
      report.issues.map((i) => i.line).sort((a, b) => a - b),
      [4, 7, 8, 9],
    );
    const byLine = new Map(report.issues.map((i) => [i.line, i]));
    assert.match(byLine.get(8)!.reason, /malformed CSV/);
    assert.deepEqual(byLine.get(7), {
      line: 7,
      action: "skipped",
      column: "age",
      value: "abc",
      reason: "expected int",
    });
    assert.equal(report.rowsRead, 12);
    assert.equal(report.rowsKept, 8);
    assert.equal(report.skippedRows, 4);
    assert.match(report.toString(), /12 rows read, 8 kept, 4 skipped, 0 values coerced/);
  });

  it("coerce mode keeps repairable rows and reports every change", async () => {
    const report = new ReadReport();
    const t = await readCsv(path, { onError: "coerce", report });
    assert.deepEqual(t.column("id").toArray(), [1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12]);
    assert.deepEqual(t.column("age").toArray(), [30, 41, 52, 63, null, 85, 96, 17, 28, 39, 40]);
    assert.deepEqual(t.column("name").toArray().slice(2, 6), [null, "multi\nline", "cy", "eve"]);
    const issues = [...report.issues].sort((a, b) => a.line - b.line);
    assert.deepEqual(
      issues.map((i) => [i.line, i.action]),
      [
        [4, "coerced"],
        [7, "coerced"],
        [8, "skipped"],
        [9, "coerced"],
      ],
    );
    assert.match(issues[0]!.reason, /2 fields \(expected 3\); the missing cells read as missing/);
    assert.match(issues[3]!.reason, /extra fields \[extra\] dropped/);
    assert.equal(report.coercedValues, 3);
    assert.equal(report.skippedRows, 1);
  });

  it("streams the same file with the same report", async () => {
    const report = new ReadReport();
    const stream = readCsvStream(path, { onError: "skip", report, batchSize: 3, inferRows: 20 });
    const sizes: number[] = [];
    const ids: unknown[] = [];
    for await (const batch of stream) {
      sizes.push(batch.numRows);
      ids.push(...batch.column("id").toArray());
    }
    assert.deepEqual(ids, [1, 2, 4, 8, 9, 10, 11, 12]);
    assert.equal(report.skippedRows, 4);
  });
});

describe("writeCsv", () => {
  it("writes atomically and reads back the same table", async () => {
    const path = join(dir, "out.csv");
    const t = Table.fromRecords([
      { a: 1, b: "x,y", c: null },
      { a: 2, b: 'q"q', c: 2.5 },
    ]);
    await writeCsv(path, t);
    assert.equal(readFileSync(path, "utf8"), 'a,b,c\n1,"x,y",\n2,"q""q",2.5\n');
    assert.deepEqual((await readCsv(path)).toRecords(), t.toRecords());
    await writeCsv(path, t.head(1));
    assert.deepEqual((await readCsv(path)).numRows, 1);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes(".tmp-")),
      [],
    );
  });
});

describe("readCsv options (issue 12)", () => {
  it("refuses an unknown option with a ConfigError naming it (was: { schema } silently ignored)", async () => {
    const path = join(dir, "opts.csv");
    writeFileSync(path, "a,b\n1,2\n");
    const options = { schema: { a: "string" } } as unknown as Parameters<typeof readCsv>[1];
    await assert.rejects(
      readCsv(path, options),
      (e: Error) => e instanceof ConfigError && /parseCsv: unknown option "schema"/.test(e.message),
    );
    assert.throws(() => readCsvStream(path, options), /parseCsvStream: unknown option "schema"/);
  });
});
