// data/io/parquet: Parquet reading (hyparquet, with hyparquet-compressors for ZSTD, GZIP, BROTLI,
// LZ4 and SNAPPY pages) and writing (hyparquet-writer) on bytes; the file wrappers live in
// src/io/read-parquet.ts. Both libraries are imported through their portable entry points
// (src/index.js), not the Node ones that pull in node:fs. Layer: data.
//
// Kinds: BOOLEAN -> bool; INT32/INT64 -> int (an INT64 beyond 2^53 is an error rather than a
// silent rounding); FLOAT/DOUBLE/DECIMAL -> float; strings -> string; DATE/TIMESTAMP -> date.
// Nested columns (lists, maps, structs) are refused with the column's name.

import { type AsyncBuffer, parquetMetadataAsync, parquetRead, parquetSchema } from "hyparquet/src/index.js";
import { compressors } from "hyparquet-compressors";
import { parquetWriteBuffer } from "hyparquet-writer/src/index.js";
import { FormatError } from "../../core/errors.js";
import { Column, type ColumnKind } from "../table/column.js";
import { Table } from "../table/table.js";

export interface ParquetReadOptions {
  /** Only these columns (default all). */
  columns?: readonly string[];
  /** Name of the input in error messages. */
  source?: string;
}

function toAsyncBuffer(input: ArrayBuffer | Uint8Array | AsyncBuffer): AsyncBuffer {
  if (input instanceof Uint8Array) {
    return input.byteOffset === 0 &&
      input.byteLength === input.buffer.byteLength &&
      input.buffer instanceof ArrayBuffer
      ? input.buffer
      : (input.slice().buffer as ArrayBuffer);
  }
  return input;
}

/** Converts one decoded value to what Column.fromValues takes for `kind`. */
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
  return value;
}

/**
 * Reads a Parquet file's bytes (or an AsyncBuffer over a file) into a Table.
 * @example
 * const table = await parseParquet(bytes, { columns: ["a", "b"] });
 */
export async function parseParquet(
  input: ArrayBuffer | Uint8Array | AsyncBuffer,
  options: ParquetReadOptions = {},
): Promise<Table> {
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
  const schema = parquetSchema(metadata);
  const numRows = Number(metadata.num_rows);
  const byName = new Map(schema.children.map((child) => [child.element.name, child]));
  const fields = (options.columns ?? [...byName.keys()]).map((name) => {
    const field = byName.get(name);
    if (field === undefined)
      throw new FormatError(`parseParquet: ${source} has no column ${JSON.stringify(name)}`);
    return field;
  });
  const kinds = new Map<string, ColumnKind>();
  for (const field of fields) {
    const { name, type, converted_type: converted, logical_type: logical } = field.element;
    if (field.children.length > 0 || type === undefined) {
      throw new FormatError(
        `parseParquet: ${source}: column "${name}" is nested; only flat columns are supported`,
      );
    }
    let kind: ColumnKind;
    if (
      converted === "DATE" ||
      converted?.startsWith("TIMESTAMP") ||
      logical?.type === "TIMESTAMP" ||
      logical?.type === "DATE"
    ) {
      kind = "date";
    } else if (type === "BOOLEAN") kind = "bool";
    else if (converted === "DECIMAL" || logical?.type === "DECIMAL") kind = "float";
    else if (type === "INT32" || type === "INT64") kind = "int";
    else if (type === "FLOAT" || type === "DOUBLE") kind = "float";
    else if (type === "BYTE_ARRAY" || type === "FIXED_LEN_BYTE_ARRAY") kind = "string";
    else throw new FormatError(`parseParquet: ${source}: column "${name}" has unsupported type ${type}`);
    kinds.set(name, kind);
  }
  const values = new Map<string, unknown[]>(fields.map((f) => [f.element.name, new Array<unknown>(numRows)]));
  try {
    await parquetRead({
      file,
      metadata,
      compressors,
      columns: fields.map((f) => f.element.name),
      onChunk: ({ columnName, columnData, rowStart }) => {
        const target = values.get(columnName);
        if (target === undefined) return;
        for (let i = 0; i < columnData.length; i++) {
          const row = rowStart + i;
          if (row < numRows) target[row] = normalise(columnData[i], columnName, row, source);
        }
      },
    });
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw new FormatError(`parseParquet: ${source}: cannot decode (${(error as Error).message})`);
  }
  const entries: [string, Column][] = fields.map((field) => {
    const name = field.element.name;
    let kind = kinds.get(name)!;
    const column = values.get(name)!;
    if (kind === "string") {
      for (let i = 0; i < column.length; i++) {
        const v = column[i];
        if (v !== null && v !== undefined && typeof v !== "string") {
          column[i] = v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v);
        }
      }
    }
    if (kind === "int" && column.some((v) => typeof v === "number" && !Number.isInteger(v))) kind = "float";
    return [name, Column.fromValues(column, kind, name)];
  });
  return Table.fromEntries(entries, numRows);
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
