// data/formats/json: JSON (one array of records) and NDJSON (one record per line) parsing and
// formatting on strings, bytes and async chunk streams; the file-opening wrappers live in
// src/io/read-json.ts (see csv.ts for why). Layer: data.
import { ValueError } from "../../core/errors.js";
import type { ColumnKind } from "../table/column.js";
import type { Table } from "../table/table.js";
import type { ChunkSource } from "./csv.js";
import { decideJsonSchema, type JsonSchema, objectsToTable, rowToJson } from "./json-table.js";
import {
  checkOnError,
  checkOptionKeys,
  IssueSink,
  type OnError,
  ReadError,
  ReadReport,
} from "./read-report.js";
import {
  checkInvalidUtf8,
  type InvalidUtf8,
  invalidUtf8Problem,
  type Utf8Failure,
  Utf8Pieces,
} from "./utf8-text.js";

export interface JsonReadOptions {
  /** Name of the input in error messages (default "<input>"). */
  source?: string;
  /** Keep only these keys, in this order (default: every key, first-seen order). */
  columns?: readonly string[];
  /** Kinds by column name, overriding inference. */
  types?: Record<string, ColumnKind>;
  onError?: OnError;
  report?: ReadReport;
  /** Bytes that are not UTF-8: a ReadError with line and column (default) or U+FFFD, counted. */
  invalidUtf8?: InvalidUtf8;
}

export interface NdjsonStreamOptions extends JsonReadOptions {
  /** Rows per yielded Table (default 10,000). */
  batchSize?: number;
  /** Records used to decide the schema before the first batch (default max(batchSize, 1000)). */
  inferRows?: number;
}

const READ_OPTIONS = [
  "source",
  "columns",
  "types",
  "onError",
  "report",
  "invalidUtf8",
] as const satisfies readonly (keyof JsonReadOptions)[];
const STREAM_OPTIONS = [
  ...READ_OPTIONS,
  "batchSize",
  "inferRows",
] as const satisfies readonly (keyof NdjsonStreamOptions)[];

/**
 * The text of a whole input, or where it stops being UTF-8 (mode "error"); replacements made in
 * mode "replace" are counted in the report.
 */
function decodeWhole(input: string | Uint8Array, sink: IssueSink, mode: unknown): string | Utf8Failure {
  if (typeof input === "string") return input;
  const utf8 = new Utf8Pieces(checkInvalidUtf8(sink.op, mode));
  const text = utf8.decode(input, true);
  sink.report.invalidUtf8Replaced += utf8.replaced;
  return text;
}

/** The ReadError for invalid UTF-8 after `before` (lines counted at LF, as NDJSON's are). */
function utf8Error(sink: IssueSink, failure: Utf8Failure, before: string, firstLine = 1): ReadError {
  let line = firstLine;
  for (let i = 0; i < before.length; i++) if (before.charCodeAt(i) === 10) line++;
  const column = before.length - before.lastIndexOf("\n");
  return new ReadError(sink.op, sink.source, line, undefined, invalidUtf8Problem(failure, column));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Line number (1-based) of a character offset. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Reads a JSON array of records. A syntax error names its line; in the records, the "line" of
 * an issue is the record's 1-based position in the array.
 * @example
 * parseJson('[{"a": 1}, {"a": null}]').column("a").missingCount(); // 1
 */
export function parseJson(input: string | Uint8Array, options: JsonReadOptions = {}): Table {
  checkOptionKeys("parseJson", options, READ_OPTIONS);
  const source = options.source ?? "<input>";
  const report = options.report ?? new ReadReport();
  const sink = new IssueSink("parseJson", source, checkOnError("parseJson", options.onError), report);
  const text = decodeWhole(input, sink, options.invalidUtf8);
  if (typeof text !== "string") throw utf8Error(sink, text, text.validText);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const line = position ? lineOf(text, Number(position[1])) : 1;
    throw new ReadError("parseJson", source, line, undefined, `invalid JSON: ${message}`);
  }
  if (!Array.isArray(parsed)) {
    throw new ReadError("parseJson", source, 1, undefined, "expected an array of records at the top level");
  }
  const records: Record<string, unknown>[] = [];
  const lines: number[] = [];
  parsed.forEach((item, i) => {
    if (isRecord(item)) {
      records.push(item);
      lines.push(i + 1);
    } else {
      sink.dropRow(
        i + 1,
        `record ${i + 1} is ${Array.isArray(item) ? "an array" : typeof item}, not an object`,
      );
    }
  });
  const schema = decideJsonSchema(records, options);
  const table = objectsToTable(records, lines, schema, sink, false);
  sink.finish(options.report !== undefined);
  return table;
}

