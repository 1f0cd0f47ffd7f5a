// io/zip/zip-directory: the portable part of reading a zip archive, shared by read-zip.ts (Node,
// node:zlib inflate) and the browser's model archives (io/web/model-archive.ts, which inflates with
// DecompressionStream). Reads the central directory from the end-of-central-directory record and
// finds each entry's data through its local header; every offset or length that points outside the
// buffer, and zip64, encryption and multi-disk archives, are refused with a FormatError.
// Layer: io (no node:* import).
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

export const EOCD_SIGNATURE = 0x06054b50;
export const CENTRAL_SIGNATURE = 0x02014b50;
export const LOCAL_SIGNATURE = 0x04034b50;
/** Compression methods: stored and deflated. */
export const STORED = 0;
export const DEFLATED = 8;

export function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function findEndRecord(bytes: Uint8Array, source: string): number {
  const data = dataView(bytes);
  // the record is 22 bytes plus a comment of at most 65535 bytes
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (data.getUint32(at, true) === EOCD_SIGNATURE) return at;
  }
  throw new FormatError(`${source}: not a zip archive (no end-of-central-directory record)`);
}

/** The archive's entries by name, from its central directory. */
export function readCentralDirectory(bytes: Uint8Array, source: string): Map<string, ZipEntry> {
  if (bytes.length < 22) throw new FormatError(`${source}: not a zip archive (${bytes.length} bytes)`);
  const data = dataView(bytes);
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

/** The entry's data as stored in the archive (still compressed when its method is deflate). */
export function packedData(bytes: Uint8Array, entry: ZipEntry, source: string): Uint8Array {
  const data = dataView(bytes);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || data.getUint32(at, true) !== LOCAL_SIGNATURE) {
    throw new FormatError(`${source}: local header of "${entry.name}" is missing or corrupt`);
  }
  const start = at + 30 + data.getUint16(at + 26, true) + data.getUint16(at + 28, true);
  if (start + entry.compressedSize > bytes.length) {
    throw new FormatError(`${source}: data of "${entry.name}" runs past the end of the archive`);
  }
  if (entry.method !== STORED && entry.method !== DEFLATED) {
    throw new FormatError(
      `${source}: "${entry.name}" uses compression method ${entry.method} (expected 0 stored or 8 deflate)`,
    );
  }
  return bytes.subarray(start, start + entry.compressedSize);
}

/** Checks an entry's uncompressed bytes against its recorded size and CRC-32 (`crc` of `out`). */
export function checkEntry(out: Uint8Array, crc: number, entry: ZipEntry, source: string): Uint8Array {
  if (out.length !== entry.size) {
    throw new FormatError(
      `${source}: "${entry.name}" holds ${out.length} bytes, its header says ${entry.size}`,
    );
  }
  if (crc >>> 0 !== entry.crc >>> 0) throw new FormatError(`${source}: CRC-32 mismatch in "${entry.name}"`);
  return out;
}

/** A FormatError naming the archive's entries, for an entry that is not there. */
export function missingEntry(
  entries: ReadonlyMap<string, ZipEntry>,
  name: string,
  source: string,
): FormatError {
  const names = [...entries.keys()].slice(0, 10).join(", ");
  return new FormatError(`${source}: no entry "${name}" in the archive (it holds ${names})`);
}
