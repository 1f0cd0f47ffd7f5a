// data/formats/parquet-checks: what Tessera checks before hyparquet decodes a byte of a Parquet file, so
// that a damaged or hostile file gets a FormatError instead of dropped rows, invented rows or
// gigabytes of allocation. The footer: num_rows equals the sum of the row groups', each column
// chunk holds one value per row of its group and lies inside the file, column names are distinct,
// and the cells to decode fit a budget proportional to the file's size. The pages: as hyparquet
// fetches a column chunk, every page header in it is read first; page sizes must lie inside the
// chunk, uncompressed sizes within the byte budget, and the pages' value counts must add up to the
// chunk's rows. What no header check can rule out (a decoder looping on corrupt page data) is left
// to the worker with a watchdog in io/read-parquet.ts. Layer: data.

import { parquetHeader } from "hyparquet/src/column.js";
import type { AsyncBuffer, FileMetaData, SchemaTree } from "hyparquet/src/index.js";
import { parquetSchema } from "hyparquet/src/index.js";
import { FormatError } from "../../core/errors.js";
import type { ColumnKind } from "../table/column.js";

/** Limits on what one Parquet read may decode; the defaults grow with the file's size. */
export interface ParquetLimits {
  /** Most cells (rows x selected columns) to decode (default 2^20 + 64 per byte of the file). */
  maxCells?: number;
  /** Most page bytes to decompress in all (default 64 MiB + 64 per byte of the file). */
  maxUncompressedBytes?: number;
}

/** One selected column chunk: where its pages lie and how many rows it must hold. */
export interface ChunkSpan {
  readonly column: string;
  readonly group: number;
  readonly start: number;
  readonly end: number;
  readonly rows: number;
}

/** A footer that passed the checks: the rows, the selected flat columns and their chunks. */
export interface CheckedFooter {
  readonly numRows: number;
  readonly names: readonly string[];
  readonly kinds: readonly ColumnKind[];
  readonly chunks: readonly ChunkSpan[];
  readonly maxUncompressedBytes: number;
}

/** A bigint or number from the footer as a safe non-negative integer, or a FormatError. */
function count(value: unknown, what: string, source: string): number {
  const n = typeof value === "bigint" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
    throw new FormatError(`parseParquet: ${source}: ${what} is ${String(value)}, not a count`);
  }
  return n;
}

function kindOf(field: SchemaTree, source: string): ColumnKind {
  const { name, type, converted_type: converted, logical_type: logical } = field.element;
  if (field.children.length > 0 || type === undefined) {
    throw new FormatError(
      `parseParquet: ${source}: column "${name}" is nested; only flat columns are supported`,
    );
  }
  if (field.element.repetition_type === "REPEATED") {
    throw new FormatError(
      `parseParquet: ${source}: column "${name}" is repeated; only flat columns are supported`,
    );
  }
  const dateLike =
    converted === "DATE" ||
    converted?.startsWith("TIMESTAMP") === true ||
    logical?.type === "TIMESTAMP" ||
    logical?.type === "DATE";
  if (dateLike) return "date";
  if (type === "BOOLEAN") return "bool";
  if (converted === "DECIMAL" || logical?.type === "DECIMAL") return "float";
  if (type === "INT32" || type === "INT64") return "int";
  if (type === "FLOAT" || type === "DOUBLE") return "float";
  if (type === "BYTE_ARRAY" || type === "FIXED_LEN_BYTE_ARRAY") return "string";
  throw new FormatError(`parseParquet: ${source}: column "${name}" has unsupported type ${type}`);
}

/**
 * Checks a decoded footer against itself and the file's size, and picks the columns to read.
 * @example
 * const footer = checkParquetFooter(await parquetMetadataAsync(file), file.byteLength, undefined, "x.parquet");
 */
