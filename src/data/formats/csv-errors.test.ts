// The CSV findings of issue 12 (no silent data loss): each test reproduces one finding.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../../core/errors.js";
import { Table } from "../table/table.js";
import { formatCsv, parseCsv, parseCsvStream } from "./csv.js";
import { CsvTokenizer } from "./csv-scan.js";
import { ReadError, ReadReport } from "./read-report.js";

const encoder = new TextEncoder();

/** A house-prices-like file: a header and 506 numeric rows (line n holds row n - 1). */
function housePrices(): string[] {
  const lines = ["crim,rooms,age,price"];
  for (let i = 1; i <= 506; i++)
    lines.push(`${(i * 0.013).toFixed(3)},${5 + (i % 4)},${i % 100},${20 + (i % 30)}.5`);
  return lines;
}

function readsAs(error: unknown, line: number, pattern: RegExp): boolean {
  return error instanceof ReadError && error.line === line && pattern.test(error.message);
}

describe("CSV: malformed records are never the silent end of the table", () => {
  it("a stray quote opening a field on line 61 is a ReadError at line 61 (was: 59 of 506 rows)", () => {
    const lines = housePrices();
    lines[60] = `"${lines[60]}`;
    const text = `${lines.join("\n")}\n`;
    assert.throws(
      () => parseCsv(text, { source: "house.csv" }),
      (e) =>
        readsAs(e, 61, /house\.csv line 61: malformed CSV: a quoted field is not closed .*\(lines 61-507\)/),
    );
    const report = new ReadReport();
    const table = parseCsv(text, { onError: "skip", report });
    assert.equal(table.numRows, 59);
    assert.equal(report.skippedRows, 1);
    assert.match(report.issues[0]!.reason, /lines 61-507/);
  });

  it("a stray quote inside a field costs that row only under skip, and is an error by default", () => {
    const lines = housePrices();
    lines[60] = lines[60]!.replace(",", '",');
    const text = `${lines.join("\n")}\n`;
    assert.throws(
      () => parseCsv(text),
      (e) => readsAs(e, 61, /a quote inside an unquoted field \(field 1/),
    );
    const report = new ReadReport();
    const table = parseCsv(text, { onError: "skip", report });
    assert.equal(table.numRows, 505);
    assert.deepEqual(report.skippedLines, [61]);
    assert.equal(report.rowsRead, 506);
  });

  it("under skip no untyped csv-parse error escapes (an unclosed doubled-quote field)", () => {
    const report = new ReadReport();
    const table = parseCsv('a,b\n1,2\n"He said ""no"",x\n3,4\n', { onError: "skip", report });
    assert.deepEqual(table.toRecords(), [{ a: 1, b: 2 }]);
    assert.deepEqual(report.skippedLines, [3]);
  });
});

describe("CSV: valid files read whole, whatever the block size", () => {
  const cases: [string, string, Record<string, unknown>[]][] = [
    [
      "a doubled quote before a delimiter, then quoted line breaks (found by fuzzing the old reader)",
      'h1,h2\nk,k\n"k  ""","k,,"\n"k""\n\n","k\n\n  "\n',
      [
        { h1: "k", h2: "k" },
        { h1: 'k  "', h2: "k,," },
        { h1: 'k"\n\n', h2: "k\n\n  " },
      ],
    ],
    [
      "an escaped quote before a newline",
      'q,n\n"a""\nb",1\nc,2\n',
      [
        { q: 'a"\nb', n: 1 },
        { q: "c", n: 2 },
      ],
    ],
    [
      "a CRLF header with LF rows",
      "a,b\r\n1,2\n3,4\n",
      [
        { a: 1, b: 2 },
        { a: 3, b: 4 },
      ],
    ],
    [
      "CR-only line ends with a blank line",
      "a,b\r1,2\r\r3,4\r",
      [
        { a: 1, b: 2 },
        { a: 3, b: 4 },
      ],
    ],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const bytes = encoder.encode(text);
      for (let block = 1; block <= bytes.length; block++) {
        assert.deepEqual(parseCsv(bytes, { blockBytes: block }).toRecords(), expected, `blockBytes ${block}`);
      }
    });
  }

  it("streams the same rows for every chunk size", async () => {
    const text = 'q,n\n"a""\nb",1\r\n"He said ""no""",2\rc,3\n';
    const whole = parseCsv(text).toRecords();
    for (let size = 1; size <= 8; size++) {
      const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, i) =>
        text.slice(i * size, (i + 1) * size),
      );
      const tables: Table[] = [];
      for await (const t of parseCsvStream(chunks)) tables.push(t);
      assert.deepEqual(Table.concat(tables).toRecords(), whole, `chunks of ${size}`);
    }
  });
});

describe("CSV: oversized records", () => {
  const long = `"${"x,".repeat(200)}\n${"y".repeat(100)}"`;
  const text = `a,b\n1,2\n${long},9\n3,4\n5,6\n`;

  it("under skip, a record over maxRecordBytes is one counted skip and reading goes on (was: made-up rows)", () => {
    const report = new ReadReport();
    const table = parseCsv(text, { onError: "skip", report, maxRecordBytes: 100, blockBytes: 64 });
    assert.deepEqual(table.toRecords(), [
      { a: 1, b: 2 },
      { a: 3, b: 4 },
      { a: 5, b: 6 },
    ]);
    assert.equal(report.skippedRows, 1);
    assert.match(report.issues[0]!.reason, /longer than maxRecordBytes \(100 characters\) \(lines 3-4\)/);
  });

  it("by default it is a ReadError at the record's line", () => {
    assert.throws(
      () => parseCsv(text, { maxRecordBytes: 100, source: "big.csv" }),
      (e) => readsAs(e, 3, /big\.csv line 3: a record longer than maxRecordBytes/),
    );
  });
});

