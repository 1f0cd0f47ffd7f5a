// data/formats/csv-scan: the CSV tokenizer, a state machine over decoded text pushed in pieces of any
// size. It splits fields, finds record boundaries and counts lines in one pass, and keeps its
// state between pieces, so every character is looked at once (linear time, however a record is
// cut) and only the record in progress is buffered. Layer: data (no node:* imports).
//
// Rules (RFC 4180 plus what files in the wild need): records end at LF, CRLF or a lone CR, and a
// file may mix them; a blank line is not a record; a field is quoted only if the quote is its
// first character, where a doubled quote (or `escape` followed by a quote) stands for one quote
// and line breaks are data; a comment character at the start of a line makes it a comment.
// A record breaking these rules (a quote inside an unquoted field, text after a closing quote, a
// quote still open at the end of the input) is handed on with the reason, never silently cut.
import { ValueError } from "../../core/errors.js";

const LF = 10;
const CR = 13;

export interface ScanOptions {
  /** Field separator (one or more characters). */
  delimiter: string;
  /** Quote character code, or -1 when quoting is off. */
  quote: number;
  /** Escape character code inside quotes (equal to `quote` for RFC 4180 doubled quotes). */
  escape: number;
  /** Comment character code at the start of a line, or -1. */
  comment: number;
  /** A record longer than this many characters is dropped, not buffered (see onRecord). */
  maxRecordChars: number;
}

/** What the tokenizer hands on for each record. */
export interface ScannedRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
  /** Last line of the record (differs from `line` when a quoted field holds line breaks). */
  lastLine: number;
  /** Why the record is malformed (then `fields` is what was read, not to be trusted), else undefined. */
  malformed: string | undefined;
  /** The record ran past maxRecordChars; its fields were not kept. */
  oversized: boolean;
}

enum State {
  /** At the start of a field (also the start of a record). */
  FieldStart,
  Unquoted,
  Quoted,
  /** Inside quotes, just after the escape character (when escape differs from the quote). */
  QuotedEscape,
  /** Just after a quote inside a quoted field: a doubled quote, or the closing one. */
  QuoteSeen,
  Comment,
}

/** Incremental CSV tokenizer: push() text, receive records through the callback; end() at the end. */
export class CsvTokenizer {
  private readonly delimiter: string;
  private readonly delimiterCode: number;
  private readonly quote: number;
  private readonly escape: number;
  private readonly comment: number;
  private readonly maxRecordChars: number;
  private state = State.FieldStart;
  /** Text of the current field from earlier pieces (the rest is sliced from the current piece). */
  private fieldParts: string[] = [];
  private fields: string[] = [];
  private recordStarted = false;
  private recordLine = 1;
  /** Characters of the current record in earlier pieces. */
  private recordCharsBefore = 0;
  private malformed: string | undefined;
  private oversized = false;
  private previousWasCR = false;
  /** The tail of the last piece that may be the start of a multi-character delimiter. */
  private carry = "";
  /** Current 1-based line. */
  line = 1;
  /** Characters looked at so far: equal to the input's length, whatever the pieces (linear time). */
  scannedChars = 0;

  constructor(
    options: ScanOptions,
    private readonly onRecord: (record: ScannedRecord) => void,
  ) {
    if (options.delimiter.length === 0) throw new ValueError("csv: delimiter must not be empty");
    this.delimiter = options.delimiter;
    this.delimiterCode = options.delimiter.charCodeAt(0);
    this.quote = options.quote;
    this.escape = options.escape;
    this.comment = options.comment;
    this.maxRecordChars = options.maxRecordChars;
    if (/[\r\n]/.test(options.delimiter) || options.quote === LF || options.quote === CR) {
      throw new ValueError("csv: delimiter and quote may not hold a line break");
    }
    if (options.comment === LF || options.comment === CR)
      throw new ValueError("csv: comment may not be a line break");
    if (this.delimiterCode === options.quote) {
      throw new ValueError(
        `csv: delimiter and quote must differ (both ${JSON.stringify(options.delimiter[0])})`,
      );
    }
  }

  push(piece: string): void {
    const text = this.carry.length > 0 ? this.carry + piece : piece;
    const hold = this.delimiter.length - 1;
    // A multi-character delimiter may be cut by the piece's end: its start waits for the next.
    const reached = this.scan(text, Math.max(0, text.length - hold));
    this.carry = text.slice(reached);
  }

  /** Ends the input: the record in progress (if any) is complete now. */
  end(): void {
    const text = this.carry;
    this.carry = "";
    this.scan(text, text.length);
    if (this.state === State.Quoted || this.state === State.QuotedEscape) {
      this.malformed ??= `a quoted field is not closed by the end of the input (a stray quote?)`;
    }
    if (this.state === State.Comment) {
      this.resetRecord();
      return;
    }
    if (!this.recordStarted) return;
    this.endField("", 0, 0);
    this.endRecord(0, 0);
  }

