import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { parquetMetadata } from "hyparquet/src/index.js";
import { parseParquet } from "../data/formats/parquet.js";
import { Table } from "../data/table/table.js";
import { readCsv } from "./read-csv.js";
import { readParquet, writeParquet } from "./read-parquet.js";

const dir = mkdtempSync(join(tmpdir(), "tessera-parquet-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A valid Zstandard frame (RFC 8878) holding `input` in raw (stored) blocks: magic number, a
 * frame header with the single-segment flag and a 4-byte content size, then blocks of at most
 * 128 KiB, each with a 3-byte header (last-block bit, block type 0 = raw, size). Node 20 has no
 * zstd encoder; this exercises the ZSTD page path of the reader (hyparquet-compressors/fzstd)
 * without compressing anything.
 */
function zstdStored(input: Uint8Array): Uint8Array {
  const maxBlock = 128 * 1024;
  const blocks = Math.max(1, Math.ceil(input.length / maxBlock));
  const out = new Uint8Array(4 + 1 + 4 + blocks * 3 + input.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xfd2fb528, true);
  out[4] = (2 << 6) | (1 << 5); // content size in 4 bytes, single segment
  view.setUint32(5, input.length, true);
  let at = 9;
  for (let b = 0; b < blocks; b++) {
    const chunk = input.subarray(b * maxBlock, (b + 1) * maxBlock);
    const header = (b === blocks - 1 ? 1 : 0) | (0 << 1) | (chunk.length << 3);
    out[at] = header & 0xff;
    out[at + 1] = (header >> 8) & 0xff;
    out[at + 2] = (header >> 16) & 0xff;
    out.set(chunk, at + 3);
    at += 3 + chunk.length;
  }
  return out;
}

const sample = () =>
  Table.fromRecords([
    { f: 1.5, i: 7, b: true, s: "a", d: new Date(Date.UTC(2020, 0, 2)) },
    { f: null, i: -3, b: false, s: null, d: null },
    { f: -0.25, i: null, b: null, s: "ccc", d: new Date(Date.UTC(1999, 11, 31, 23, 59, 59)) },
  ]);

describe("Parquet", () => {
  for (const codec of ["SNAPPY", "UNCOMPRESSED", "GZIP", "ZSTD"] as const) {
    it(`round-trips every kind with ${codec} pages`, async () => {
      const path = join(dir, `sample-${codec}.parquet`);
      const t = sample();
      await writeParquet(path, t, {
        codec,
        compressors: { GZIP: (x) => new Uint8Array(gzipSync(x)), ZSTD: zstdStored },
      });
      const bytes = readFileSync(path);
      const metadata = parquetMetadata(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      );
      const codecs = metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec));
      assert.deepEqual(new Set(codecs), new Set([codec]));
      const back = await readParquet(path);
      assert.deepEqual(back.schema, t.schema);
      assert.deepEqual(back.toRecords(), t.toRecords());
    });
  }

  it("reads selected columns and a real dataset", async () => {
    const iris = await readCsv(new URL("../../datasets/iris.csv", import.meta.url).pathname);
    const path = join(dir, "iris.parquet");
    await writeParquet(path, iris);
    const back = await readParquet(path, { columns: ["species", "petal_width"] });
    assert.deepEqual(back.columnNames, ["species", "petal_width"]);
    assert.deepEqual(back.toRecords(), iris.select(["species", "petal_width"]).toRecords());
  });

  it("refuses bytes that are not Parquet", async () => {
    await assert.rejects(
      parseParquet(new TextEncoder().encode("a,b\n1,2\n"), { source: "x.csv" }),
      /x\.csv is not a valid Parquet file/,
    );
  });
});