describe("CSV: linear time", () => {
  it("looks at each character once, however an unclosed quote is cut into pieces (was: quadratic)", () => {
    const size = 4 << 20;
    const text = `a,b\n"${"z".repeat(size)}`;
    let records = 0;
    const tokenizer = new CsvTokenizer(
      { delimiter: ",", quote: 34, escape: 34, comment: -1, maxRecordChars: 8 << 20 },
      () => records++,
    );
    for (let i = 0; i < text.length; i += 4096) tokenizer.push(text.slice(i, i + 4096));
    tokenizer.end();
    assert.equal(tokenizer.scannedChars, text.length);
    assert.equal(records, 2);
  });
});

describe("CSV: values are never changed silently", () => {
  it("keeps integers beyond 2^53 exactly, as text (was: rounded)", () => {
    const t = parseCsv("id,n\n9007199254740993,1\n18446744073709551615,2\n");
    assert.equal(t.column("id").kind, "string");
    assert.deepEqual(t.column("id").toArray(), ["9007199254740993", "18446744073709551615"]);
  });

  it("refuses one integer beyond 2^53 in an int column, naming its line", () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${i}`);
    rows[150] = "9007199254740993";
    assert.throws(
      () => parseCsv(`n\n${rows.join("\n")}\n`),
      (e) => readsAs(e, 152, /expected int; an integer beyond 2\^53 would be rounded/),
    );
  });

  it('reads " 0x1f" as text, not 31', () => {
    const t = parseCsv('h\n" 0x1f"\nabc\n');
    assert.deepEqual(t.column("h").toArray(), [" 0x1f", "abc"]);
    const numbers = parseCsv("n\n 0x1f\n2\n3\n", {
      types: { n: "float" },
      onError: "coerce",
      report: new ReadReport(),
    });
    assert.deepEqual(numbers.column("n").toArray(), [null, 2, 3]);
  });

  it("refuses invalid UTF-8 with file, line and column (was: U+FFFD, silently)", () => {
    const bytes = Uint8Array.from([...encoder.encode("name,n\nab,1\ncd"), 0xff, ...encoder.encode("e,2\n")]);
    assert.throws(
      () => parseCsv(bytes, { source: "names.csv" }),
      (e) => readsAs(e, 3, /names\.csv line 3: column 3: invalid UTF-8 \(byte 0xFF at byte offset 14/),
    );
    const report = new ReadReport();
    const t = parseCsv(bytes, { invalidUtf8: "replace", report });
    assert.deepEqual(t.column("name").toArray(), ["ab", "cd\ufffde"]);
    assert.equal(report.invalidUtf8Replaced, 1);
    assert.equal(report.clean, false);
  });

  it("keeps a multi-byte character cut between blocks, and a U+FFFD that is really in the file", () => {
    const bytes = encoder.encode("w\n東京\n\ufffd\n");
    const report = new ReadReport();
    for (let block = 1; block <= 6; block++) {
      const t = parseCsv(bytes, { blockBytes: block, invalidUtf8: "replace", report });
      assert.deepEqual(t.column("w").toArray(), ["東京", "\ufffd"]);
    }
    assert.equal(report.invalidUtf8Replaced, 0);
  });
});

describe("CSV: options objects", () => {
  it("refuse an unknown key with a ConfigError naming it (was: silently ignored)", () => {
    const unknown = { schema: { a: "int" } } as unknown as Record<string, never>;
    assert.throws(
      () => parseCsv("a\n1\n", unknown),
      (e) => e instanceof ConfigError && /parseCsv: unknown option "schema"/.test(e.message),
    );
    assert.throws(() => parseCsvStream([], unknown), /parseCsvStream: unknown option "schema"/);
    assert.throws(
      () => formatCsv(Table.fromRecords([{ a: 1 }]), unknown),
      /formatCsv: unknown option "schema"/,
    );
  });
});

describe("CSV writer: what it writes reads back (found by the round-trip fuzz target)", () => {
  it("writes a one-column missing cell as a quoted empty field, not a blank line", () => {
    const table = Table.fromRecords([{ a: 1 }, { a: null }, { a: 3 }]);
    assert.equal(formatCsv(table), 'a\n1\n""\n3\n');
    assert.deepEqual(parseCsv(formatCsv(table)).toRecords(), table.toRecords());
  });

  it("keeps the sign of negative zero", () => {
    const table = Table.fromRecords([{ x: -0 }, { x: 1.5 }]);
    assert.ok(Object.is(parseCsv(formatCsv(table)).get(0, "x"), -0));
  });
});

describe("CSV: options that cannot work are refused", () => {
  it("a delimiter equal to the quote, or holding a line break, is a ValueError", () => {
    assert.throws(() => parseCsv("a\n", { delimiter: '"' }), /delimiter and quote must differ/);
    assert.throws(() => parseCsv("a\n", { delimiter: ";\n" }), /may not hold a line break/);
  });

  it("a byte-order mark is dropped from text input as from bytes", () => {
    assert.deepEqual(parseCsv("\uFEFFa,b\n1,2\n").columnNames, ["a", "b"]);
  });
});