  // NOTE: one loop over the piece; `fieldStart` is where the current field's text began in it.
  private scan(text: string, limit: number): number {
    const { quote, escape, comment, delimiterCode } = this;
    const multi = this.delimiter.length > 1;
    let fieldStart = 0;
    let recordStart = 0; // offset in `text` where the current record began (or 0 if earlier)
    let i = 0;
    while (i < limit) {
      const c = text.charCodeAt(i);
      const afterCR = this.previousWasCR;
      this.previousWasCR = c === CR;
      switch (this.state) {
        case State.FieldStart:
        case State.Unquoted: {
          if (!this.recordStarted) {
            if (c === LF || c === CR) {
              if (!(c === LF && afterCR)) this.line++; // a blank line (or the LF of a CRLF)
              i++;
              continue;
            }
            this.recordStarted = true;
            this.recordLine = this.line;
            this.recordCharsBefore = 0;
            recordStart = i;
            fieldStart = i;
            if (c === comment) {
              this.state = State.Comment;
              i++;
              continue;
            }
          }
          if (c === delimiterCode && (!multi || text.startsWith(this.delimiter, i))) {
            this.endField(text, fieldStart, i);
            i += this.delimiter.length;
            fieldStart = i;
            this.previousWasCR = false;
            this.state = State.FieldStart;
            continue;
          }
          if (c === LF || c === CR) {
            this.endField(text, fieldStart, i);
            this.line++;
            i++;
            this.endRecord(recordStart, i);
            fieldStart = recordStart = i;
            continue;
          }
          if (c === quote) {
            if (this.state === State.FieldStart) {
              this.state = State.Quoted;
              fieldStart = i + 1;
              i++;
              continue;
            }
            this.malformed ??= `a quote inside an unquoted field (field ${this.fields.length + 1}; quote the field and double its quotes)`;
          }
          this.state = State.Unquoted;
          i++;
          continue;
        }
        case State.Quoted: {
          if (c === escape && escape !== quote) {
            this.state = State.QuotedEscape;
          } else if (c === quote) {
            this.state = State.QuoteSeen;
          } else if (c === LF) {
            if (!afterCR) this.line++;
          } else if (c === CR) {
            this.line++;
          }
          i++;
          continue;
        }
        case State.QuotedEscape: {
          if (c === quote || c === escape) {
            // Drop the escape character, keep the escaped one.
            if (i === 0) {
              // The escape ended the last piece, whose text is already in fieldParts.
              const last = this.fieldParts.pop() ?? "";
              this.fieldParts.push(last.slice(0, -1));
            } else {
              this.fieldParts.push(text.slice(fieldStart, i - 1));
            }
            fieldStart = i;
          } else if (c === LF) {
            if (!afterCR) this.line++;
          } else if (c === CR) {
            this.line++;
          }
          this.state = State.Quoted;
          i++;
          continue;
        }
        case State.QuoteSeen: {
          if (c === quote && escape === quote) {
            // A doubled quote: keep one (the first), drop the second. When the first ended the
            // last piece it was held back from the field text (it might have been the closing one).
            this.fieldParts.push(i === 0 ? String.fromCharCode(quote) : text.slice(fieldStart, i));
            fieldStart = i + 1;
            this.state = State.Quoted;
            i++;
            continue;
          }
          if (c === delimiterCode && (!multi || text.startsWith(this.delimiter, i))) {
            this.endField(text, fieldStart, i - 1);
            i += this.delimiter.length;
            fieldStart = i;
            this.previousWasCR = false;
            this.state = State.FieldStart;
            continue;
          }
          if (c === LF || c === CR) {
            this.endField(text, fieldStart, i - 1);
            this.line++;
            i++;
            this.endRecord(recordStart, i);
            fieldStart = recordStart = i;
            this.state = State.FieldStart;
            continue;
          }
          this.malformed ??= `text after the closing quote of field ${this.fields.length + 1}`;
          if (i === 0) this.fieldParts.push(String.fromCharCode(quote)); // the held-back quote
          this.state = State.Unquoted;
          i++;
          continue;
        }
        case State.Comment: {
          if (c === LF || c === CR) {
            this.line++;
            this.resetRecord();
            fieldStart = recordStart = i + 1;
          }
          i++;
          continue;
        }
      }
    }
    // The piece ends inside a record: keep its field text so far, and bound the record's size.
    // (A delimiter that started before `limit` may have taken i past it.)
    if (this.recordStarted && this.state !== State.Comment) {
      // A quote that ends the piece is held back: it is the closing one or half of a pair.
      const end = this.state === State.QuoteSeen ? i - 1 : i;
      if (!this.oversized && end > fieldStart) this.fieldParts.push(text.slice(fieldStart, end));
      this.recordCharsBefore += i - recordStart;
      if (this.recordCharsBefore > this.maxRecordChars) this.markOversized();
    }
    this.scannedChars += i;
    return i;
  }

  private endField(text: string, from: number, to: number): void {
    if (this.oversized) return; // its text is not kept
    const tail = to > from ? text.slice(from, to) : "";
    if (this.fieldParts.length === 0) this.fields.push(tail);
    else {
      this.fieldParts.push(tail);
      this.fields.push(this.fieldParts.join(""));
      this.fieldParts = [];
    }
  }

  private markOversized(): void {
    this.oversized = true;
    this.fields = [];
    this.fieldParts = [];
  }

  private endRecord(recordStart: number, end: number): void {
    const chars = this.recordCharsBefore + (end - recordStart);
    if (!this.oversized && chars > this.maxRecordChars) this.markOversized();
    this.onRecord({
      fields: this.fields,
      line: this.recordLine,
      lastLine: Math.max(this.recordLine, this.line - 1),
      malformed: this.malformed,
      oversized: this.oversized,
    });
    this.resetRecord();
  }

  private resetRecord(): void {
    this.state = State.FieldStart;
    this.fields = [];
    this.fieldParts = [];
    this.recordStarted = false;
    this.recordCharsBefore = 0;
    this.malformed = undefined;
    this.oversized = false;
  }
}

/** Code of a one-character option (quote, escape, comment), -1 for none. */
export function optionByte(name: string, value: string | false | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === false || value === "") return -1;
  const code = value.charCodeAt(0);
  if (value.length !== 1 || code > 127) {
    throw new ValueError(`${name}: expected one ASCII character (got ${JSON.stringify(value)})`);
  }
  return code;
}
