// cli/data-files: reading a data file (or stdin) into a Table by its extension or content, and
// writing prediction tables, for the commands.
import { extname } from "node:path";
import { ValueError } from "../core/errors.js";
import { parseCsv } from "../data/formats/csv.js";
import { parseJson, parseNdjson } from "../data/formats/json.js";
import { Table } from "../data/table/table.js";
import { readCsv, writeCsv } from "../io/read-csv.js";
import { readJson, readNdjson, writeJson, writeNdjson } from "../io/read-json.js";
import { readParquet } from "../io/read-parquet.js";
import type { Io } from "./args.js";

/** Whether data from `path` (or stdin text) is CSV, for choosing the output format. */
export function looksLikeCsv(path: string, stdinText?: string): boolean {
  if (path === "-") return stdinText !== undefined && !/^\s*[[{]/.test(stdinText);
  return /\.(csv|tsv|txt)$/i.test(path);
}

/** Reads .csv, .json (an array of records), .ndjson/.jsonl or .parquet; "-" reads stdin (JSON or CSV). */
export async function readTable(path: string, io: Io, stdinText?: string): Promise<Table> {
  if (path === "-") return parseText(stdinText ?? (await io.stdin()), "<stdin>");
  switch (extname(path).toLowerCase()) {
    case ".csv":
    case ".tsv":
    case ".txt":
      return readCsv(path);
    case ".json":
      return readJson(path);
    case ".ndjson":
    case ".jsonl":
      return readNdjson(path);
    case ".parquet":
      return readParquet(path);
    default:
      throw new ValueError(
        `${path}: unknown data format "${extname(path)}" (expected .csv, .json, .ndjson, .jsonl or .parquet)`,
      );
  }
}

/** Stdin: JSON (an array of records, {"instances": [...]} or NDJSON) when it starts with [ or {, else CSV. */
function parseText(text: string, source: string): Table {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) return parseJson(text, { source });
  if (trimmed.startsWith("{")) {
    const firstLine = trimmed.split("\n", 1)[0]!.trim();
    const value: unknown = (() => {
      try {
        return JSON.parse(trimmed);
      } catch {
        return undefined;
      }
    })();
    if (
      typeof value === "object" &&
      value !== null &&
      Array.isArray((value as { instances?: unknown }).instances)
    ) {
      return Table.fromRecords((value as { instances: Record<string, unknown>[] }).instances);
    }
    if (firstLine.endsWith("}")) return parseNdjson(text, { source });
    return parseJson(text, { source });
  }
  return parseCsv(text, { source });
}

/** Writes a table by the output's extension (.csv, .json, .ndjson/.jsonl). */
export async function writeTable(path: string, table: Table): Promise<void> {
  switch (extname(path).toLowerCase()) {
    case ".csv":
      return writeCsv(path, table);
    case ".json":
      return writeJson(path, table);
    case ".ndjson":
    case ".jsonl":
      return writeNdjson(path, table);
    default:
      throw new ValueError(
        `${path}: unknown output format "${extname(path)}" (expected .csv, .json, .ndjson or .jsonl)`,
      );
  }
}
