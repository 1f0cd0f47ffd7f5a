// data/formats/csv: CSV parsing and formatting on strings, bytes and async byte streams. Layer: data.
//
// Where the file system fits: nothing in data/ may import node:* (ARCHITECTURE.md section 2), so
// these functions never open files. They take what a file gives (a string, a Uint8Array, or any
// async iterable of chunks such as a node:fs ReadStream) and the file-opening wrappers live one
// layer up in src/io/ (readCsv, readCsvStream, writeCsv), which add the path to error messages
// and write atomically. Dataset.fromCsv and other data/ code use parseCsvStream directly.
//
// Parsing: csv-scan.ts tokenizes (fields, records, lines in one linear pass), csv-records.ts
// decodes UTF-8 and applies the error policy to malformed records; csv-table.ts decides the
// schema and converts cells under the error policy (see read-report.ts).
//
// Nothing is lost or changed without a word: a malformed record (bad quoting) is a ReadError at
// its line, or under onError "skip"/"coerce" one skipped row in the report (a quote left open
// to the end of the input makes the rest one record: the report gives its span of lines);
// invalid UTF-8 is a ReadError with line and column unless invalidUtf8: "replace" (then counted
// in report.invalidUtf8Replaced); integers a float64 cannot hold exactly are kept as text (see
// csv-infer.ts); an unknown option key is a ConfigError. Reading is linear in the input's size.
import { ValueError } from "../../core/errors.js";
import { formatCell } from "../table/column.js";
import type { Table } from "../table/table.js";
import { DEFAULT_MISSING } from "./csv-infer.js";
import { CsvRecordReader, RECORD_READER_OPTIONS, type RecordReaderOptions } from "./csv-records.js";
import {
  type CsvSchema,
  decideSchema,
  recordsToTable,
  SCHEMA_OPTIONS,
  type SchemaOptions,
} from "./csv-table.js";
import { checkOnError, checkOptionKeys, IssueSink, type OnError, ReadReport } from "./read-report.js";

export interface CsvReadOptions extends RecordReaderOptions, SchemaOptions {
  /** Name of the input in error messages (a file path; default "<input>"). */
  source?: string;
  /** Cell texts that mean "missing" (default "", NA, N/A, NaN, null, ?). Matched after trimming. */
  missing?: readonly string[];
  /** What to do with a bad row: throw (default), skip it, or coerce it. See ReadReport. */
  onError?: OnError;
  /** Receives the counts and the list of skipped rows / coerced values. */
  report?: ReadReport;
}

export interface CsvStreamOptions extends CsvReadOptions {
  /** Rows per yielded Table (default 10,000). */
  batchSize?: number;
  /** Records used to decide header and kinds before the first batch (default max(batchSize, 1000)). */
  inferRows?: number;
}

const READ_OPTIONS = [
  ...RECORD_READER_OPTIONS,
  ...SCHEMA_OPTIONS,
  "source",
  "missing",
  "onError",
  "report",
] as const satisfies readonly (keyof CsvReadOptions)[];
const STREAM_OPTIONS = [
  ...READ_OPTIONS,
  "batchSize",
  "inferRows",
] as const satisfies readonly (keyof CsvStreamOptions)[];
const WRITE_OPTIONS = [
  "delimiter",
  "header",
  "missing",
  "lineEnding",
] as const satisfies readonly (keyof CsvWriteOptions)[];

/** Anything the streaming reader can pull chunks from. */
export type ChunkSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

function missingTest(markers: readonly string[] = DEFAULT_MISSING): (text: string) => boolean {
  const set = new Set(markers);
  return (text) => {
    if (set.has(text)) return true;
    if (text.length === 0) return false;
    const first = text.charCodeAt(0);
    const last = text.charCodeAt(text.length - 1);
    return (first <= 32 || last <= 32) && set.has(text.trim());
  };
}

/**
 * A whole-input read: records pushed in pieces are kept, then the schema is decided from all of
 * them and the table built (parseCsv on a string or bytes, parseCsvChunks on a stream).
 */
class WholeCsvRead {
  readonly reader: CsvRecordReader;
  private readonly sink: IssueSink;
  private readonly isMissing: (text: string) => boolean;
  private readonly records: string[][] = [];
  private readonly lines: number[] = [];

