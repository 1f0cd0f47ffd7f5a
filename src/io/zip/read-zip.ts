// io/zip/read-zip: a reader for the zip archives that model formats use (Keras 3 `.keras` files).
// The central directory and local headers are read by zip-directory.ts (portable); entries are
// stored (method 0) or deflated (method 8, node:zlib inflateRaw bounded by the declared size) and
// checked against their CRC-32. Zip64, encryption and multi-disk archives are refused with a
// FormatError, as is every offset or length that points outside the buffer.
import { crc32, inflateRawSync } from "node:zlib";
import { FormatError } from "../../core/errors.js";
import {
  checkEntry,
  missingEntry,
  packedData,
  readCentralDirectory,
  STORED,
  type ZipEntry,
} from "./zip-directory.js";

export type { ZipEntry } from "./zip-directory.js";

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
    if (entry === undefined) throw missingEntry(this.entries, name, this.source);
    return readEntry(this.bytes, entry, this.source);
  }

  /** The entry `name` decoded as UTF-8 text. */
  readText(name: string): string {
    return new TextDecoder("utf-8", { fatal: false }).decode(this.read(name));
  }
}

function readEntry(bytes: Uint8Array, entry: ZipEntry, source: string): Uint8Array {
  const packed = packedData(bytes, entry, source);
  let out: Uint8Array;
  if (entry.method === STORED) {
    out = packed;
  } else {
    try {
      out = entry.size === 0 ? new Uint8Array(0) : inflateRawSync(packed, { maxOutputLength: entry.size });
    } catch (error) {
      throw new FormatError(`${source}: "${entry.name}" does not inflate (${(error as Error).message})`);
    }
  }
  return checkEntry(out, crc32(out), entry, source);
}
