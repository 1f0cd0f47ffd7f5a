// readParquet decodes in a worker under a watchdog (issue 12): one corrupt byte in a page header
// sends hyparquet's RLE decoder into a loop of billions of steps that grows its output array; in
// the caller's thread that hung the program. Now the read fails with a FormatError after
// timeoutMs, the caller's event loop keeps running meanwhile, and the next read works. A decode
// that outgrows the worker's heap limit (maxMemoryMb) ends the same way.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { footerOf, parquetBytes, withByte } from "../../test/robust/parquet-craft.js";
import { FormatError } from "../core/errors.js";
import { formatParquet } from "../data/formats/parquet.js";
import { Table } from "../data/table/table.js";
import { readParquet } from "./read-parquet.js";

const dir = mkdtempSync(join(tmpdir(), "tessera-parquet-watchdog-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const n = 200;
const columns = () =>
  parquetBytes([
    { name: "f", data: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : i * 0.5)), type: "DOUBLE" },
    { name: "i", data: Array.from({ length: n }, (_, i) => BigInt(i % 9)), type: "INT64" },
  ]);

/**
 * The file with the encoding field of column "i"'s data page header (a DATA_PAGE_V2, RLE_DICTIONARY
 * = 8, zigzag 16) turned into an unterminated varint: the header misparses, the definition levels
 * lose their byte length and the RLE decoder reads a run count in the billions.
 */
function looping(): Uint8Array {
  const bytes = columns();
  const chunk = footerOf(bytes).row_groups[0]!.columns[1]!.meta_data!;
  const at = Number(chunk.data_page_offset) + 18;
  assert.equal(bytes[at - 1], 0x15, "field header of the encoding (i32, delta 1)");
  assert.equal(bytes[at], 16, "RLE_DICTIONARY, zigzag-encoded");
  return withByte(bytes, at, 0xff);
}

function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe("readParquet's watchdog", () => {
  test("a decoder loop ends in a FormatError after timeoutMs; the caller keeps running", async () => {
    const path = file("loop.parquet", looping());
    let ticks = 0;
    const timer = setInterval(() => ticks++, 50);
    const started = performance.now();
    try {
      await assert.rejects(readParquet(path, { timeoutMs: 1500 }), (error: unknown) => {
        assert.ok(error instanceof FormatError, String(error));
        assert.match(error.message, /loop\.parquet: decoding took longer than 1500 ms and was stopped/);
        return true;
      });
    } finally {
      clearInterval(timer);
    }
    assert.ok(performance.now() - started >= 1500);
    assert.ok(ticks >= 10, `the caller's timers ran ${ticks} times during the read`);
    const sound = await readParquet(file("sound.parquet", columns()));
    assert.equal(sound.numRows, n);
    assert.equal(sound.column("i").toArray()[10], 1);
  });

  test("a decode past the worker's heap limit is a FormatError; the caller survives", async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ a: i * 0.5, s: `s${i}` }));
    const path = file("heavy.parquet", formatParquet(Table.fromRecords(rows)));
    await assert.rejects(readParquet(path, { maxMemoryMb: 16 }), (error: unknown) => {
      assert.ok(error instanceof FormatError, String(error));
      assert.match(error.message, /heavy\.parquet: decoding needed more than 16 MiB and was stopped/);
      return true;
    });
    assert.equal((await readParquet(path)).numRows, 100_000);
  });

  test("typed errors from the worker keep their class", async () => {
    const path = file("big.parquet", parquetBytes([{ name: "big", data: [2n ** 60n], type: "INT64" }]));
    await assert.rejects(readParquet(path), (error: unknown) => {
      assert.ok(error instanceof FormatError);
      assert.match(error.message, /big\.parquet: column "big" row 0 holds 1152921504606846976, beyond 2\^53/);
      return true;
    });
    await assert.rejects(readParquet(path, { timeoutMs: 0 }), /timeoutMs must be a positive number/);
    await assert.rejects(
      readParquet(path, { timeout: 10 } as never),
      /readParquet: unknown option "timeout"/,
    );
  });
});