  constructor(
    op: string,
    private readonly options: CsvReadOptions,
  ) {
    checkOptionKeys(op, options, READ_OPTIONS);
    const report = options.report ?? new ReadReport();
    this.sink = new IssueSink(op, options.source ?? "<input>", checkOnError(op, options.onError), report);
    this.isMissing = missingTest(options.missing);
    this.reader = new CsvRecordReader(options, this.sink);
  }

  push(chunk: Uint8Array | string): void {
    this.take(this.reader.push(chunk));
  }

  finish(): Table {
    const { reader, records, lines, options, sink } = this;
    this.take(reader.finish());
    const { schema, hasHeader } = decideSchema(records, options, this.isMissing);
    const table = recordsToTable(records, lines, hasHeader ? 1 : 0, schema, this.isMissing, sink);
    // A malformed record under onError "error" ends the read: the rows before it were checked
    // first (an earlier bad row is the error to report), then this one throws.
    if (reader.fatal !== undefined) throw reader.fatal;
    sink.finish(options.report !== undefined);
    return table;
  }

  private take(batch: { records: string[][]; lines: number[] }): void {
    for (let i = 0; i < batch.records.length; i++) {
      this.records.push(batch.records[i]!);
      this.lines.push(batch.lines[i]!);
    }
  }
}

/**
 * Reads a whole CSV text (or its UTF-8 bytes) into a Table. Kinds are inferred from every row.
 * @example
 * const t = parseCsv("a,b\n1,x\n2,NA\n");
 * t.column("b").missingCount(); // 1
 */
export function parseCsv(input: string | Uint8Array, options: CsvReadOptions = {}): Table {
  const read = new WholeCsvRead("parseCsv", options);
  if (typeof input === "string") read.push(input);
  else {
    const step = options.blockBytes ?? 1 << 20;
    for (let offset = 0; offset < input.length && read.reader.fatal === undefined; offset += step)
      read.push(input.subarray(offset, offset + step));
  }
  return read.finish();
}

/**
 * Reads a whole CSV from chunks as they come (a Blob's or a fetch body's stream) into the Table
 * parseCsv returns for the same bytes: kinds inferred from every row, the input never held whole.
 * @example
 * const t = await parseCsvChunks(file.stream(), { source: file.name });
 */
export async function parseCsvChunks(source: ChunkSource, options: CsvReadOptions = {}): Promise<Table> {
  const read = new WholeCsvRead("parseCsv", options);
  for await (const chunk of source) {
    read.push(chunk);
    if (read.reader.fatal !== undefined) break;
  }
  return read.finish();
}

/**
 * Streams a CSV as Tables of `batchSize` rows, reading chunks as they come, so a file larger
 * than memory is read in constant memory. Header and kinds are decided from the first
 * `inferRows` records; a later value that does not fit its column's kind is a type error (or is
 * skipped/coerced when `onError` says so).
 * @example
 * const stream = parseCsvStream(fs.createReadStream("big.csv"), { batchSize: 5000 });
 * for await (const batch of stream) total += batch.numRows;
 * stream.report.skippedRows;
 */
export function parseCsvStream(source: ChunkSource, options: CsvStreamOptions = {}): CsvBatchStream {
  return new CsvBatchStream(source, options);
}

/** The async iterable returned by parseCsvStream (iterate it once). */
export class CsvBatchStream implements AsyncIterable<Table> {
  /** Counts and issues so far (complete once iteration ends). */
  readonly report: ReadReport;
  /** Column names and kinds, known once the first batch was decided. */
  schema: CsvSchema | undefined;
  private started = false;

