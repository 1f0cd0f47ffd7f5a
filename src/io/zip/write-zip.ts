// io/zip/write-zip: writes a zip archive, as the pieces of the file in order (a Blob or a file is
// made of them without one more copy of the data) or as one buffer. Entries are stored by default
// (safetensors weights barely compress, and every unzip tool reads it), or deflated by the raw
// DEFLATE function the caller gives (node:zlib's deflateRawSync in Node); names are UTF-8 (flag
// bit 11). Entries of 4 GiB or more would need zip64: refused.
// Layer: io (no node:* import).
import { ValueError } from "../../core/errors.js";
import { crc32 } from "./crc32.js";
import {
  CENTRAL_SIGNATURE,
  DEFLATED,
  dataView,
  EOCD_SIGNATURE,
  LOCAL_SIGNATURE,
  STORED,
} from "./zip-directory.js";

const VERSION_NEEDED = 20; // 2.0: what stored entries in folders need
const UTF8_NAMES = 0x0800;
const LIMIT = 0xffffffff;

/** MS-DOS time and date words (2-second resolution, local fields taken as UTC). */
function dosTime(when: Date): { time: number; date: number } {
  const year = Math.min(2107, Math.max(1980, when.getUTCFullYear()));
  return {
    time: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | (when.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
  };
}

export interface ZipWriteOptions {
  /** Modification time of every entry (default now). */
  modified?: Date;
  /** Raw DEFLATE (RFC 1951) of an entry's bytes; given, entries are deflated, else stored. */
  deflate?: (bytes: Uint8Array) => Uint8Array;
}

/**
 * The pieces of a zip archive holding `files` (name to bytes or UTF-8 text) in the given order.
 * @example
 * const blob = new Blob(zipParts({ "model.json": text, "weights.safetensors": bytes }));
 */
export function zipParts(
  files: Readonly<Record<string, Uint8Array | string>>,
  options: ZipWriteOptions = {},
): Uint8Array[] {
  const { time, date } = dosTime(options.modified ?? new Date());
  const method = options.deflate === undefined ? STORED : DEFLATED;
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  let count = 0;
  for (const [name, content] of Object.entries(files)) {
    const nameBytes = encoder.encode(name);
    const data = typeof content === "string" ? encoder.encode(content) : content;
    if (name.length === 0 || nameBytes.length > 0xffff) throw new ValueError(`zip: bad entry name "${name}"`);
    if (data.length >= LIMIT || offset >= LIMIT) {
      throw new ValueError(
        `zip: "${name}" does not fit an archive without zip64 (4 GiB per entry and in all)`,
      );
    }
    const crc = crc32(data);
    const packed = options.deflate === undefined ? data : options.deflate(data);
    // The local header and the central directory entry share these fields in this order.
    const header = (view: DataView, at: number) => {
      view.setUint16(at, VERSION_NEEDED, true);
      view.setUint16(at + 2, UTF8_NAMES, true);
      view.setUint16(at + 4, method, true);
      view.setUint16(at + 6, time, true);
      view.setUint16(at + 8, date, true);
      view.setUint32(at + 10, crc, true);
      view.setUint32(at + 14, packed.length, true);
      view.setUint32(at + 18, data.length, true);
      view.setUint16(at + 22, nameBytes.length, true);
    };
    const local = new Uint8Array(30 + nameBytes.length);
    dataView(local).setUint32(0, LOCAL_SIGNATURE, true);
    header(dataView(local), 4);
    local.set(nameBytes, 30);
    const entry = new Uint8Array(46 + nameBytes.length);
    const c = dataView(entry);
    c.setUint32(0, CENTRAL_SIGNATURE, true);
    c.setUint16(4, VERSION_NEEDED, true); // made by: MS-DOS attributes, version 2.0
    header(c, 6);
    c.setUint32(42, offset, true);
    entry.set(nameBytes, 46);
    parts.push(local, packed);
    central.push(entry);
    offset += local.length + packed.length;
    count++;
  }
  if (count > 0xfffe) throw new ValueError(`zip: ${count} entries need zip64`);
  const centralSize = central.reduce((sum, e) => sum + e.length, 0);
  if (offset + centralSize >= LIMIT) throw new ValueError("zip: the archive needs zip64 (4 GiB or more)");
  const end = new Uint8Array(22);
  const e = dataView(end);
  e.setUint32(0, EOCD_SIGNATURE, true);
  e.setUint16(8, count, true);
  e.setUint16(10, count, true);
  e.setUint32(12, centralSize, true);
  e.setUint32(16, offset, true);
  return [...parts, ...central, end];
}

/** A zip archive holding `files`, as one buffer. */
export function writeZip(
  files: Readonly<Record<string, Uint8Array | string>>,
  options: ZipWriteOptions = {},
): Uint8Array {
  const parts = zipParts(files, options);
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
