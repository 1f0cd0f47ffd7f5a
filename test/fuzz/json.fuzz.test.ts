// test/fuzz: JSON and NDJSON reader and writer targets (data/formats/json). Properties: only typed
// errors escape on any bytes or any JSON value, under every error policy; no more cells than the
// input has bytes; NDJSON streamed in random chunks reads what a whole read reads; tables written
// by formatJson / formatNdjson read back equal, whatever their column names.
import assert from "node:assert/strict";
import { TesseraError } from "../../src/core/errors.js";
import {
  formatJson,
  formatNdjson,
  parseJson,
  parseNdjson,
  parseNdjsonStream,
} from "../../src/data/formats/json.js";
import { type OnError, ReadReport } from "../../src/data/formats/read-report.js";
import { Column } from "../../src/data/table/column.js";
import { Table } from "../../src/data/table/table.js";
import { assertBounded, assertStreamedAsWhole, bytesFrom, fc, fuzz, fuzzAsync, inChunks } from "./harness.js";

const JSON_BYTES = bytesFrom('{}[]":,\n\r 0123456789.-eEtruefalsn\\u_"', 300);
const POLICY = fc.constantFrom<OnError>("error", "skip", "coerce");
/** Keys that name Object.prototype members, and ordinary ones. */
const KEY = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "a", "b"),
  fc.string({ maxLength: 4 }),
);
const RECORD = fc.dictionary(KEY, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 });
const encoder = new TextEncoder();

function options(onError: OnError) {
  return {
    onError,
    report: new ReadReport(),
    invalidUtf8: onError === "error" ? "error" : "replace",
  } as const;
}

fuzz(
  "parseJson and parseNdjson on arbitrary bytes, every policy",
  fc.tuple(JSON_BYTES, POLICY),
  ([bytes, onError]) => {
    for (const parse of [parseJson, parseNdjson]) {
      try {
        const table = parse(bytes, options(onError));
        assertBounded("cells", table.numRows * table.numColumns, bytes.length + 1);
      } catch (error) {
        if (parse === parseNdjson) throw error;
        // parseJson refusing the input is fine (the harness checks the error is typed); NDJSON
        // still runs on the same bytes.
        if (!(error instanceof TesseraError)) throw error;
      }
    }
  },
);

fuzz(
  "parseJson and parseNdjson on arbitrary records with awkward keys",
  fc.tuple(fc.array(fc.oneof(RECORD, fc.jsonValue({ maxDepth: 1 })), { maxLength: 8 }), POLICY),
  ([records, onError]) => {
    const json = JSON.stringify(records);
    const ndjson = records.map((r) => JSON.stringify(r)).join("\n");
    for (const [parse, text] of [
      [parseJson, json],
      [parseNdjson, ndjson],
    ] as const) {
      try {
        const table = parse(text, options(onError));
        assertBounded("cells", table.numRows * table.numColumns, text.length + 1);
      } catch (error) {
        if (parse === parseNdjson) throw error;
        if (!(error instanceof TesseraError)) throw error;
      }
    }
  },
);

fuzzAsync(
  "parseNdjsonStream in random chunks reads what parseNdjson reads",
  fc.tuple(
    fc.oneof(
      JSON_BYTES,
      fc
        .array(RECORD, { maxLength: 8 })
        .map((rs) => encoder.encode(rs.map((r) => JSON.stringify(r)).join("\n"))),
    ),
    fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 20 }),
    POLICY,
  ),
  ([bytes, cuts, onError]) =>
    assertStreamedAsWhole(
      () => parseNdjson(bytes, { onError, report: new ReadReport() }),
      () =>
        parseNdjsonStream(inChunks(bytes, cuts), {
          onError,
          report: new ReadReport(),
          batchSize: 3,
          inferRows: 10_000,
        }),
    ),
);

const text = fc.string({ unit: fc.constantFrom("a", " ", '"', "\\", "\n", "é", "東", "\u2028", "1") });
const NAMES = fc.uniqueArray(
  fc.oneof(
    fc.constantFrom("__proto__", "constructor", "toString", "valueOf"),
    fc.string({ minLength: 1, maxLength: 4 }),
  ),
  { minLength: 1, maxLength: 4 },
);

/** A table of string, float, int and bool columns. */
const tables = fc.tuple(NAMES, fc.integer({ min: 1, max: 8 })).chain(([names, rows]) =>
  fc.tuple(
    fc.constant(names),
    fc.tuple(
      ...names.map((_, c) => {
        const value: fc.Arbitrary<string | number | boolean | null> = [
          fc.option(text, { nil: null }),
          fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
          fc.option(fc.maxSafeInteger(), { nil: null }),
          fc.option(fc.boolean(), { nil: null }),
        ][c % 4]!;
        return fc.array(value, { minLength: rows, maxLength: rows });
      }),
    ),
  ),
);

fuzz(
  "formatJson / formatNdjson then parse gives the same table",
  tables,
  ([names, columns]) => {
    const kinds = ["string", "float", "int", "bool"] as const;
    const entries = names.map((name, c): [string, Column] => {
      const kind = kinds[c % 4]!;
      const values = columns[c]!;
      if (kind === "string") return [name, Column.fromStrings(values as (string | null)[])];
      const numbers = Float64Array.from(values as (number | boolean | null)[], (v) =>
        v === null ? Number.NaN : Number(v),
      );
      return [name, Column.fromNumbers(kind, numbers)];
    });
    const table = Table.fromEntries(entries, columns[0]!.length);
    const types = Object.fromEntries(table.schema.map((s) => [s.name, s.kind]));
    // Negative zero is written as 0 by JSON itself (JSON.stringify(-0) is "0").
    const expected = JSON.parse(JSON.stringify(table.toColumns()));
    // NOTE: a JSON object lists integer-like keys ("0", "12") first whatever the text's order, so
    // such columns may come back first: the property compares columns by name.
    const sorted = [...table.columnNames].sort();
    for (const back of [
      parseJson(formatJson(table), { types }),
      parseNdjson(formatNdjson(table), { types }),
    ]) {
      assert.deepEqual([...back.columnNames].sort(), sorted);
      assert.deepEqual(JSON.parse(JSON.stringify(back.toColumns())), expected);
    }
  },
  { typedErrorsPass: false },
);
