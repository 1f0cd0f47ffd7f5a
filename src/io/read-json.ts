// io/read-json: JSON (array of records) and NDJSON files; parsing lives in data/formats/json.ts (see
// read-csv.ts for the split). Writes are atomic.
import { readFile } from "node:fs/promises";
import {
  formatJson,
  type JsonReadOptions,
  type NdjsonBatchStream,
  type NdjsonStreamOptions,
  ndjsonChunks,
  parseJson,
  parseNdjson,
  parseNdjsonStream,
} from "../data/formats/json.js";
import type { Table } from "../data/table/table.js";
import { writeFileAtomic } from "./atomic-write.js";
import { fileChunks } from "./read-csv.js";
import { writeChunksAtomic } from "./write-chunks.js";

/** Reads a JSON file holding an array of records. */
export async function readJson(path: string, options: JsonReadOptions = {}): Promise<Table> {
  return parseJson(await readFile(path), { source: path, ...options });
}

/** Writes a table as a JSON array of records, atomically. */
export async function writeJson(
  path: string,
  table: Table,
  options: { indent?: number } = {},
): Promise<void> {
  await writeFileAtomic(path, formatJson(table, options));
}

/** Reads a whole NDJSON file (one object per line). */
export async function readNdjson(path: string, options: JsonReadOptions = {}): Promise<Table> {
  return parseNdjson(await readFile(path), { source: path, ...options });
}

/** Streams an NDJSON file as Tables of `batchSize` rows. */
export function readNdjsonStream(path: string, options: NdjsonStreamOptions = {}): NdjsonBatchStream {
  return parseNdjsonStream(fileChunks(path), { source: path, ...options });
}

/** Writes a table as NDJSON, atomically. */
export async function writeNdjson(path: string, table: Table): Promise<void> {
  await writeChunksAtomic(path, ndjsonChunks(table));
}
