// data/io/csv-records: turns CSV bytes, pushed in pieces of any size, into records (arrays of
// field texts) each with the line where it starts. Fields are split by csv-parse's synchronous
// parser over blocks of whole records found by csv-scan; a record csv-parse rejects (bad quoting)
// is either a ReadError at its line or, under skip/coerce, dropped and reported while the rest
// of the block is still read. Layer: data (no node:* imports; csv-parse/sync is a plain module).
import { CsvError, parse as parseSync } from "csv-parse/sync";
import { ValueError } from "../../core/errors.js";
import { sniffDelimiter } from "./csv-infer.js";
import { optionByte, type ScanOptions, scanRecords } from "./csv-scan.js";
import { type IssueSink, ReadError } from "./read-report.js";

/** Records and the 1-based line where each starts. */
export interface RecordBatch {
  records: string[][];
  lines: number[];
}

export interface RecordReaderOptions {
  /** Field separator; "auto" sniffs it from the first block (default). */
  delimiter?: string;
  /** Quote character, or false for none (default '"'). */
  quote?: string | false;
  /** Escape character inside quotes (default: the quote, i.e. doubled quotes as RFC 4180). */
  escape?: string;
  /** Lines starting with this character are skipped. */
  comment?: string;
  /** Block size handed to csv-parse at once, in bytes (default 1 MiB). */
  blockBytes?: number;
  /** A record longer than this is an error rather than unbounded buffering (default 256 MiB). */
  maxRecordBytes?: number;
}

const encoder = new TextEncoder();

/** Incremental record reader: push() bytes, take complete records; finish() at the end. */
export class CsvRecordReader {
  private readonly scan: ScanOptions;
  private readonly blockBytes: number;
  private readonly maxRecordBytes: number;
  private delimiter: string | undefined;
  private readonly parseOptions: Record<string, unknown>;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private line = 1;
  /**
   * Under onError "error", the malformed-record error, held back until the caller has converted
   * the records before it (so an earlier bad row is reported first); reading stops there.
   */
  fatal: ReadError | undefined;

  constructor(
    options: RecordReaderOptions,
    private readonly sink: IssueSink,
  ) {
    const quote = optionByte("csv: quote", options.quote, 34);
    const escape = optionByte("csv: escape", options.escape, quote);
    const comment = optionByte("csv: comment", options.comment, -1);
    this.scan = { quote, escape: escape < 0 ? quote : escape, comment, delimiter: -1 };
    this.blockBytes = options.blockBytes ?? 1 << 20;
    this.maxRecordBytes = options.maxRecordBytes ?? 256 * (1 << 20);
    if (options.delimiter !== undefined && options.delimiter !== "auto" && options.delimiter.length === 0) {
      throw new ValueError("csv: delimiter must not be empty");
    }
    this.delimiter = options.delimiter === "auto" ? undefined : options.delimiter;
    this.parseOptions = {
      quote: quote < 0 ? false : String.fromCharCode(quote),
      escape: String.fromCharCode(this.scan.escape < 0 ? 34 : this.scan.escape),
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      ...(comment < 0 ? {} : { comment: String.fromCharCode(comment), comment_no_infix: true }),
    };
  }

  /** The delimiter in use (sniffed after the first block when it was "auto"). */
  get delimiterInUse(): string | undefined {
    return this.delimiter;
  }

