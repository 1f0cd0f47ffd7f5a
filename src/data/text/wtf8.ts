// data/text/wtf8: UTF-8 for any JavaScript string, lone surrogates included (the "WTF-8"
// generalisation), so byte-level tokenizers round-trip every string exactly. TextEncoder would
// replace a lone surrogate with U+FFFD and lose it. Layer: data (no imports).

/** The bytes of a string: UTF-8, with each lone surrogate written as its own 3-byte sequence. */
export function encodeWtf8(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (code < 0x80) out[n++] = code;
    else if (code < 0x800) {
      out[n++] = 0xc0 | (code >> 6);
      out[n++] = 0x80 | (code & 0x3f);
    } else if (code < 0x10000) {
      out[n++] = 0xe0 | (code >> 12);
      out[n++] = 0x80 | ((code >> 6) & 0x3f);
      out[n++] = 0x80 | (code & 0x3f);
    } else {
      out[n++] = 0xf0 | (code >> 18);
      out[n++] = 0x80 | ((code >> 12) & 0x3f);
      out[n++] = 0x80 | ((code >> 6) & 0x3f);
      out[n++] = 0x80 | (code & 0x3f);
    }
  }
  return out.slice(0, n);
}

/**
 * The string of some bytes: the inverse of encodeWtf8 on its outputs. Bytes that do not form a
 * sequence encodeWtf8 could write (a token cut mid-character, say) decode as U+FFFD, one per byte.
 */
export function decodeWtf8(bytes: ArrayLike<number>): string {
  const units: number[] = [];
  let text = "";
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b0 = bytes[i]!;
    let code = -1;
    let width = 1;
    if (b0 < 0x80) code = b0;
    else if (b0 >= 0xc2 && b0 <= 0xdf) {
      width = 2;
      if (isCont(bytes, i + 1)) code = ((b0 & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      width = 3;
      if (isCont(bytes, i + 1) && isCont(bytes, i + 2)) {
        const c = ((b0 & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
        if (c >= 0x800) code = c; // surrogates allowed: that is the WTF-8 part
      }
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      width = 4;
      if (isCont(bytes, i + 1) && isCont(bytes, i + 2) && isCont(bytes, i + 3)) {
        const c =
          ((b0 & 0x07) << 18) |
          ((bytes[i + 1]! & 0x3f) << 12) |
          ((bytes[i + 2]! & 0x3f) << 6) |
          (bytes[i + 3]! & 0x3f);
        if (c >= 0x10000 && c <= 0x10ffff) code = c;
      }
    }
    if (code < 0) {
      units.push(0xfffd);
      i += 1;
    } else {
      if (code >= 0x10000) {
        const v = code - 0x10000;
        units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
      } else units.push(code);
      i += width;
    }
    if (units.length >= 8192) {
      text += String.fromCharCode(...units);
      units.length = 0;
    }
  }
  return text + String.fromCharCode(...units);
}

function isCont(bytes: ArrayLike<number>, i: number): boolean {
  return i < bytes.length && (bytes[i]! & 0xc0) === 0x80;
}
