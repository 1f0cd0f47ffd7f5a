// data/formats/parquet: Parquet reading (hyparquet, with hyparquet-compressors for ZSTD, GZIP, BROTLI,
// LZ4 and SNAPPY pages) and writing (hyparquet-writer) on bytes; the file wrappers live in
// src/io/read-parquet.ts. Both libraries are imported through their portable entry points
// (src/index.js), not the Node ones that pull in node:fs. Layer: data.
//
// Kinds: BOOLEAN -> bool; INT32/INT64 -> int (an INT64 beyond 2^53 is an error rather than a
// silent rounding); FLOAT/DOUBLE/DECIMAL -> float; strings -> string; DATE/TIMESTAMP -> date.
// Nested columns (lists, maps, structs) are refused with the column's name. Footers and page
// headers are checked before decoding (parquet-checks.ts); rows the footer declares are decoded
// exactly once or the read fails, never padded with nulls or cut short.

import { type AsyncBuffer, parquetMetadataAsync, parquetRead } from "hyparquet/src/index.js";
import { compressors } from "hyparquet-compressors";
import { parquetWriteBuffer } from "hyparquet-writer/src/index.js";
import { ConfigError, FormatError } from "../../core/errors.js";
import { Column, type ColumnKind } from "../table/column.js";
import { Table } from "../table/table.js";
import { checkParquetFooter, guardPages, type ParquetLimits } from "./parquet-checks.js";
import { checkOptionKeys } from "./read-report.js";

export interface ParquetReadOptions {
  /** Only these columns (default all). */
  columns?: readonly string[];
  /** Name of the input in error messages. */
  source?: string;
  /** Limits on the cells and page bytes one read may decode (defaults grow with the file size). */
  limits?: ParquetLimits;
}

/** Decoded columns before they become a Table (what a decoding worker sends back). */
export interface ParquetColumns {
  readonly names: readonly string[];
  readonly kinds: readonly ColumnKind[];
  readonly values: readonly unknown[][];
  readonly numRows: number;
}

function toAsyncBuffer(input: ArrayBuffer | Uint8Array | AsyncBuffer): AsyncBuffer {
  if (input instanceof Uint8Array) {
    return input.byteOffset === 0 &&
      input.byteLength === input.buffer.byteLength &&
      input.buffer instanceof ArrayBuffer
      ? input.buffer
      : // NOTE: a copy through the Uint8Array constructor; a Node Buffer's slice() is a view of its pool.
        (new Uint8Array(input).buffer as ArrayBuffer);
  }
  return input;
}

/** The option keys parseParquet knows (readParquet adds its own). */
export const PARQUET_READ_OPTIONS = ["columns", "source", "limits"] as const;

/** Refuses unknown option keys and ill-typed values (a misspelt limit would be ignored otherwise). */
function checkReadOptions(op: string, options: ParquetReadOptions): void {
  checkOptionKeys(op, options, PARQUET_READ_OPTIONS);
  const { columns, limits } = options;
  if (columns !== undefined && (!Array.isArray(columns) || columns.some((c) => typeof c !== "string")))
    throw new ConfigError(`${op}: columns must be a list of column names`);
  checkOptionKeys(`${op}: limits`, limits, ["maxCells", "maxUncompressedBytes"]);
  for (const [name, value] of Object.entries(limits ?? {})) {
    if (value !== undefined && !(typeof value === "number" && value >= 0))
      throw new ConfigError(`${op}: limits.${name} must be a number >= 0 (got ${String(value)})`);
  }
}

/** Converts one decoded value to what Column.fromValues takes; undefined means a row not decoded. */
function normalise(value: unknown, name: string, row: number, source: string): unknown {
  if (typeof value === "bigint") {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) {
      throw new FormatError(
        `parseParquet: ${source}: column "${name}" row ${row} holds ${value}, beyond 2^53`,
      );
    }
    return n;
  }
  if (value === undefined) {
    throw new FormatError(
      `parseParquet: ${source}: column "${name}" row ${row} was not decoded (corrupt page)`,
    );
  }
  return value;
}

/**
 * Decodes the selected columns of a Parquet file after checking its footer and, as they are read,
 * its page headers (parquet-checks.ts). Every row the footer declares is decoded exactly once, or
 * a FormatError says which column and row did not fit.
 */
