// data/formats/csv-records: turns CSV bytes (or text), pushed in pieces of any size, into records
// (arrays of field texts) each with the line where it starts. Bytes are decoded as UTF-8
// (utf8-text.ts), split by the tokenizer (csv-scan.ts), and every record the tokenizer calls
// malformed or oversized is either a ReadError at its line (onError "error") or, under skip /
// coerce, dropped and counted in the ReadReport while reading goes on with the next record.
// Layer: data (no node:* imports).
import { ValueError } from "../../core/errors.js";
import { sniffDelimiter } from "./csv-infer.js";
import { CsvTokenizer, optionByte, type ScannedRecord } from "./csv-scan.js";
import { type IssueSink, ReadError } from "./read-report.js";
import { checkInvalidUtf8, type InvalidUtf8, invalidUtf8Problem, Utf8Pieces } from "./utf8-text.js";

/** Records and the 1-based line where each starts. */
export interface RecordBatch {
  records: string[][];
  lines: number[];
}

export interface RecordReaderOptions {
  /** Field separator; "auto" sniffs it from the first 64 KiB (default). */
  delimiter?: string;
  /** Quote character, or false for none (default '"'). */
  quote?: string | false;
  /** Escape character inside quotes (default: the quote, i.e. doubled quotes as RFC 4180). */
  escape?: string;
  /** Lines starting with this character are skipped. */
  comment?: string;
  /** Bytes decoded and tokenized at a time when reading a whole input (default 1 MiB). */
  blockBytes?: number;
  /**
   * A record longer than this (in characters of decoded text) is an error, or under skip/coerce
   * a skipped row, rather than unbounded buffering (default 256 MiB).
   */
  maxRecordBytes?: number;
  /** Bytes that are not UTF-8: a ReadError with line and column (default) or U+FFFD, counted. */
  invalidUtf8?: InvalidUtf8;
}

/** The option names RecordReaderOptions accepts (for the readers' unknown-option check). */
export const RECORD_READER_OPTIONS = [
  "delimiter",
  "quote",
  "escape",
  "comment",
  "blockBytes",
  "maxRecordBytes",
  "invalidUtf8",
] as const satisfies readonly (keyof RecordReaderOptions)[];

const SNIFF_CHARS = 65536;
const EMPTY: RecordBatch = { records: [], lines: [] };

/** Incremental record reader: push() pieces, take complete records; finish() at the end. */
export class CsvRecordReader {
  private readonly quote: number;
  private readonly escape: number;
  private readonly comment: number;
  private readonly maxRecordChars: number;
  private readonly utf8: Utf8Pieces;
  private delimiter: string | undefined;
  private tokenizer: CsvTokenizer | undefined;
  private sniffed: string[] = [];
  private sniffedChars = 0;
  private batch: RecordBatch = { records: [], lines: [] };
  private started = false;
  /** Characters since the last line break, over everything tokenized (for error columns). */
  private column = 0;
  /**
   * Under onError "error", the error that ends the read (a malformed record, invalid UTF-8),
   * held back until the caller has converted the records before it, so an earlier bad row is
   * reported first. Reading stops there.
   */
  fatal: ReadError | undefined;

  constructor(
    options: RecordReaderOptions,
    private readonly sink: IssueSink,
  ) {
    this.quote = optionByte("csv: quote", options.quote, 34);
    const escape = optionByte("csv: escape", options.escape, this.quote);
    this.escape = escape < 0 ? this.quote : escape;
    this.comment = optionByte("csv: comment", options.comment, -1);
    this.maxRecordChars = positiveOption("maxRecordBytes", options.maxRecordBytes, 256 * (1 << 20));
    positiveOption("blockBytes", options.blockBytes, 1 << 20);
    this.utf8 = new Utf8Pieces(checkInvalidUtf8(`${sink.op}`, options.invalidUtf8));
    if (options.delimiter !== undefined && typeof options.delimiter !== "string") {
      throw new ValueError(`${sink.op}: delimiter must be a string (got ${typeof options.delimiter})`);
    }
    if (options.delimiter === "") throw new ValueError(`${sink.op}: delimiter must not be empty`);
    this.delimiter = options.delimiter === "auto" ? undefined : options.delimiter;
    if (this.delimiter !== undefined) this.startTokenizer(this.delimiter);
  }

