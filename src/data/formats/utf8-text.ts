// data/formats/utf8-text: UTF-8 bytes, arriving in pieces, to text, with invalid bytes either refused
// (where exactly: the byte offset, for the reader to turn into line and column) or replaced by
// U+FFFD and counted, never replaced silently. Shared by the CSV and JSON readers. Layer: data.
//
// Each piece is decoded whole by a fatal TextDecoder; a multi-byte sequence cut by the piece's
// end waits in `tail` for the next piece (instead of TextDecoder's stream mode, whose state is
// lost when it throws, and which would hide where the bad byte was).

import { ValueError } from "../../core/errors.js";

/** What a reader does with bytes that are not UTF-8: refuse them (default) or replace and count. */
export type InvalidUtf8 = "error" | "replace";

export function checkInvalidUtf8(op: string, value: unknown): InvalidUtf8 {
  if (value === undefined) return "error";
  if (value === "error" || value === "replace") return value;
  throw new ValueError(`${op}: invalidUtf8 must be "error" or "replace" (got ${JSON.stringify(value)})`);
}

/** Where decoding stopped: the text before the bad byte and the bad byte's offset in the input. */
export interface Utf8Failure {
  validText: string;
  /** Byte offset of the first invalid byte from the start of the input. */
  offset: number;
  /** The invalid byte. */
  byte: number;
}

const EMPTY = new Uint8Array(0);

/** The problem text of a ReadError for invalid UTF-8, `column` counted in characters from 1. */
export function invalidUtf8Problem(failure: Utf8Failure, column: number): string {
  const byte = `0x${failure.byte.toString(16).toUpperCase().padStart(2, "0")}`;
  return `column ${column}: invalid UTF-8 (byte ${byte} at byte offset ${failure.offset}; pass invalidUtf8: "replace" to read it as U+FFFD)`;
}

export class Utf8Pieces {
  private readonly fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  private readonly lenient = new TextDecoder("utf-8", { ignoreBOM: true });
  private tail: Uint8Array = EMPTY;
  private bytesBefore = 0;
  private first = true;
  /** U+FFFD characters put in place of invalid bytes (mode "replace"). */
  replaced = 0;

  constructor(readonly mode: InvalidUtf8) {}

  /**
   * The text of `bytes` (plus what the last piece left unfinished). Returns a Utf8Failure instead
   * when mode is "error" and a byte is not UTF-8. A leading byte-order mark is dropped.
   */
  decode(bytes: Uint8Array, final: boolean): string | Utf8Failure {
    let data = bytes;
    if (this.tail.length > 0) {
      data = new Uint8Array(this.tail.length + bytes.length);
      data.set(this.tail);
      data.set(bytes, this.tail.length);
    }
    const start = this.bytesBefore - this.tail.length;
    const cut = final ? data.length : completeEnd(data);
    this.tail = cut === data.length ? EMPTY : data.slice(cut);
    this.bytesBefore += bytes.length;
    const body = data.subarray(0, cut);
    let text: string;
    try {
      text = this.fatal.decode(body);
    } catch {
      const bad = firstInvalidUtf8(body);
      if (this.mode === "error") {
        const validText = this.withoutBom(this.lenient.decode(body.subarray(0, bad)));
        return { validText, offset: start + bad, byte: body[bad] ?? 0 };
      }
      text = this.lenient.decode(body);
      this.replaced += countReplacements(text) - countLiteralReplacements(body);
    }
    return this.withoutBom(text);
  }

  private withoutBom(text: string): string {
    if (!this.first) return text;
    if (text.length > 0) this.first = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

/** Offset just past the last complete UTF-8 sequence (a sequence cut by the end waits). */
function completeEnd(data: Uint8Array): number {
  const n = data.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const b = data[n - k]!;
    if (b < 0x80) return n;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return length > k ? n - k : n;
    }
  }
  return n;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence, or the length if none. */
export function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0 || i + need >= n) return i;
    const second = b[i + 1]!;
    const low = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const high = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (second < low || second > high) return i;
    for (let k = 2; k <= need; k++) {
      const next = b[i + k]!;
      if (next < 0x80 || next > 0xbf) return i;
    }
    i += need + 1;
  }
  return n;
}

function countReplacements(text: string): number {
  let count = 0;
  for (let at = text.indexOf("\ufffd"); at >= 0; at = text.indexOf("\ufffd", at + 1)) count++;
  return count;
}

/** U+FFFD written in the input itself (EF BF BD): not a replacement. */
function countLiteralReplacements(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.indexOf(0xef); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1)) {
    if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) count++;
  }
  return count;
}
