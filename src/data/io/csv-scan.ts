// data/io/csv-scan: a quote-aware scan of CSV bytes that finds where each record starts and on
// which line, without splitting fields. Layer: data (no node:* imports).
//
// Why it exists: csv-parse turns bytes into fields, but asking it for line numbers (its `info`
// option) halves its speed, and its streaming API is a node:stream Transform, which data/ may not
// use. So the CSV readers cut the input into blocks of whole records with this scan, hand each
// block to csv-parse's synchronous parser, and take every record's line number from here.
// Blank lines (and, with `comment`, lines starting with the comment character) are not records,
// matching csv-parse's skip_empty_lines and comment_no_infix options.
import { ValueError } from "../../core/errors.js";

const LF = 10;
const CR = 13;

export interface ScanOptions {
  /** Quote byte, or -1 when quoting is off. */
  quote: number;
  /** Escape byte inside quotes (equal to `quote` for RFC 4180 doubled quotes). */
  escape: number;
  /** Comment byte at the start of a line, or -1. */
  comment: number;
  /**
   * First byte of the delimiter. A quote opens a quoted field only at the start of a field
   * (after this byte or at the start of a record), as in RFC 4180 and csv-parse's strict mode;
   * -1 lets a quote open anywhere.
   */
  delimiter: number;
}

/** Records found in a block: byte offsets and 1-based line numbers where each one starts. */
export interface ScanResult {
  starts: number[];
  lines: number[];
  /** Byte offset just past the last complete record (the rest waits for more input). */
  end: number;
  /** Line number at `end`. */
  lineAtEnd: number;
  /** Offset and line of an open quoted field when scanning stopped inside one, else -1. */
  openQuoteLine: number;
}

/**
 * Scans `bytes` from offset 0 (which must be the start of a record at line `firstLine`).
 * With `final` false, an incomplete last record is left out (end points before it); with
 * `final` true everything counts, and an unclosed quote is reported in openQuoteLine.
 */
export function scanRecords(
  bytes: Uint8Array,
  firstLine: number,
  options: ScanOptions,
  final: boolean,
): ScanResult {
  const { quote, escape, comment, delimiter } = options;
  const starts: number[] = [];
  const lines: number[] = [];
  const n = bytes.length;
  let line = firstLine;
  let i = 0;
  let end = 0;
  let lineAtEnd = firstLine;
  let openQuoteLine = -1;
  while (i < n) {
    // At the start of a line that may begin a record.
    const recordStart = i;
    const recordLine = line;
    const first = bytes[i]!;
    if (first === LF || (first === CR && i + 1 < n && bytes[i + 1] === LF)) {
      i += first === LF ? 1 : 2; // blank line
      line++;
      end = i;
      lineAtEnd = line;
      continue;
    }
    if (first === CR && i + 1 >= n && !final) break; // "\r" at the edge: wait to see if "\n" follows
    const isComment = first === comment;
    let inQuotes = false;
    let fieldStart = true;
    let quoteLine = -1;
    let complete = false;
    while (i < n) {
      const b = bytes[i]!;
      if (inQuotes) {
        if (b === escape && escape !== quote && i + 1 < n && bytes[i + 1] === quote) {
          i += 2;
          continue;
        }
        if (b === quote) inQuotes = false;
        else if (b === LF) line++;
        else if (b === CR && !(i + 1 < n && bytes[i + 1] === LF)) line++;
        i++;
        continue;
      }
      if (b === quote && !isComment && (fieldStart || delimiter < 0)) {
        inQuotes = true;
        quoteLine = line;
        fieldStart = false;
        i++;
        continue;
      }
      fieldStart = b === delimiter;
      if (b === LF) {
        i++;
        line++;
        complete = true;
        break;
      }
      if (b === CR) {
        if (i + 1 >= n && !final) break; // cannot tell "\r" from "\r\n" yet
        i += i + 1 < n && bytes[i + 1] === LF ? 2 : 1;
        line++;
        complete = true;
        break;
      }
      i++;
    }
    if (!complete && !final) break; // incomplete record: leave it for the next block
    if (inQuotes) openQuoteLine = quoteLine;
    if (!isComment) {
      starts.push(recordStart);
      lines.push(recordLine);
    }
    end = i;
    lineAtEnd = line;
  }
  return { starts, lines, end: final ? n : end, lineAtEnd: final ? line : lineAtEnd, openQuoteLine };
}

/** Byte value of a one-character option (quote, escape, comment), -1 for none. */
export function optionByte(name: string, value: string | false | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === false || value === "") return -1;
  const code = value.charCodeAt(0);
  if (value.length !== 1 || code > 127) {
    throw new ValueError(`${name}: expected one ASCII character (got ${JSON.stringify(value)})`);
  }
  return code;
}
