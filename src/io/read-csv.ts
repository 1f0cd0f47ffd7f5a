// io/read-csv: CSV files. The parsing lives in data/formats/csv.ts and works on bytes and streams
// (data/ may not touch node:*); this file opens files, names them in every error, streams large
// ones in 1 MiB reads, and writes atomically (temp file + fsync + rename).
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import {
  type CsvBatchStream,
  type CsvReadOptions,
  type CsvStreamOptions,
  type CsvWriteOptions,
  csvChunks,
  parseCsv,
  parseCsvStream,
} from "../data/formats/csv.js";
import type { Table } from "../data/table/table.js";
import { writeChunksAtomic } from "./write-chunks.js";

/**
 * Reads a whole CSV file into a Table (kinds inferred from every row).
 * @example
 * const penguins = await readCsv("datasets/penguins.csv");
 */
export async function readCsv(path: string, options: CsvReadOptions = {}): Promise<Table> {
  const bytes = await readFile(path);
  return parseCsv(bytes, { source: path, ...options });
}

/**
 * Streams a CSV file as Tables of `batchSize` rows, in constant memory.
 * @example
 * for await (const batch of readCsvStream("big.csv", { batchSize: 10_000 })) train(batch);
 */
export function readCsvStream(path: string, options: CsvStreamOptions = {}): CsvBatchStream {
  return parseCsvStream(fileChunks(path), { source: path, ...options });
}

/**
 * The file's bytes in 1 MiB chunks, opened on the first read: a stream refused for its options,
 * or never iterated, leaves no file open.
 */
export async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  yield* createReadStream(path, { highWaterMark: 1 << 20 });
}

/** Writes a table as CSV, atomically. */
export async function writeCsv(path: string, table: Table, options: CsvWriteOptions = {}): Promise<void> {
  await writeChunksAtomic(path, csvChunks(table, options));
}
