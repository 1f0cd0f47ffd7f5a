// io/zip/read-zip: a reader for the zip archives that model formats use (Keras 3 `.keras` files).
// Reads the central directory from the end-of-central-directory record, then each entry's local
// header; entries are stored (method 0) or deflated (method 8, node:zlib inflateRaw bounded by the
// declared size) and checked against their CRC-32. Zip64, encryption and multi-disk archives are
// refused with a FormatError, as is every offset or length that points outside the buffer.
import { crc32, inflateRawSync } from "node:zlib";
import { FormatError } from "../../core/errors.js";

/** One file of an archive, as listed in its central directory. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly crc: number;
  readonly localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/** A zip archive held in memory. */
export class ZipArchive {
  readonly entries: ReadonlyMap<string, ZipEntry>;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly source = "zip",
  ) {
    this.entries = readCentralDirectory(bytes, source);
  }

  /** Whether the archive holds a file called `name`. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The uncompressed bytes of `name` (FormatError when absent, corrupt or unsupported). */
  read(name: string): Uint8Array {
    const entry = this.entries.get(name);
    if (entry === undefined) {
      const names = [...this.entries.keys()].slice(0, 10).join(", ");
      throw new FormatError(`${this.source}: no entry "${name}" in the archive (it holds ${names})`);
    }
    return readEntry(this.bytes, entry, this.source);
  }

  /** The entry `name` decoded as UTF-8 text. */
  readText(name: string): string {
    return new TextDecoder("utf-8", { fatal: false }).decode(this.read(name));
  }
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function findEndRecord(bytes: Uint8Array, source: string): number {
  const data = view(bytes);
  // the record is 22 bytes plus a comment of at most 65535 bytes
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (data.getUint32(at, true) === EOCD_SIGNATURE) return at;
  }
  throw new FormatError(`${source}: not a zip archive (no end-of-central-directory record)`);
}

function readCentralDirectory(bytes: Uint8Array, source: string): Map<string, ZipEntry> {
  if (bytes.length < 22) throw new FormatError(`${source}: not a zip archive (${bytes.length} bytes)`);
  const data = view(bytes);
  const end = findEndRecord(bytes, source);
  const disk = data.getUint16(end + 4, true);
  const count = data.getUint16(end + 10, true);
  const dirSize = data.getUint32(end + 12, true);
  const dirOffset = data.getUint32(end + 16, true);
  if (disk !== 0) throw new FormatError(`${source}: multi-disk zip archives are not supported`);
  if (count === 0xffff || dirOffset === 0xffffffff) {
    throw new FormatError(`${source}: zip64 archives are not supported`);
  }
  if (dirOffset + dirSize > end) {
    throw new FormatError(`${source}: central directory (${dirOffset}+${dirSize}) runs past its end record`);
  }
  const entries = new Map<string, ZipEntry>();
  let at = dirOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || data.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw new FormatError(`${source}: central directory entry ${i} is corrupt`);
    }
    const flags = data.getUint16(at + 8, true);
    const nameLength = data.getUint16(at + 28, true);
    const extraLength = data.getUint16(at + 30, true);
    const commentLength = data.getUint16(at + 32, true);
    if (at + 46 + nameLength > end)
      throw new FormatError(`${source}: entry ${i}'s name runs past the directory`);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (flags & 1) throw new FormatError(`${source}: entry "${name}" is encrypted`);
    const entry: ZipEntry = {
      name,
      method: data.getUint16(at + 10, true),
      crc: data.getUint32(at + 16, true),
      compressedSize: data.getUint32(at + 20, true),
      size: data.getUint32(at + 24, true),
      localHeaderOffset: data.getUint32(at + 42, true),
    };
    if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff) {
      throw new FormatError(`${source}: entry "${name}" needs zip64, which is not supported`);
    }
    entries.set(name, entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function readEntry(bytes: Uint8Array, entry: ZipEntry, source: string): Uint8Array {
  const data = view(bytes);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || data.getUint32(at, true) !== LOCAL_SIGNATURE) {
    throw new FormatError(`${source}: local header of "${entry.name}" is missing or corrupt`);
  }
  const start = at + 30 + data.getUint16(at + 26, true) + data.getUint16(at + 28, true);
  if (start + entry.compressedSize > bytes.length) {
    throw new FormatError(`${source}: data of "${entry.name}" runs past the end of the archive`);
  }
  const packed = bytes.subarray(start, start + entry.compressedSize);
  let out: Uint8Array;
  if (entry.method === 0) {
    out = packed;
  } else if (entry.method === 8) {
    try {
      out = entry.size === 0 ? new Uint8Array(0) : inflateRawSync(packed, { maxOutputLength: entry.size });
    } catch (error) {
      throw new FormatError(`${source}: "${entry.name}" does not inflate (${(error as Error).message})`);
    }
  } else {
    throw new FormatError(
      `${source}: "${entry.name}" uses compression method ${entry.method} (expected 0 stored or 8 deflate)`,
    );
  }
  if (out.length !== entry.size) {
    throw new FormatError(
      `${source}: "${entry.name}" holds ${out.length} bytes, its header says ${entry.size}`,
    );
  }
  if (crc32(out) >>> 0 !== entry.crc >>> 0)
    throw new FormatError(`${source}: CRC-32 mismatch in "${entry.name}"`);
  return out;
}
