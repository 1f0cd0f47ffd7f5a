// io/hdf5/byte-reader: bounds-checked little-endian reads over an HDF5 file held in memory. Every
// structure of the format is read through this, so an offset or length pointing outside the file
// is a FormatError naming what was being read, never a RangeError or a read of garbage.
import { FormatError } from "../../core/errors.js";

/** The sizes the superblock fixes for the whole file. */
export interface FileSizes {
  /** Bytes in an address ("size of offsets"), 2, 4 or 8. */
  readonly offsetSize: number;
  /** Bytes in a length ("size of lengths"), 2, 4 or 8. */
  readonly lengthSize: number;
}

/** The "undefined address" of HDF5: all bits set. */
export const UNDEFINED_ADDRESS = Number.MAX_SAFE_INTEGER;

export class ByteReader {
  readonly data: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly source: string,
  ) {
    this.data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(message: string): never {
    throw new FormatError(`${this.source}: ${message}`);
  }

  /** Throws unless [at, at + length) lies inside the file. */
  check(at: number, length: number, what: string): void {
    if (!Number.isSafeInteger(at) || at < 0 || length < 0 || at + length > this.bytes.length) {
      this.fail(`${what} at byte ${at} (+${length}) lies outside the ${this.bytes.length}-byte file`);
    }
  }

  u8(at: number, what: string): number {
    this.check(at, 1, what);
    return this.data.getUint8(at);
  }

  u16(at: number, what: string): number {
    this.check(at, 2, what);
    return this.data.getUint16(at, true);
  }

  u32(at: number, what: string): number {
    this.check(at, 4, what);
    return this.data.getUint32(at, true);
  }

  /** An unsigned integer of 1, 2, 4 or 8 bytes; all bits set reads as UNDEFINED_ADDRESS. */
  uint(at: number, size: number, what: string): number {
    this.check(at, size, what);
    if (size === 1) return this.data.getUint8(at);
    if (size === 2) return this.data.getUint16(at, true);
    if (size === 4) {
      const v = this.data.getUint32(at, true);
      return v === 0xffffffff ? UNDEFINED_ADDRESS : v;
    }
    if (size === 8) {
      const low = this.data.getUint32(at, true);
      const high = this.data.getUint32(at + 4, true);
      if (low === 0xffffffff && high === 0xffffffff) return UNDEFINED_ADDRESS;
      if (high > 0x1fffff) this.fail(`${what} at byte ${at} is too large (${high} * 2^32)`);
      return high * 2 ** 32 + low;
    }
    return this.fail(`${what}: unsupported integer size ${size}`);
  }

  /** Bytes [at, at + length) as a view (no copy). */
  slice(at: number, length: number, what: string): Uint8Array {
    this.check(at, length, what);
    return this.bytes.subarray(at, at + length);
  }

  /** The 4-character signature at `at` must be `expected`. */
  signature(at: number, expected: string, what: string): void {
    const got = new TextDecoder("latin1").decode(this.slice(at, expected.length, what));
    if (got !== expected) this.fail(`${what} at byte ${at}: expected signature "${expected}" (got "${got}")`);
  }

  /** A NUL-terminated string starting at `at`, at most `limit` bytes. */
  cString(at: number, limit: number, what: string): string {
    const end = Math.min(this.bytes.length, at + limit);
    this.check(at, 0, what);
    let stop = at;
    while (stop < end && this.bytes[stop] !== 0) stop++;
    if (stop === end) this.fail(`${what} at byte ${at} is not NUL-terminated`);
    return new TextDecoder("utf-8").decode(this.bytes.subarray(at, stop));
  }
}
