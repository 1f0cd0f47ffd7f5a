// io/read-parquet: Parquet files. Reading goes through an AsyncBuffer over positional reads, so
// only the footer and the pages of the requested columns are read from disk. Decoding lives in
// data/io/parquet.ts. Writes are atomic.
import { open } from "node:fs/promises";
import {
  formatParquet,
  type ParquetReadOptions,
  type ParquetWriteOptions,
  parseParquet,
} from "../data/io/parquet.js";
import type { Table } from "../data/table/table.js";
import { writeFileAtomic } from "./atomic-write.js";

/**
 * Reads a Parquet file (all codecs hyparquet-compressors knows, ZSTD included) into a Table.
 * @example
 * const t = await readParquet("data.parquet", { columns: ["x", "y"] });
 */
export async function readParquet(path: string, options: ParquetReadOptions = {}): Promise<Table> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const file = {
      byteLength: size,
      async slice(start: number, end: number = size): Promise<ArrayBuffer> {
        const buffer = new Uint8Array(Math.max(0, end - start));
        let read = 0;
        while (read < buffer.length) {
          const { bytesRead } = await handle.read(buffer, read, buffer.length - read, start + read);
          if (bytesRead === 0) break;
          read += bytesRead;
        }
        return buffer.buffer;
      },
    };
    return await parseParquet(file, { source: path, ...options });
  } finally {
    await handle.close();
  }
}

/** Writes a table as a Parquet file (SNAPPY by default), atomically. */
export async function writeParquet(
  path: string,
  table: Table,
  options: ParquetWriteOptions = {},
): Promise<void> {
  await writeFileAtomic(path, formatParquet(table, options));
}