/** Splits NDJSON text into parsed records with their line numbers; bad lines go to `sink`. */
function parseLines(
  text: string,
  firstLine: number,
  sink: IssueSink,
  records: Record<string, unknown>[],
  lines: number[],
): void {
  let line = firstLine;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end).trim();
    if (raw.length > 0) {
      let value: unknown;
      let ok = true;
      try {
        value = JSON.parse(raw);
      } catch (error) {
        ok = false;
        sink.dropRow(line, `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (ok) {
        if (isRecord(value)) {
          records.push(value);
          lines.push(line);
        } else {
          sink.dropRow(
            line,
            `expected a JSON object (got ${Array.isArray(value) ? "an array" : typeof value})`,
          );
        }
      }
    }
    line++;
    start = end + 1;
  }
}

/** Reads a whole NDJSON text (one JSON object per line; blank lines ignored). */
export function parseNdjson(input: string | Uint8Array, options: JsonReadOptions = {}): Table {
  checkOptionKeys("parseNdjson", options, READ_OPTIONS);
  const report = options.report ?? new ReadReport();
  const sink = new IssueSink(
    "parseNdjson",
    options.source ?? "<input>",
    checkOnError("parseNdjson", options.onError),
    report,
  );
  const text = decodeWhole(input, sink, options.invalidUtf8);
  const records: Record<string, unknown>[] = [];
  const lines: number[] = [];
  // Before invalid UTF-8, the complete lines are read (their problems come first, as streaming).
  const valid =
    typeof text === "string" ? text : text.validText.slice(0, text.validText.lastIndexOf("\n") + 1);
  parseLines(valid, 1, sink, records, lines);
  const table = objectsToTable(records, lines, decideJsonSchema(records, options), sink, false);
  if (typeof text !== "string") throw utf8Error(sink, text, text.validText);
  sink.finish(options.report !== undefined);
  return table;
}

/**
 * Streams NDJSON as Tables of `batchSize` rows in constant memory. The schema comes from the
 * first `inferRows` records; later records that do not fit it are problems (see onError).
 */
export function parseNdjsonStream(source: ChunkSource, options: NdjsonStreamOptions = {}): NdjsonBatchStream {
  return new NdjsonBatchStream(source, options);
}

/** The async iterable returned by parseNdjsonStream (iterate it once). */
export class NdjsonBatchStream implements AsyncIterable<Table> {
  readonly report: ReadReport;
  schema: JsonSchema | undefined;
  private started = false;

  constructor(
    private readonly source: ChunkSource,
    private readonly options: NdjsonStreamOptions,
  ) {
    checkOptionKeys("parseNdjsonStream", options, STREAM_OPTIONS);
    this.report = options.report ?? new ReadReport();
    checkOnError("parseNdjsonStream", options.onError);
    checkInvalidUtf8("parseNdjsonStream", options.invalidUtf8);
    const batchSize = options.batchSize ?? 10_000;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ValueError(`parseNdjsonStream: batchSize must be a positive integer (got ${batchSize})`);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Table> {
    if (this.started) throw new ValueError("parseNdjsonStream: a stream can be iterated only once");
    this.started = true;
    const options = this.options;
    const batchSize = options.batchSize ?? 10_000;
    const inferRows = Math.max(1, options.inferRows ?? Math.max(batchSize, 1000));
    const sink = new IssueSink(
      "parseNdjsonStream",
      options.source ?? "<input>",
      checkOnError("parseNdjsonStream", options.onError),
      this.report,
    );
    const utf8 = new Utf8Pieces(checkInvalidUtf8("parseNdjsonStream", options.invalidUtf8));
    // The text after the last line break, in pieces: a long line is joined once, when it ends
    // (appending to one string and searching it again for every chunk was quadratic).
    let carry: string[] = [];
    let line = 1;
    let records: Record<string, unknown>[] = [];
    let lines: number[] = [];
    const emit = (final: boolean): Table[] => {
      if (this.schema === undefined) {
        if ((records.length < inferRows && !final) || records.length === 0) return [];
        this.schema = decideJsonSchema(records.slice(0, inferRows), options);
      }
      const out: Table[] = [];
      let next = 0;
      while (records.length - next >= batchSize || (final && records.length > next)) {
        const end = Math.min(records.length, next + batchSize);
        out.push(
          objectsToTable(
            records.slice(next, end),
            lines.slice(next, end),
            this.schema,
            sink,
            !options.columns,
          ),
        );
        next = end;
      }
      records = records.slice(next);
      lines = lines.slice(next);
      return out;
    };
    /** Parses the complete lines of `text` (after the carried pieces); keeps the rest. */
    const takeLines = (text: string): void => {
      const cut = text.lastIndexOf("\n");
      if (cut < 0) {
        if (text.length > 0) carry.push(text);
        return;
      }
      carry.push(text.slice(0, cut));
      const block = carry.join("");
      carry = [text.slice(cut + 1)];
      parseLines(block, line, sink, records, lines);
      for (let i = 0; i < block.length; i++) if (block.charCodeAt(i) === 10) line++;
      line++;
    };
    for await (const chunk of this.source) {
      const text = typeof chunk === "string" ? chunk : utf8.decode(chunk, false);
      if (typeof text !== "string") {
        // Invalid UTF-8: the lines before it are read (their problems come first), then it throws.
        const before = carry.join("") + text.validText;
        const lastBreak = before.lastIndexOf("\n");
        carry = [];
        if (lastBreak >= 0) takeLines(before.slice(0, lastBreak + 1));
        for (const table of emit(true)) yield table;
        throw utf8Error(sink, text, before.slice(lastBreak + 1), line);
      }
      takeLines(text);
      for (const table of emit(false)) yield table;
    }
    const rest = utf8.decode(new Uint8Array(0), true);
    if (typeof rest !== "string") throw utf8Error(sink, rest, carry.join("") + rest.validText, line);
    carry.push(rest);
    this.report.invalidUtf8Replaced += utf8.replaced;
    parseLines(carry.join(""), line, sink, records, lines);
    for (const table of emit(true)) yield table;
    sink.finish(options.report !== undefined);
  }
}

/**
 * The JSON text of a table as an array of records (missing -> null, dates as ISO strings). Any
 * column name is kept, "__proto__" included. NOTE: a JSON object lists integer-like keys ("0",
 * "12") before the others, so such columns come first when the file is read back.
 */
export function formatJson(table: Table, options: { indent?: number } = {}): string {
  checkOptionKeys("formatJson", options, ["indent"]);
  const columns = table.columnNames.map((name) => table.column(name));
  const rows = Array.from({ length: table.numRows }, (_, r) => rowToJson(table, columns, r));
  return JSON.stringify(rows, null, options.indent);
}

/** NDJSON text of a table in pieces of `rowsPerChunk` lines. */
export function* ndjsonChunks(table: Table, rowsPerChunk = 10_000): Generator<string> {
  const columns = table.columnNames.map((name) => table.column(name));
  for (let start = 0; start < table.numRows; start += rowsPerChunk) {
    const end = Math.min(table.numRows, start + rowsPerChunk);
    const parts: string[] = [];
    for (let r = start; r < end; r++) parts.push(JSON.stringify(rowToJson(table, columns, r)));
    yield `${parts.join("\n")}\n`;
  }
}

export function formatNdjson(table: Table): string {
  return [...ndjsonChunks(table)].join("");
}