export function checkParquetFooter(
  metadata: FileMetaData,
  byteLength: number,
  columns: readonly string[] | undefined,
  source: string,
  limits: ParquetLimits = {},
): CheckedFooter {
  let schema: SchemaTree;
  try {
    schema = parquetSchema(metadata);
  } catch (error) {
    throw new FormatError(`parseParquet: ${source}: the schema is malformed (${(error as Error).message})`);
  }
  const byName = new Map<string, SchemaTree>();
  for (const child of schema.children) {
    const name = child.element.name;
    if (byName.has(name)) {
      throw new FormatError(
        `parseParquet: ${source}: two columns are named ${JSON.stringify(name)}; column names must be distinct`,
      );
    }
    byName.set(name, child);
  }
  const names = columns === undefined ? [...byName.keys()] : [...columns];
  if (new Set(names).size !== names.length)
    throw new FormatError(`parseParquet: ${source}: options.columns names a column twice`);
  const kinds = names.map((name) => {
    const field = byName.get(name);
    if (field === undefined)
      throw new FormatError(`parseParquet: ${source} has no column ${JSON.stringify(name)}`);
    return kindOf(field, source);
  });

  const numRows = count(metadata.num_rows, "the footer's num_rows", source);
  const groups = metadata.row_groups;
  let total = 0;
  const chunks: ChunkSpan[] = [];
  const pagesEnd = byteLength - 8 - metadata.metadata_length;
  const index = new Map(schema.children.map((c, i) => [c.element.name, i]));
  groups.forEach((group, g) => {
    const rows = count(group.num_rows, `row group ${g}'s num_rows`, source);
    total += rows;
    if (group.columns.length !== schema.children.length) {
      throw new FormatError(
        `parseParquet: ${source}: row group ${g} has ${group.columns.length} column chunks for ${schema.children.length} columns`,
      );
    }
    for (const name of names) {
      const chunk = group.columns[index.get(name)!]!;
      const meta = chunk.meta_data;
      const where = `column "${name}" in row group ${g}`;
      if (meta === undefined || chunk.file_path !== undefined)
        throw new FormatError(`parseParquet: ${source}: ${where} has no metadata in this file`);
      if (meta.path_in_schema.length !== 1 || meta.path_in_schema[0] !== name) {
        throw new FormatError(
          `parseParquet: ${source}: ${where} belongs to ${JSON.stringify(meta.path_in_schema.join("."))}`,
        );
      }
      const values = count(meta.num_values, `${where}: num_values`, source);
      if (values !== rows) {
        throw new FormatError(
          `parseParquet: ${source}: ${where} holds ${values} values but the group has ${rows} rows`,
        );
      }
      // An empty chunk has no pages to check (some writers leave its offsets at 0).
      if (rows === 0) continue;
      const data = count(meta.data_page_offset, `${where}: data_page_offset`, source);
      const dict =
        meta.dictionary_page_offset === undefined
          ? 0
          : count(meta.dictionary_page_offset, `${where}: dictionary_page_offset`, source);
      // Where hyparquet starts reading the chunk (plan.js): the dictionary page when there is one.
      const start = dict > 0 ? dict : data;
      const end = start + count(meta.total_compressed_size, `${where}: total_compressed_size`, source);
      if (start < 4 || end > pagesEnd) {
        throw new FormatError(
          `parseParquet: ${source}: ${where} spans bytes ${start}..${end}, outside the pages (4..${pagesEnd})`,
        );
      }
      chunks.push({ column: name, group: g, start, end, rows });
    }
  });
  if (total !== numRows) {
    throw new FormatError(
      `parseParquet: ${source}: the footer says ${numRows} rows but its row groups hold ${total}`,
    );
  }
  const maxCells = limits.maxCells ?? 2 ** 20 + 64 * byteLength;
  if (numRows * names.length > maxCells) {
    throw new FormatError(
      `parseParquet: ${source}: ${numRows} rows x ${names.length} columns is more than the ${maxCells} cells a ${byteLength}-byte file may hold by default (raise limits.maxCells to read it)`,
    );
  }
  const maxUncompressedBytes = limits.maxUncompressedBytes ?? 2 ** 26 + 64 * byteLength;
  return { numRows, names, kinds, chunks, maxUncompressedBytes };
}

