// test/fuzz: Parquet reader targets (data/formats/parquet, parquet-checks, io/read-parquet). Properties:
// only typed errors escape on arbitrary bytes behind a Parquet footer, on any edit of a valid
// file's footer fields, and on byte flips anywhere in a valid file (read through readParquet's
// worker: a flip can send hyparquet's decoders into a loop, which the watchdog must turn into a
// FormatError); what decodes holds no more cells than the default budget allows for the file's
// size; and a table written with formatParquet reads back exactly.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { formatParquet, parseParquet } from "../../src/data/formats/parquet.js";
import { Column } from "../../src/data/table/column.js";
import { Table } from "../../src/data/table/table.js";
import { readParquet } from "../../src/io/read-parquet.js";
import { footerStart, parquetBytes, withFooter } from "../robust/parquet-craft.js";
import { assertBounded, bytesFrom, fc, fuzzAsync } from "./harness.js";

const dir = mkdtempSync(join(tmpdir(), "tessera-fuzz-parquet-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Cells decoded are bounded as parquet-checks.ts promises: 2^20 + 64 per byte of the file. */
function checkBounded(table: Table, bytes: number): void {
  assertBounded("cells", table.numRows * table.numColumns, bytes, 64, 2 ** 20);
}

const n = 40;
const VALID = parquetBytes(
  [
    { name: "f", data: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : i * 0.25)), type: "DOUBLE" },
    {
      name: "s",
      data: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : `v${i % 4}`)),
      type: "STRING",
    },
    { name: "i", data: Array.from({ length: n }, (_, i) => BigInt(i % 9)), type: "INT64" },
    {
      name: "b",
      data: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : i % 2 === 0)),
      type: "BOOLEAN",
    },
  ],
  { rowGroupSize: 16, codec: "SNAPPY" },
);

function behindFooter(body: Uint8Array, footer: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length + footer.length + 8);
  out.set([0x50, 0x41, 0x52, 0x31]);
  out.set(body, 4);
  out.set(footer, 4 + body.length);
  new DataView(out.buffer).setUint32(4 + body.length + footer.length, footer.length, true);
  out.set([0x50, 0x41, 0x52, 0x31], out.length - 4);
  return out;
}

fuzzAsync(
  "parseParquet on arbitrary bytes behind a footer",
  fc.tuple(
    bytesFrom("\x15\x16\x18\x19\x1c\x00\x01\x02\x0c\x26", 60),
    bytesFrom("\x15\x16\x18\x19\x1c\x00\x01\x02\x0c\x26\x35\x48", 120),
  ),
  async ([body, footer]) => {
    const bytes = behindFooter(body, footer);
    checkBounded(await parseParquet(bytes), bytes.length);
  },
);

const BIG = fc.oneof(
  fc.bigInt({ min: -5n, max: 200n }),
  fc.constantFrom(0n, 2n ** 31n, 2n ** 40n, 2n ** 62n, -(2n ** 62n)),
);
const EDIT = fc.oneof(
  fc.record({ at: fc.constant("num_rows" as const), value: BIG }),
  fc.record({ at: fc.constant("group_rows" as const), group: fc.nat(), value: BIG }),
  fc.record({ at: fc.constant("num_values" as const), group: fc.nat(), column: fc.nat(), value: BIG }),
  fc.record({ at: fc.constant("data_page_offset" as const), group: fc.nat(), column: fc.nat(), value: BIG }),
  fc.record({
    at: fc.constant("total_compressed_size" as const),
    group: fc.nat(),
    column: fc.nat(),
    value: BIG,
  }),
  fc.record({
    at: fc.constant("name" as const),
    column: fc.nat(),
    value: fc.constantFrom("f", "s", "", "__proto__", "i"),
  }),
  fc.record({ at: fc.constant("drop_group" as const), group: fc.nat() }),
);

fuzzAsync(
  "parseParquet on edits of a valid file's footer",
  fc.array(EDIT, { minLength: 1, maxLength: 3 }),
  async (edits) => {
    let bytes: Uint8Array;
    try {
      bytes = withFooter(VALID, (m) => {
        for (const e of edits) {
          const groups = m.row_groups;
          if (e.at === "num_rows") m.num_rows = e.value;
          else if (e.at === "group_rows") groups[e.group % groups.length]!.num_rows = e.value;
          else if (e.at === "drop_group") groups.splice(e.group % groups.length, 1);
          else if (e.at === "name") m.schema[1 + (e.column % (m.schema.length - 1))]!.name = e.value;
          else {
            const group = groups[e.group % groups.length];
            const meta = group?.columns[e.column % group.columns.length]?.meta_data;
            if (meta !== undefined) meta[e.at] = e.value;
          }
        }
      });
    } catch {
      return; // the writer cannot encode this footer (a negative size, a missing group): no file
    }
    checkBounded(await parseParquet(bytes), bytes.length);
  },
);

let file = 0;
fuzzAsync(
  "readParquet on byte flips of a valid file (decoder loops end at the watchdog)",
  fc.array(
    fc.tuple(
      // Half the flips in the pages (the footer is most of this small file's bytes).
      fc.oneof(fc.nat({ max: footerStart(VALID) - 1 }), fc.nat({ max: VALID.length - 1 })),
      fc.integer({ min: 0, max: 255 }),
    ),
    {
      minLength: 1,
      maxLength: 3,
    },
  ),
  async (flips) => {
    const bytes = VALID.slice();
    for (const [at, value] of flips) bytes[at] = value;
    const path = join(dir, `flip-${file++ % 4}.parquet`);
    writeFileSync(path, bytes);
    checkBounded(await readParquet(path, { timeoutMs: 1500 }), bytes.length);
  },
  { runs: 60 },
);

const CELL: Record<"float" | "int" | "bool" | "string", fc.Arbitrary<unknown>> = {
  float: fc.oneof(fc.double({ noNaN: true }), fc.constant(null)),
  int: fc.oneof(fc.maxSafeInteger(), fc.constant(null)),
  bool: fc.oneof(fc.boolean(), fc.constant(null)),
  string: fc.oneof(fc.string({ unit: "grapheme", maxLength: 8 }), fc.constant(null)),
};
const COLUMN = fc.constantFrom("float", "int", "bool", "string") as fc.Arbitrary<keyof typeof CELL>;

fuzzAsync(
  "formatParquet then parseParquet is exact",
  fc
    .tuple(
      fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), COLUMN), {
        minLength: 1,
        maxLength: 4,
        selector: ([name]) => name,
      }),
      fc.nat({ max: 30 }),
    )
    .chain(([columns, rows]) =>
      fc.tuple(
        fc.constant(columns),
        fc.tuple(...columns.map(([, kind]) => fc.array(CELL[kind], { minLength: rows, maxLength: rows }))),
      ),
    ),
  async ([columns, values]) => {
    const table = Table.fromEntries(
      columns.map(([name, kind], c) => [name, Column.fromValues(values[c]!, kind, name)]),
    );
    const back = await parseParquet(formatParquet(table, { rowGroupSize: 7 }));
    assert.deepEqual(back.columnNames, table.columnNames);
    assert.deepEqual(back.toRecords(), table.toRecords());
  },
  { typedErrorsPass: false },
);