export async function decodeParquet(
  input: ArrayBuffer | Uint8Array | AsyncBuffer,
  options: ParquetReadOptions = {},
): Promise<ParquetColumns> {
  checkReadOptions("parseParquet", options);
  const source = options.source ?? "<input>";
  const file = toAsyncBuffer(input);
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new FormatError(
      `parseParquet: ${source} is not a valid Parquet file (${(error as Error).message})`,
    );
  }
  const footer = checkParquetFooter(metadata, file.byteLength, options.columns, source, options.limits);
  const { names, kinds, numRows } = footer;
  // Allocated at a column's first chunk, after its page headers passed the checks.
  const values: unknown[][] = names.map(() => []);
  const filled = names.map(() => 0);
  const column = new Map(names.map((name, i) => [name, i]));
  // NOTE: hyparquet calls onChunk from a promise callback whose rejection nobody handles, so an
  // error thrown here would kill the process (an unhandled rejection); it is kept and thrown after.
  let failure: unknown = null;
  const guarded = guardPages(file, footer, source);
  try {
    await parquetRead({
      file: guarded,
      metadata,
      compressors,
      columns: [...names],
      onChunk: ({ columnName, columnData, rowStart }) => {
        if (failure !== null) return;
        try {
          const c = column.get(columnName);
          if (c === undefined) return;
          if (rowStart < 0 || rowStart + columnData.length > numRows) {
            throw new FormatError(
              `parseParquet: ${source}: column "${columnName}" decoded rows ${rowStart}..${rowStart + columnData.length}, beyond the ${numRows} rows the footer declares`,
            );
          }
          if (filled[c] === 0) values[c] = new Array<unknown>(numRows);
          const target = values[c]!;
          for (let i = 0; i < columnData.length; i++) {
            target[rowStart + i] = normalise(columnData[i], columnName, rowStart + i, source);
          }
          filled[c]! += columnData.length;
        } catch (error) {
          failure = error;
        }
      },
    });
  } catch (error) {
    failure ??= error;
  }
  // The page checks' own message first: hyparquet may report the same failure less precisely.
  if (guarded.failure() !== null) failure = guarded.failure();
  if (failure === null && guarded.unchecked() > 0) {
    failure = new FormatError(
      `parseParquet: ${source}: ${guarded.unchecked()} column chunks were read without their page headers checked`,
    );
  }
  if (failure !== null) {
    if (failure instanceof FormatError) throw failure;
    throw new FormatError(`parseParquet: ${source}: cannot decode (${(failure as Error).message})`);
  }
  const finalKinds = names.map((name, c) => {
    const got = filled[c]!;
    const column = values[c]!;
    if (got !== numRows || column.length !== numRows || column.includes(undefined)) {
      throw new FormatError(
        `parseParquet: ${source}: column "${name}" decoded ${got} values for the ${numRows} rows the footer declares`,
      );
    }
    const kind = kinds[c]!;
    if (kind === "string") {
      for (let i = 0; i < column.length; i++) {
        const v = column[i];
        if (v !== null && typeof v !== "string") {
          column[i] = v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v);
        }
      }
    }
    // An int column holding fractions (a DECIMAL stored as INT32/INT64) becomes float.
    return kind === "int" && column.some((v) => typeof v === "number" && !Number.isInteger(v))
      ? "float"
      : kind;
  });
  return { names, kinds: finalKinds, values, numRows };
}

/** Builds the Table from decoded columns. */
export function parquetColumnsToTable(columns: ParquetColumns): Table {
  const entries: [string, Column][] = columns.names.map((name, c) => [
    name,
    Column.fromValues(columns.values[c]!, columns.kinds[c]!, name),
  ]);
  return Table.fromEntries(entries, columns.numRows);
}

/**
 * Reads a Parquet file's bytes (or an AsyncBuffer over a file) into a Table, in this thread (a
 * decoder that loops on corrupt page data would hang it: readParquet decodes files in a worker
 * with a watchdog).
 * @example
 * const table = await parseParquet(bytes, { columns: ["a", "b"] });
 */
export async function parseParquet(
  input: ArrayBuffer | Uint8Array | AsyncBuffer,
  options: ParquetReadOptions = {},
): Promise<Table> {
  return parquetColumnsToTable(await decodeParquet(input, options));
}

export interface ParquetWriteOptions {
  /** Page compression (default "SNAPPY"; others need `compressors`). */
  codec?: "UNCOMPRESSED" | "SNAPPY" | "GZIP" | "BROTLI" | "ZSTD" | "LZ4" | "LZ4_RAW";
  /** Compression functions by codec name, for codecs other than SNAPPY. */
  compressors?: Partial<Record<string, (input: Uint8Array) => Uint8Array>>;
  /** Rows per row group (default 100,000). */
  rowGroupSize?: number;
}

/**
 * Writes a table as Parquet bytes: float -> DOUBLE, int -> INT64, bool -> BOOLEAN,
 * string -> UTF8 BYTE_ARRAY, date -> TIMESTAMP_MILLIS; missing cells are nulls.
 */
export function formatParquet(table: Table, options: ParquetWriteOptions = {}): Uint8Array {
  const typeOf = {
    float: "DOUBLE",
    int: "INT64",
    bool: "BOOLEAN",
    string: "STRING",
    date: "TIMESTAMP",
  } as const;
  const columnData = table.columnNames.map((name) => {
    const column = table.column(name);
    const data = column
      .toArray()
      .map((v) => (typeof v === "number" && column.kind === "int" ? BigInt(v) : v));
    return { name, data, type: typeOf[column.kind] };
  });
  const buffer = parquetWriteBuffer({
    columnData,
    codec: options.codec ?? "SNAPPY",
    ...(options.compressors ? { compressors: options.compressors } : {}),
    rowGroupSize: options.rowGroupSize ?? 100_000,
  });
  return new Uint8Array(buffer);
}