  constructor(
    private readonly source: ChunkSource,
    private readonly options: CsvStreamOptions,
  ) {
    checkOptionKeys("parseCsvStream", options, STREAM_OPTIONS);
    this.report = options.report ?? new ReadReport();
    const batchSize = options.batchSize ?? 10_000;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ValueError(`parseCsvStream: batchSize must be a positive integer (got ${batchSize})`);
    }
    checkOnError("parseCsvStream", options.onError);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Table> {
    if (this.started) throw new ValueError("parseCsvStream: a CSV stream can be iterated only once");
    this.started = true;
    const options = this.options;
    const batchSize = options.batchSize ?? 10_000;
    const inferRows = Math.max(1, options.inferRows ?? Math.max(batchSize, 1000));
    const sink = new IssueSink(
      "parseCsvStream",
      options.source ?? "<input>",
      checkOnError("parseCsvStream", options.onError),
      this.report,
    );
    const isMissing = missingTest(options.missing);
    const reader = new CsvRecordReader(options, sink);
    let records: string[][] = [];
    let lines: number[] = [];
    let next = 0; // first record not yet emitted
    const emit = (final: boolean): Table[] => {
      if (this.schema === undefined) {
        if (records.length <= inferRows && !final) return [];
        if (records.length === 0) return [];
        const decided = decideSchema(records.slice(0, inferRows + 1), options, isMissing);
        this.schema = decided.schema;
        next = decided.hasHeader ? 1 : 0;
      }
      const out: Table[] = [];
      while (records.length - next >= batchSize || (final && records.length > next)) {
        const end = Math.min(records.length, next + batchSize);
        out.push(
          recordsToTable(records.slice(next, end), lines.slice(next, end), 0, this.schema, isMissing, sink),
        );
        next = end;
      }
      if (next > 0) {
        records = records.slice(next);
        lines = lines.slice(next);
        next = 0;
      }
      return out;
    };
    const take = (batch: { records: string[][]; lines: number[] }) => {
      for (let i = 0; i < batch.records.length; i++) {
        records.push(batch.records[i]!);
        lines.push(batch.lines[i]!);
      }
    };
    for await (const chunk of this.source) {
      take(reader.push(chunk));
      if (reader.fatal !== undefined) break;
      for (const table of emit(false)) yield table;
    }
    take(reader.finish());
    for (const table of emit(true)) yield table;
    if (reader.fatal !== undefined) throw reader.fatal;
    sink.finish(options.report !== undefined);
  }
}

export interface CsvWriteOptions {
  /** Field separator (default ","). */
  delimiter?: string;
  /** Write the column names first (default true). */
  header?: boolean;
  /** Text written for a missing cell (default ""). */
  missing?: string;
  /** Record separator (default "\n"). */
  lineEnding?: "\n" | "\r\n";
}

/**
 * The CSV text of a table in pieces of `rowsPerChunk` rows (for writing large tables without one
 * giant string). Fields with the delimiter, quotes, line breaks or edge spaces are quoted.
 */
export function* csvChunks(
  table: Table,
  options: CsvWriteOptions = {},
  rowsPerChunk = 10_000,
): Generator<string> {
  checkOptionKeys("formatCsv", options, WRITE_OPTIONS);
  const delimiter = options.delimiter ?? ",";
  const eol = options.lineEnding ?? "\n";
  const missing = options.missing ?? "";
  const quoteIfNeeded = (text: string) =>
    /["\r\n]/.test(text) ||
    text.includes(delimiter) ||
    (text.length > 0 && (text.trim() !== text || text === ""))
      ? `"${text.replaceAll('"', '""')}"`
      : text;
  if (options.header !== false) yield table.columnNames.map(quoteIfNeeded).join(delimiter) + eol;
  const columns = table.columnNames.map((name) => table.column(name));
  for (let start = 0; start < table.numRows; start += rowsPerChunk) {
    const end = Math.min(table.numRows, start + rowsPerChunk);
    const parts: string[] = [];
    for (let r = start; r < end; r++) {
      const cells = columns.map((column) => {
        const value = column.get(r);
        const text = Object.is(value, -0) ? "-0" : formatCell(value); // String(-0) is "0"
        return text === null ? missing : quoteIfNeeded(text);
      });
      const line = cells.join(delimiter);
      // A one-column row with a missing cell would be a blank line, which readers skip.
      parts.push(line === "" ? '""' : line);
    }
    yield parts.join(eol) + eol;
  }
}

/** The whole CSV text of a table. */
export function formatCsv(table: Table, options: CsvWriteOptions = {}): string {
  return [...csvChunks(table, options)].join("");
}