/** Reads every page header of one chunk (its bytes in `view`) and checks sizes and value counts. */
function checkPages(view: DataView, chunk: ChunkSpan, source: string, budget: { left: number }): void {
  const reader = { view, offset: 0 };
  const where = `column "${chunk.column}" in row group ${chunk.group}`;
  let values = 0;
  let page = 0;
  while (reader.offset < view.byteLength) {
    let header: ReturnType<typeof parquetHeader>;
    try {
      header = parquetHeader(reader);
    } catch (error) {
      throw new FormatError(
        `parseParquet: ${source}: ${where}: page ${page} header is corrupt (${(error as Error).message})`,
      );
    }
    const at = `${where}: page ${page}`;
    const size = count(header.compressed_page_size, `${at}: compressed size`, source);
    const unpacked = count(header.uncompressed_page_size, `${at}: uncompressed size`, source);
    if (reader.offset + size > view.byteLength)
      throw new FormatError(`parseParquet: ${source}: ${at} runs past the end of its column chunk`);
    budget.left -= unpacked;
    if (budget.left < 0) {
      throw new FormatError(
        `parseParquet: ${source}: ${at}: the pages unpack to more bytes than the file may by default (raise limits.maxUncompressedBytes to read it)`,
      );
    }
    if (header.type === "DATA_PAGE") {
      values += count(header.data_page_header?.num_values, `${at}: num_values`, source);
    } else if (header.type === "DATA_PAGE_V2") {
      const v2 = header.data_page_header_v2;
      const rows = count(v2?.num_rows, `${at}: num_rows`, source);
      if (count(v2?.num_values, `${at}: num_values`, source) !== rows)
        throw new FormatError(`parseParquet: ${source}: ${at} holds repeated values in a flat column`);
      values += rows;
    } else if (header.type === "DICTIONARY_PAGE") {
      count(header.dictionary_page_header?.num_values, `${at}: num_values`, source);
    } else if (header.type !== "INDEX_PAGE") {
      throw new FormatError(`parseParquet: ${source}: ${at} has unknown page type ${String(header.type)}`);
    }
    reader.offset += size;
    page += 1;
  }
  if (values !== chunk.rows) {
    throw new FormatError(
      `parseParquet: ${source}: ${where}: the pages hold ${values} values but the footer says ${chunk.rows} rows`,
    );
  }
}

/**
 * An AsyncBuffer over `file` that checks the pages of every selected column chunk it serves
 * before hyparquet sees them. `failure` is the first check that failed; `unchecked` counts the
 * chunks it has not served whole (0 after a read, or hyparquet fetched a chunk in pieces and the
 * read must not be trusted).
 */
export function guardPages(
  file: AsyncBuffer,
  footer: CheckedFooter,
  source: string,
): AsyncBuffer & { unchecked(): number; failure(): FormatError | null } {
  const pending = new Set(footer.chunks);
  const budget = { left: footer.maxUncompressedBytes };
  let failure: FormatError | null = null;
  const serve = async (start: number, end: number): Promise<ArrayBuffer> => {
    const buffer = await file.slice(start, end);
    for (const chunk of pending) {
      if (chunk.start < start || chunk.end > start + buffer.byteLength) continue;
      pending.delete(chunk);
      checkPages(new DataView(buffer, chunk.start - start, chunk.end - chunk.start), chunk, source, budget);
    }
    return buffer;
  };
  return {
    // A chunk of an empty row group may never be fetched; it has nothing to decode either.
    unchecked: () => [...pending].filter((chunk) => chunk.rows > 0).length,
    failure: () => failure,
    byteLength: file.byteLength,
    slice(start: number, end: number = file.byteLength): Promise<ArrayBuffer> {
      const served = serve(start, end);
      // NOTE: hyparquet starts all fetches at once and stops awaiting them at the first failure;
      // a later rejection nobody awaits would be an unhandled rejection, which ends the process.
      // So every served promise is marked handled, and the first failure is kept for the reader.
      served.catch((error: unknown) => {
        if (failure === null && error instanceof FormatError) failure = error;
      });
      return served;
    },
  };
}