  push(chunk: Uint8Array | string): RecordBatch {
    if (this.fatal !== undefined) return { records: [], lines: [] };
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    if (bytes.length === 0) return { records: [], lines: [] };
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes < this.blockBytes) return { records: [], lines: [] };
    return this.drain(false);
  }

  finish(): RecordBatch {
    if (this.fatal !== undefined) return { records: [], lines: [] };
    return this.drain(true);
  }

  private drain(final: boolean): RecordBatch {
    const block = concatBytes(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (this.delimiter === undefined) {
      const quote = this.scan.quote < 0 ? "\u0000" : String.fromCharCode(this.scan.quote);
      this.delimiter = sniffDelimiter(new TextDecoder().decode(block.subarray(0, 65536)), quote);
    }
    this.scan.delimiter = this.delimiter.length === 1 ? this.delimiter.charCodeAt(0) : -1;
    const scan = scanRecords(block, this.line, this.scan, final);
    if (!final && scan.end < block.length) {
      const rest = block.subarray(scan.end);
      if (rest.length > this.maxRecordBytes) {
        this.sink.dropRow(
          scan.lineAtEnd,
          `a record runs past ${this.maxRecordBytes} bytes (an unclosed quote?); giving up on the rest of the input`,
        );
        this.pending = [];
        this.pendingBytes = 0;
      } else {
        this.pending = [rest.slice()];
        this.pendingBytes = rest.length;
      }
    }
    this.line = scan.lineAtEnd;
    if (scan.starts.length === 0) return { records: [], lines: [] };
    return this.parseBlock(
      block.subarray(0, scan.end),
      scan.starts,
      scan.lines,
      scan.openQuoteLine,
      scan.lineAtEnd,
    );
  }

  /** csv-parse over records [starts...] of `block`; a rejected record is reported and skipped. */
  private parseBlock(
    block: Uint8Array,
    starts: number[],
    lines: number[],
    openQuoteLine: number,
    lineAtEnd: number,
  ): RecordBatch {
    const records: string[][] = [];
    const outLines: number[] = [];
    let from = 0; // first record of the segment still to parse
    while (from < starts.length) {
      const segment = block.subarray(starts[from]!);
      try {
        const parsed = this.parseSegment(segment, lines, from, starts.length);
        for (let i = 0; i < parsed.records.length; i++) {
          records.push(parsed.records[i]!);
          outLines.push(parsed.lines[i]!);
        }
        break;
      } catch (error) {
        if (!(error instanceof CsvError)) throw error;
        const relative = typeof error.lines === "number" ? error.lines : 1;
        let errorLine = lines[from]! + relative - 1;
        if (error.code === "CSV_QUOTE_NOT_CLOSED" && openQuoteLine >= 0) errorLine = openQuoteLine;
        // The failing record is the last one starting at or before the error line.
        let bad = from;
        while (bad + 1 < starts.length && lines[bad + 1]! <= errorLine) bad++;
        if (bad > from) {
          const before = this.parseSegment(block.subarray(starts[from]!, starts[bad]!), lines, from, bad);
          records.push(...before.records);
          outLines.push(...before.lines);
        }
        const lastLine = bad + 1 < starts.length ? lines[bad + 1]! - 1 : Math.max(lineAtEnd - 1, lines[bad]!);
        const span = lastLine > lines[bad]! ? ` (lines ${lines[bad]}-${lastLine})` : "";
        const reason = `malformed CSV: ${firstSentence(error.message)}${span}`;
        if (this.sink.onError === "error") {
          this.fatal = new ReadError(this.sink.op, this.sink.source, lines[bad]!, undefined, reason);
          break;
        }
        this.sink.dropRow(lines[bad]!, reason);
        from = bad + 1;
      }
    }
    return { records, lines: outLines };
  }

  /** Parses records [from, to) that `segment` starts with; checks the count matches the scan. */
  private parseSegment(segment: Uint8Array, lines: number[], from: number, to: number): RecordBatch {
    const records = parseSync(segment, {
      ...this.parseOptions,
      delimiter: this.delimiter ?? ",",
      to: to - from,
    }) as string[][];
    if (records.length !== to - from) {
      throw new ValueError(
        `csv: lost track of records near line ${lines[from]} (scanned ${to - from}, parsed ${records.length}); please report this input`,
      );
    }
    return { records, lines: lines.slice(from, to) };
  }
}

function firstSentence(message: string): string {
  return message.replace(/\s+at line \d+.*$/s, "").replace(/:\s*the parsing is finished.*$/s, "");
}

function concatBytes(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
