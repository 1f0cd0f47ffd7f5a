// Parquet footers and pages are checked before hyparquet decodes them (issue 12). Each case is a
// file crafted in memory (test/robust/parquet-craft.ts) that used to lose rows, invent rows,
// merge columns, allocate gigabytes or kill the process.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { footerOf, parquetBytes, withFooter } from "../../../test/robust/parquet-craft.js";
import { ConfigError, FormatError } from "../../core/errors.js";
import { parseParquet } from "./parquet.js";
import { checkParquetFooter, guardPages } from "./parquet-checks.js";

const base = () =>
  parquetBytes([
    { name: "a", data: [1, 2, 3, 4], type: "DOUBLE" },
    { name: "b", data: ["x", "y", null, "z"], type: "STRING" },
  ]);

async function refused(bytes: Uint8Array, pattern: RegExp): Promise<void> {
  await assert.rejects(parseParquet(bytes, { source: "t.parquet" }), (error: unknown) => {
    assert.ok(error instanceof FormatError, `expected FormatError, got ${String(error)}`);
    assert.match(error.message, /^parseParquet: t\.parquet: /);
    assert.match(error.message, pattern);
    return true;
  });
}

describe("Parquet footer checks", () => {
  test("the untouched file reads", async () => {
    const t = await parseParquet(base());
    assert.deepEqual(t.toRecords(), [
      { a: 1, b: "x" },
      { a: 2, b: "y" },
      { a: 3, b: null },
      { a: 4, b: "z" },
    ]);
  });

  test("num_rows below the row groups' total no longer drops rows", async () => {
    await refused(
      withFooter(base(), (m) => {
        m.num_rows = 2n;
      }),
      /the footer says 2 rows but its row groups hold 4/,
    );
  });

  test("num_rows above the row groups' total no longer invents all-null rows", async () => {
    await refused(
      withFooter(base(), (m) => {
        m.num_rows = 6n;
      }),
      /the footer says 6 rows but its row groups hold 4/,
    );
  });

  test("a footer consistent with itself but not with the pages is refused at the page headers", async () => {
    await refused(
      withFooter(base(), (m) => {
        m.num_rows = 6n;
        m.row_groups[0]!.num_rows = 6n;
        for (const c of m.row_groups[0]!.columns) c.meta_data!.num_values = 6n;
      }),
      /column "a" in row group 0: the pages hold 4 values but the footer says 6 rows/,
    );
  });

  test("a small file declaring 2^40 rows is refused before any allocation", async () => {
    const bytes = withFooter(base(), (m) => {
      m.num_rows = 2n ** 40n;
      m.row_groups[0]!.num_rows = 2n ** 40n;
      for (const c of m.row_groups[0]!.columns) c.meta_data!.num_values = 2n ** 40n;
    });
    const before = process.memoryUsage().heapUsed;
    await refused(
      bytes,
      /1099511627776 rows x 2 columns is more than the \d+ cells a \d+-byte file may hold/,
    );
    assert.ok(process.memoryUsage().heapUsed - before < 64 * 2 ** 20, "allocated more than 64 MiB");
    // The budget can be raised on purpose, and then the page check still refuses the lie.
    await assert.rejects(
      parseParquet(bytes, { limits: { maxCells: 2 ** 42 } }),
      /the pages hold 4 values but the footer says 1099511627776 rows/,
    );
  });

  test("duplicate column names are refused, naming the column", async () => {
    await refused(
      withFooter(base(), (m) => {
        m.schema[2]!.name = "a";
        const meta = m.row_groups[0]!.columns[1]!.meta_data!;
        meta.path_in_schema = ["a"];
        meta.statistics = undefined;
      }),
      /two columns are named "a"; column names must be distinct/,
    );
  });

  test("a column chunk pointing outside the file", async () => {
    await refused(
      withFooter(base(), (m) => {
        m.row_groups[0]!.columns[0]!.meta_data!.data_page_offset = 10n ** 9n;
      }),
      /column "a" in row group 0 spans bytes 1000000000\.\.\d+, outside the pages/,
    );
  });

  test("an INT64 above 2^53 is a FormatError, not a process crash from inside hyparquet's callback", async () => {
    const rejections: unknown[] = [];
    const record = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", record);
    try {
      await refused(
        parquetBytes([{ name: "big", data: [1n, 2n ** 60n, 3n], type: "INT64" }]),
        /column "big" row 1 holds 1152921504606846976, beyond 2\^53/,
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(rejections, []);
    } finally {
      process.off("unhandledRejection", record);
    }
  });

  test("an empty row group whose chunks have zeroed offsets (hyparquet's issue97.parquet) reads", async () => {
    const empty = withFooter(base(), (m) => {
      m.num_rows = 0n;
      m.row_groups[0]!.num_rows = 0n;
      for (const c of m.row_groups[0]!.columns) {
        c.meta_data!.num_values = 0n;
        c.meta_data!.data_page_offset = 0n;
        c.meta_data!.total_compressed_size = 0n;
        c.meta_data!.statistics = undefined;
      }
    });
    const t = await parseParquet(empty);
    assert.deepEqual([t.numRows, t.columnNames], [0, ["a", "b"]]);
  });

  test("unknown or ill-typed options are refused, not ignored", async () => {
    await assert.rejects(parseParquet(base(), { colums: ["a"] } as never), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(
        error.message,
        /^parseParquet: unknown option "colums" \(expected one of columns, source, limits\)/,
      );
      return true;
    });
    await assert.rejects(
      parseParquet(base(), { limits: { maxCell: 5 } } as never),
      /limits: unknown option "maxCell"/,
    );
    await assert.rejects(
      parseParquet(base(), { limits: { maxCells: -1 } }),
      /limits\.maxCells must be a number >= 0/,
    );
    await assert.rejects(
      parseParquet(base(), { columns: "a" } as never),
      /columns must be a list of column names/,
    );
  });

  test("a failed page check that hyparquet never awaits is no unhandled rejection", async () => {
    // Found by the footer-edit fuzz target at 200k cases (seed 505): hyparquet starts every fetch
    // of a read at once and stops awaiting them at the first failure, so a later fetch that failed
    // its page checks was an unhandled rejection, which ends a Node process.
    const lying = withFooter(base(), (m) => {
      m.num_rows = 6n;
      m.row_groups[0]!.num_rows = 6n;
      for (const c of m.row_groups[0]!.columns) c.meta_data!.num_values = 6n;
    });
    const file = lying.buffer.slice(lying.byteOffset, lying.byteOffset + lying.byteLength) as ArrayBuffer;
    const footer = checkParquetFooter(footerOf(lying), file.byteLength, undefined, "t.parquet");
    const guarded = guardPages(file, footer, "t.parquet");
    const rejections: unknown[] = [];
    const record = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", record);
    try {
      void guarded.slice(4, footer.chunks[0]!.end); // started, never awaited
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(rejections, []);
      assert.match(String(guarded.failure()?.message), /column "a" in row group 0: the pages hold 4 values/);
    } finally {
      process.off("unhandledRejection", record);
    }
  });

  test("page bytes beyond the unpacking budget are refused before decompressing", async () => {
    await assert.rejects(
      parseParquet(base(), { source: "t.parquet", limits: { maxUncompressedBytes: 40 } }),
      /column "\w" in row group 0: page \d+: the pages unpack to more bytes than the file may/,
    );
  });
});
