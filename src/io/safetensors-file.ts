// io/safetensors-file: reading and writing safetensors files on disk. Reads check the file size
// before reading it (so memory is bounded by what is really there); writes are atomic.
import { open, readFile, stat } from "node:fs/promises";
import { FormatError } from "../core/errors.js";
import { checkOptionKeys } from "../data/formats/read-report.js";
import { writeFileAtomic } from "./atomic-write.js";
import {
  decodeSafetensors,
  encodeSafetensors,
  type NamedTensors,
  parseSafetensorsHeader,
  type SafetensorsContents,
  type SafetensorsHeader,
} from "./safetensors.js";

export interface ReadSafetensorsOptions {
  /** Refuse files larger than this many bytes (default: no limit beyond the file system's). */
  maxFileBytes?: number;
}

async function checkedSize(path: string, options: ReadSafetensorsOptions): Promise<number> {
  const info = await stat(path);
  if (!info.isFile()) throw new FormatError(`${path}: not a regular file`);
  if (options.maxFileBytes !== undefined && info.size > options.maxFileBytes) {
    throw new FormatError(
      `${path}: file is ${info.size} bytes, above the ${options.maxFileBytes}-byte limit`,
    );
  }
  return info.size;
}

/** Reads and validates a whole safetensors file. Errors name the file and the problem. */
export async function readSafetensors(
  path: string,
  options: ReadSafetensorsOptions = {},
): Promise<SafetensorsContents> {
  checkOptionKeys("readSafetensors", options, ["maxFileBytes"]);
  await checkedSize(path, options);
  const bytes = await readFile(path);
  return decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}

/** Reads only the header of a safetensors file (names, dtypes, shapes, metadata), not the data. */
export async function readSafetensorsHeader(path: string): Promise<SafetensorsHeader> {
  const size = await checkedSize(path, {});
  const handle = await open(path, "r");
  try {
    const lengthBytes = new Uint8Array(8);
    await handle.read(lengthBytes, 0, 8, 0);
    const declared = size >= 8 ? new DataView(lengthBytes.buffer).getBigUint64(0, true) : 0n;
    // Let the parser report an oversized or out-of-range length before anything is allocated.
    const want = declared <= BigInt(Math.max(size - 8, 0)) ? 8 + Number(declared) : 8;
    const prefix = new Uint8Array(Math.min(want, size));
    await handle.read(prefix, 0, prefix.length, 0);
    return parseSafetensorsHeader(prefix, size, path);
  } finally {
    await handle.close();
  }
}

/** Writes tensors and string metadata to `path` atomically (see encodeSafetensors for the layout). */
export async function writeSafetensors(
  path: string,
  tensors: NamedTensors,
  metadata: Readonly<Record<string, string>> = {},
): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}
