// readCsvFrom / readCsvFromUrl / readCsvStreamFrom in Node (which has Blob, File, fetch): a File,
// a Blob, a URL on a loopback server and a fetch Response give the Table readCsv gives for the
// same file, with the same options and the same typed errors; HTTP failures are FormatErrors
// naming the URL and the status.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { type PageFiles, servePage } from "../../../test/browser/browser.js";
import { FormatError, ValueError } from "../../core/errors.js";
import { parseCsv } from "../../data/formats/csv.js";
import { ReadError, ReadReport } from "../../data/formats/read-report.js";
import { Table } from "../../data/table/table.js";
import { readCsv, readCsvStream } from "../read-csv.js";
import { readCsvFrom, readCsvFromUrl, readCsvStreamFrom } from "./read-csv-from.js";

const DIGITS = resolve(import.meta.dirname, "../../../datasets/digits.csv");
const PENGUINS = resolve(import.meta.dirname, "../../../datasets/penguins.csv");

function assertSameTable(actual: Table, expected: Table): void {
  assert.deepEqual(actual.schema, expected.schema);
  assert.deepEqual(actual.toColumns(), expected.toColumns());
}

describe("readCsvFrom a File or Blob", () => {
  test("streams a 260 KB file into the Table readCsv reads", async () => {
    const bytes = readFileSync(DIGITS);
    const table = await readCsvFrom(new File([bytes], "digits.csv"));
    assert.equal(table.numRows, 1797);
    assertSameTable(table, await readCsv(DIGITS));
    assertSameTable(await readCsvFrom(new Blob([bytes])), table);
  });

  test("keeps multi-byte characters cut by the stream's chunk boundaries", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},café ñandú ${"é".repeat(i % 7)},€${i}`);
    const text = `id,name,price\n${rows.join("\n")}\n`;
    const table = await readCsvFrom(new File([text], "utf8.csv"));
    assert.ok(new TextEncoder().encode(text).length > 4 * 65536);
    assertSameTable(table, parseCsv(text));
    assert.equal(table.get(19_999, "name"), `café ñandú ${"é".repeat(19_999 % 7)}`);
  });

  test("passes the parser's options and reports skipped rows", async () => {
    const report = new ReadReport();
    const file = new File(["1;x\n2;y;extra\n3;z\n"], "semi.csv");
    const table = await readCsvFrom(file, { delimiter: ";", header: false, onError: "skip", report });
    assert.deepEqual(table.toRecords(), [
      { column_1: 1, column_2: "x" },
      { column_1: 3, column_2: "z" },
    ]);
    assert.equal(report.skippedRows, 1);
    assert.equal(report.issues[0]?.line, 2);
  });

  test("a bad row is the ReadError parseCsv gives, naming the file and line", async () => {
    const text = 'a,b\n1,2\n3,"x\n';
    const file = new File([text], "bad.csv");
    const expected = (() => {
      try {
        parseCsv(new TextEncoder().encode(text), { source: "bad.csv" });
      } catch (error) {
        return error;
      }
    })();
    assert.ok(expected instanceof ReadError);
    await assert.rejects(readCsvFrom(file), (error: unknown) => {
      assert.ok(error instanceof ReadError);
      assert.equal(error.message, expected.message);
      assert.match(error.message, /bad\.csv line 3/);
      return true;
    });
    await assert.rejects(readCsvFrom(42 as never), ValueError);
    await assert.rejects(
      readCsvFrom("data/iris.csv"),
      new ValueError(
        'readCsvFrom: "data/iris.csv" looks like a URL, not CSV text; use readCsvFromUrl(url) or pass new URL(url)',
      ),
    );
    assert.deepEqual((await readCsvFrom("a,b\n1,x\n")).toRecords(), [{ a: 1, b: "x" }]);
    await assert.rejects(readCsvFrom(file, { delimitr: ";" } as never), /unknown option|delimitr/);
  });

  test("readCsvStreamFrom yields the batches readCsvStream yields", async () => {
    const batches: Table[] = [];
    for await (const batch of readCsvStreamFrom(new File([readFileSync(PENGUINS)], "p.csv"), {
      batchSize: 100,
    })) {
      batches.push(batch);
    }
    const expected: Table[] = [];
    for await (const batch of readCsvStream(PENGUINS, { batchSize: 100 })) expected.push(batch);
    assert.deepEqual(
      batches.map((b) => b.numRows),
      expected.map((b) => b.numRows),
    );
    assertSameTable(Table.concat(batches), Table.concat(expected));
  });
});

describe("readCsvFromUrl over a loopback server", () => {
  let origin: string;
  let close: () => void;
  before(async () => {
    const files: PageFiles = new Map([
      ["/data/penguins.csv", { body: readFileSync(PENGUINS), type: "text/csv" }],
      ["/data/page.csv", { body: "<!doctype html><p>not here</p>", type: "text/html; charset=utf-8" }],
    ]);
    ({ origin, close } = await servePage(files));
  });
  after(() => close());

  test("reads the Table readCsv reads, from a string URL, a URL object and a Response", async () => {
    const expected = await readCsv(PENGUINS);
    const url = `${origin}/data/penguins.csv`;
    assertSameTable(await readCsvFromUrl(url), expected);
    assertSameTable(await readCsvFrom(new URL(url)), expected);
    const response = await fetch(url);
    assertSameTable(await readCsvFrom(response), expected);
    await assert.rejects(
      readCsvFrom(response),
      new ValueError(`${url}: the response's body was already read`),
    );
    const batches: Table[] = [];
    for await (const batch of readCsvStreamFrom(new URL(url), { batchSize: 150 })) batches.push(batch);
    assert.deepEqual(
      batches.map((b) => b.numRows),
      [150, 150, 44],
    );
  });

  test("a 404, an HTML page and a refused connection are FormatErrors naming the URL", async () => {
    const missing = `${origin}/data/missing.csv`;
    await assert.rejects(
      readCsvFromUrl(missing),
      new FormatError(`${missing}: HTTP 404 Not Found (the CSV file)`),
    );
    await assert.rejects(
      readCsvFrom(await fetch(missing)),
      new FormatError(`${missing}: HTTP 404 Not Found (the CSV file)`),
    );
    const page = `${origin}/data/page.csv`;
    await assert.rejects(
      readCsvFromUrl(page),
      new FormatError(
        `${page}: the server sent an HTML page (content-type text/html; charset=utf-8), not the CSV file`,
      ),
    );
    const refused = async (): Promise<Response> => {
      throw new TypeError("fetch failed");
    };
    await assert.rejects(
      readCsvFromUrl(missing, { fetch: refused }),
      new FormatError(`${missing}: cannot fetch the CSV file (fetch failed)`),
    );
    await assert.rejects(readCsvFromUrl("not a url"), ValueError);
  });
});