  /** The delimiter in use (sniffed from the first 64 KiB when it was "auto"). */
  get delimiterInUse(): string | undefined {
    return this.delimiter;
  }

  push(chunk: Uint8Array | string): RecordBatch {
    if (this.fatal !== undefined) return EMPTY;
    this.feed(chunk, false);
    return this.take();
  }

  finish(): RecordBatch {
    if (this.fatal !== undefined) return EMPTY;
    this.feed(new Uint8Array(0), true);
    if (this.fatal !== undefined) return this.take();
    if (this.tokenizer === undefined) this.startTokenizer(this.sniff());
    this.tokenizer?.end();
    if (this.utf8.replaced > 0) {
      this.sink.report.invalidUtf8Replaced += this.utf8.replaced;
    }
    return this.take();
  }

  private take(): RecordBatch {
    const out = this.batch;
    if (out.records.length === 0) return EMPTY;
    this.batch = { records: [], lines: [] };
    return out;
  }

  private feed(chunk: Uint8Array | string, final: boolean): void {
    let text: string;
    if (typeof chunk === "string") text = chunk;
    else {
      const decoded = this.utf8.decode(chunk, final);
      if (typeof decoded !== "string") {
        this.text(decoded.validText);
        if (this.tokenizer === undefined) this.startTokenizer(this.sniff());
        this.stop(this.tokenizer?.line ?? 1, invalidUtf8Problem(decoded, this.column + 1));
        return;
      }
      text = decoded;
    }
    this.text(text);
  }

  private text(input: string): void {
    if (input.length === 0) return;
    // A byte-order mark opens only the first piece (bytes lose it in Utf8Pieces; text keeps it).
    const text = this.started || input.charCodeAt(0) !== 0xfeff ? input : input.slice(1);
    this.started = true;
    if (this.tokenizer === undefined) {
      this.sniffed.push(text);
      this.sniffedChars += text.length;
      if (this.sniffedChars < SNIFF_CHARS) return;
      this.startTokenizer(this.sniff());
      return;
    }
    this.tokenizer.push(text);
    const lastBreak = Math.max(text.lastIndexOf("\n"), text.lastIndexOf("\r"));
    this.column = lastBreak < 0 ? this.column + text.length : text.length - lastBreak - 1;
  }

  private sniff(): string {
    const sample = this.sniffed.join("");
    const quote = this.quote < 0 ? "\u0000" : String.fromCharCode(this.quote);
    return sniffDelimiter(sample.slice(0, SNIFF_CHARS), quote);
  }

  private startTokenizer(delimiter: string): void {
    this.delimiter = delimiter;
    const options = {
      delimiter,
      quote: this.quote,
      escape: this.escape,
      comment: this.comment,
      maxRecordChars: this.maxRecordChars,
    };
    this.tokenizer = new CsvTokenizer(options, (record) => this.record(record));
    const buffered = this.sniffed;
    this.sniffed = [];
    this.sniffedChars = 0;
    for (const text of buffered) this.text(text);
  }

  private record(record: ScannedRecord): void {
    if (this.fatal !== undefined) return;
    const span = record.lastLine > record.line ? ` (lines ${record.line}-${record.lastLine})` : "";
    if (record.oversized) {
      const problem = `a record longer than maxRecordBytes (${this.maxRecordChars} characters)${span}; an unclosed quote?`;
      this.drop(record.line, problem);
    } else if (record.malformed !== undefined) {
      this.drop(record.line, `malformed CSV: ${record.malformed}${span}`);
    } else {
      this.batch.records.push(record.fields);
      this.batch.lines.push(record.line);
    }
  }

  private drop(line: number, reason: string): void {
    if (this.sink.onError === "error") this.stop(line, reason);
    else this.sink.dropRow(line, reason);
  }

  private stop(line: number, reason: string): void {
    this.fatal ??= new ReadError(this.sink.op, this.sink.source, line, undefined, reason);
  }
}

function positiveOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new ValueError(`csv: ${name} must be a positive integer (got ${JSON.stringify(value)})`);
  }
  return value;
}
