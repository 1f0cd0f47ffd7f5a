// test/fuzz: CSV reader and writer targets (data/formats/csv). Properties: only typed errors escape on
// any bytes, under every error policy; the table never holds more cells than the input has bytes;
// the skip report adds up; streaming in random chunks reads what a whole read reads; and a table
// written by formatCsv reads back equal.
import assert from "node:assert/strict";
import { formatCsv, parseCsv, parseCsvStream } from "../../src/data/formats/csv.js";
import { type OnError, ReadReport } from "../../src/data/formats/read-report.js";
import { Column } from "../../src/data/table/column.js";
import { Table } from "../../src/data/table/table.js";
import { assertBounded, assertStreamedAsWhole, bytesFrom, fc, fuzz, fuzzAsync, inChunks } from "./harness.js";

const CSV_BYTES = bytesFrom(',;"\n\r\\ #a1.-eE\t', 300);
const POLICY = fc.constantFrom<OnError>("error", "skip", "coerce");

fuzz("parseCsv on arbitrary bytes, every error policy", fc.tuple(CSV_BYTES, POLICY), ([bytes, onError]) => {
  const report = new ReadReport();
  const table = parseCsv(bytes, { onError, report, invalidUtf8: onError === "error" ? "error" : "replace" });
  assertBounded("cells", table.numRows * table.numColumns, bytes.length + 1);
  assert.equal(report.rowsKept, table.numRows);
  if (onError === "skip") assert.equal(report.rowsRead, report.rowsKept + report.skippedRows);
});

fuzz(
  "parseCsv with other delimiters, quotes, escapes and comments",
  fc.tuple(
    CSV_BYTES,
    fc.constantFrom(",", ";", "\t", "::", "auto"),
    fc.constantFrom<string | false>('"', "'", false),
    fc.constantFrom(undefined, "\\"),
    fc.constantFrom(undefined, "#"),
  ),
  ([bytes, delimiter, quote, escape, comment]) => {
    const table = parseCsv(bytes, {
      delimiter,
      quote,
      escape,
      comment,
      onError: "skip",
      report: new ReadReport(),
    });
    assertBounded("cells", table.numRows * table.numColumns, bytes.length + 1);
  },
);

fuzzAsync(
  "parseCsvStream in random chunks reads what parseCsv reads",
  fc.tuple(CSV_BYTES, fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 20 }), POLICY),
  ([bytes, cuts, onError]) =>
    assertStreamedAsWhole(
      () => parseCsv(bytes, { onError, report: new ReadReport() }),
      () =>
        parseCsvStream(inChunks(bytes, cuts), {
          onError,
          report: new ReadReport(),
          batchSize: 7,
          inferRows: 10_000,
        }),
    ),
);

const text = fc.string({
  unit: fc.constantFrom("a", "b", " ", ",", '"', "\n", "\r", "#", "'", "é", "東", "1", "-"),
});
// An empty string and a missing cell are both written as nothing (as pandas does), and missing
// markers are matched after trimming, so the round trip holds for strings with a visible character.
const nonEmpty = text.filter((s) => s.trim() !== "");
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

/** A table of string, float and int columns with unique non-empty names. */
const tables = fc
  .tuple(
    fc.uniqueArray(
      text.filter((s) => s.trim().length > 0),
      { minLength: 1, maxLength: 4 },
    ),
    fc.integer({ min: 0, max: 12 }),
  )
  .chain(([names, rows]) =>
    fc.tuple(
      fc.constant(names),
      fc.tuple(
        ...names.map((_, c) =>
          c % 3 === 0
            ? fc.array(fc.option(nonEmpty, { nil: null }), { minLength: rows, maxLength: rows })
            : c % 3 === 1
              ? fc.array(fc.option(finite, { nil: null }), { minLength: rows, maxLength: rows })
              : fc.array(fc.option(fc.maxSafeInteger(), { nil: null }), { minLength: rows, maxLength: rows }),
        ),
      ),
    ),
  );

fuzz(
  "formatCsv then parseCsv gives the same table",
  tables,
  ([names, columns]) => {
    const entries = names.map((name, c): [string, Column] => {
      const values = columns[c]!;
      if (c % 3 === 0) return [name, Column.fromStrings(values as (string | null)[])];
      const numbers = Float64Array.from(values as (number | null)[], (v) => (v === null ? Number.NaN : v));
      return [name, Column.fromNumbers(c % 3 === 1 ? "float" : "int", numbers)];
    });
    const table = Table.fromEntries(entries, columns[0]!.length);
    const types = Object.fromEntries(table.schema.map((s) => [s.name, s.kind]));
    // Missing cells are written as nothing; an empty string is written quoted, so "" stays "".
    const back = parseCsv(formatCsv(table), { header: true, types, missing: [""], delimiter: "," });
    assert.deepEqual(back.columnNames, table.columnNames);
    assert.deepEqual(back.toRecords(), table.toRecords());
  },
  { typedErrorsPass: false },
);
