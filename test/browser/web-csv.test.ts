// CSV in Debian's Chromium through the browser entry: a file picked in an <input type=file> (set
// by playwright's setInputFiles) read with readCsvFrom, a served CSV read with readCsvFromUrl and
// streamed in batches with readCsvStreamFrom, all equal to readCsv's Table in Node; a bad row is
// the same ReadError as in Node, and a 404 a FormatError naming the URL and the status.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { test } from "node:test";
import { parseCsv } from "../../src/data/formats/csv.js";
import { readCsv } from "../../src/io/read-csv.js";
import { launchChromium, servePage, watch } from "./browser.js";
import { tessera, tesseraPage } from "./tessera-page.js";

const PENGUINS = resolve(import.meta.dirname, "../../datasets/penguins.csv");
const DIGITS = resolve(import.meta.dirname, "../../datasets/digits.csv");

/** What the page sends back of a Table (JSON-safe: NaN and missing cells are null either way). */
interface TableJson {
  schema: { name: string; kind: string }[];
  columns: Record<string, unknown[]>;
}

test("CSV from a picked File and from a URL in Chromium equals readCsv in Node", {
  timeout: 90_000,
}, async () => {
  const files = await tesseraPage('<input type="file" id="csv">');
  files.set("/data/penguins.csv", { body: readFileSync(PENGUINS), type: "text/csv" });
  const { origin, close } = await servePage(files);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const problems = watch(page);
    await page.goto(`${origin}/`);
    await page.waitForSelector("body[data-state=ready]", { state: "attached", timeout: 30_000 });

    // A 260 KB file picked by the user, streamed from the File.
    await page.setInputFiles("#csv", {
      name: "digits.csv",
      mimeType: "text/csv",
      buffer: readFileSync(DIGITS),
    });
    const picked = await page.evaluate(async () => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { files: Blob[] } } })
        .document;
      const file = doc.querySelector("#csv").files[0]!;
      const t = await tessera().readCsvFrom(file);
      return { name: (file as File).name, schema: t.schema, columns: t.toColumns() } as TableJson & {
        name: string;
      };
    });
    assert.equal(picked.name, "digits.csv");
    const digits = await readCsv(DIGITS);
    assert.deepEqual(picked.schema, digits.schema);
    assert.deepEqual(picked.columns, JSON.parse(JSON.stringify(digits.toColumns())));

    // A served CSV, whole and in batches; a missing one.
    const fromUrl = await page.evaluate(async () => {
      const ts = tessera();
      const t = await ts.readCsvFromUrl("data/penguins.csv");
      const sizes: number[] = [];
      for await (const batch of ts.readCsvStreamFrom(
        new URL("data/penguins.csv", (globalThis as unknown as { location: { href: string } }).location.href),
        {
          batchSize: 100,
        },
      ))
        sizes.push(batch.numRows);
      const missing = await ts.readCsvFromUrl("data/missing.csv").then(
        () => "no error",
        (e: Error) => `${e.name}: ${e.message}`,
      );
      return { schema: t.schema, columns: t.toColumns(), sizes, missing };
    });
    const penguins = await readCsv(PENGUINS);
    assert.deepEqual(fromUrl.schema, penguins.schema);
    assert.deepEqual(fromUrl.columns, JSON.parse(JSON.stringify(penguins.toColumns())));
    assert.deepEqual(fromUrl.sizes, [100, 100, 100, 44]);
    assert.equal(
      fromUrl.missing,
      `FormatError: ${origin}/data/missing.csv: HTTP 404 Not Found (the CSV file)`,
    );

    // A bad row in a picked file: the ReadError Node gives for the same bytes and name.
    const bad = 'a,b\n1,2\n3,"x\n';
    await page.setInputFiles("#csv", { name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
    const error = await page.evaluate(async () => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { files: Blob[] } } })
        .document;
      return tessera()
        .readCsvFrom(doc.querySelector("#csv").files[0]!)
        .then(
          () => "no error",
          (e: Error) => `${e.name}: ${e.message}`,
        );
    });
    let expected = "";
    try {
      parseCsv(Buffer.from(bad), { source: "bad.csv" });
    } catch (e) {
      expected = `${(e as Error).name}: ${(e as Error).message}`;
    }
    assert.match(expected, /^ReadError: parseCsv: bad\.csv line 3/);
    assert.equal(error, expected);

    assert.deepEqual(
      // the only errors are about the 404 (its body is cancelled, so the request reads as aborted)
      problems.errors.filter((e) => !e.includes("status of 404") && !e.includes("/data/missing.csv")),
      [],
    );
    assert.ok(problems.requests.every((url) => url.startsWith(`${origin}/`)));
  } finally {
    await browser.close();
    close();
  }
});
