import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Table } from "../table/table.js";
import { formatCsv, parseCsv, parseCsvStream } from "./csv.js";
import { ReadError, ReadReport } from "./read-report.js";

const encoder = new TextEncoder();

describe("parseCsv", () => {
  it("detects the header, infers kinds and reads missing markers", () => {
    const t = parseCsv(
      "id,x,flag,when,name\n1,1.5,true,2020-01-02,ann\n2,NA,false,,?\n3,-2e3,TRUE,2021-12-31,N/A\n",
    );
    assert.deepEqual(t.columnNames, ["id", "x", "flag", "when", "name"]);
    assert.deepEqual(
      t.schema.map((s) => s.kind),
      ["int", "float", "bool", "date", "string"],
    );
    assert.deepEqual(t.column("x").toArray(), [1.5, null, -2000]);
    assert.deepEqual(t.column("flag").toArray(), [true, false, true]);
    assert.equal((t.get(0, "when") as Date).getTime(), Date.UTC(2020, 0, 2));
    assert.deepEqual(t.column("name").toArray(), ["ann", null, null]);
  });

  it("reads headerless numeric files and sniffs the delimiter", () => {
    const t = parseCsv("1;2.5\n3;4\n");
    assert.deepEqual(t.columnNames, ["column_1", "column_2"]);
    assert.deepEqual(t.column("column_2").toArray(), [2.5, 4]);
    const tabs = parseCsv("a\tb\nx y\t1\n");
    assert.deepEqual(tabs.row(0), { a: "x y", b: 1 });
  });

  it("honours explicit header, names, types, missing markers and quoting", () => {
    const text = "1,'a,b',7\n2,'c''d',-\n";
    const t = parseCsv(text, {
      header: false,
      columns: ["id", "text", "n"],
      quote: "'",
      missing: ["-"],
      types: { id: "string", n: "float" },
    });
    assert.deepEqual(t.toRecords(), [
      { id: "1", text: "a,b", n: 7 },
      { id: "2", text: "c'd", n: null },
    ]);
    assert.equal(t.column("n").kind, "float");
  });

  it("strips a UTF-8 byte-order mark, skips comment lines and keeps multi-byte text", () => {
    const bytes = encoder.encode("\uFEFFname,n\r\n# a comment\r\nZoë,1\r\n東京,2\r\n");
    const t = parseCsv(bytes, { comment: "#" });
    assert.deepEqual(t.toRecords(), [
      { name: "Zoë", n: 1 },
      { name: "東京", n: 2 },
    ]);
  });

  it("renames empty and duplicate header names like pandas", () => {
    const t = parseCsv("a,a,\nx,y,z\n", { header: true });
    assert.deepEqual(t.columnNames, ["a", "a.1", "column_3"]);
  });

  it("keeps a numeric kind despite one typo and reports the typo's line and column", () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},${i * 2}`);
    rows[12] = "12,2x4"; // line 14 (header is line 1)
    const text = `i,v\n${rows.join("\n")}\n`;
    assert.throws(
      () => parseCsv(text, { source: "t.csv" }),
      (error: unknown) =>
        error instanceof ReadError &&
        error.line === 14 &&
        error.column === "v" &&
        error.field === 2 &&
        /t\.csv line 14, column "v" \(field 2\): expected int \(got "2x4"\)/.test(error.message),
    );
  });

  it("round-trips through formatCsv, quoting what needs quotes", () => {
    const t = Table.fromRecords([
      { s: 'say "hi", now', n: 1.25, b: true, d: new Date(Date.UTC(2020, 4, 6)) },
      { s: "line\nbreak", n: null, b: false, d: null },
      { s: " padded ", n: -3, b: null, d: new Date(Date.UTC(2020, 4, 6, 7, 8, 9)) },
    ]);
    const text = formatCsv(t);
    assert.equal(text.split("\n")[1], '"say ""hi"", now",1.25,true,2020-05-06');
    const back = parseCsv(text);
    assert.deepEqual(back.toRecords(), t.toRecords());
  });
});

describe("parseCsvStream", () => {
  async function* chunksOf(text: string, size: number) {
    const bytes = encoder.encode(text);
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }

  it("yields batches of batchSize rows equal to a whole read, whatever the chunking", async () => {
    const lines = ["k,v,s"];
    for (let i = 0; i < 250; i++) lines.push(`${i},${(i * 0.5).toFixed(1)},"w ${i}\nnext"`);
    const text = `${lines.join("\n")}\n`;
    const whole = parseCsv(text);
    for (const chunk of [7, 64, 100_000]) {
      const stream = parseCsvStream(chunksOf(text, chunk), { batchSize: 100, blockBytes: 128 });
      const batches: Table[] = [];
      for await (const batch of stream) batches.push(batch);
      assert.deepEqual(
        batches.map((b) => b.numRows),
        [100, 100, 50],
      );
      assert.deepEqual(Table.concat(batches).toRecords(), whole.toRecords());
      assert.equal(stream.report.rowsRead, 250);
    }
  });

  it("reports line numbers of bad rows in later batches", async () => {
    const rows = ["a,b"];
    for (let i = 0; i < 30; i++) rows.push(i === 25 ? "25,oops" : `${i},${i}`);
    const report = new ReadReport();
    const stream = parseCsvStream(chunksOf(`${rows.join("\n")}\n`, 16), {
      batchSize: 10,
      inferRows: 10,
      onError: "coerce",
      report,
    });
    let total = 0;
    for await (const batch of stream) total += batch.numRows;
    assert.equal(total, 30);
    assert.deepEqual(report.issues, [
      { line: 27, action: "coerced", column: "b", value: "oops", reason: "expected int" },
    ]);
  });
});
