// io/web/model-archive: a saved model as one file, a zip archive of its directory (model.json and
// weights.safetensors at the root, stored), for downloadModel and loadModelFromFile/loadModelFromUrl.
// Unzipped, it is a model directory loadModel reads; zipped again by any tool (deflated, or with the
// files in one folder) it still loads: deflated entries are inflated with DecompressionStream,
// bounded by their declared size, and checked against their CRC-32. No node:* import.
import { FormatError } from "../../core/errors.js";
import type { Model } from "../../models/model.js";
import { MODEL_JSON, WEIGHTS_FILE } from "../model-format.js";
import {
  checkModelJsonSize,
  checkWeightsSize,
  type LoadedModel,
  type LoadOptions,
  modelFromBytes,
  parseModelJson,
} from "../model-from-bytes.js";
import { modelToBytes } from "../model-to-bytes.js";
import type { SaveOptions } from "../save-info.js";
import { crc32 } from "../zip/crc32.js";
import { writeZip, zipParts } from "../zip/write-zip.js";
import {
  checkEntry,
  missingEntry,
  packedData,
  readCentralDirectory,
  STORED,
  type ZipEntry,
} from "../zip/zip-directory.js";

/** The media type of a model archive. */
export const MODEL_ARCHIVE_TYPE = "application/zip";

/** The pieces of a model's archive (a Blob is made of them without another copy of the weights). */
export async function modelArchiveParts(model: Model, options: SaveOptions = {}): Promise<Uint8Array[]> {
  const { files } = await modelToBytes(model, options);
  return zipParts(files);
}

/**
 * A model as one zip file holding its directory (model.json + weights.safetensors).
 * @example
 * const bytes = await modelToZip(model); // unzip it, or loadModelFromFile(new Blob([bytes]))
 */
export async function modelToZip(model: Model, options: SaveOptions = {}): Promise<Uint8Array> {
  return writeZip((await modelToBytes(model, options)).files);
}

/** Whether the bytes start as a zip archive does (a local file header). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;
}

/** Inflates a raw-deflate entry, refusing output beyond the size its header declares. */
async function inflateEntry(packed: Uint8Array, entry: ZipEntry, source: string): Promise<Uint8Array> {
  if (typeof DecompressionStream !== "function") {
    throw new FormatError(
      `${source}: "${entry.name}" is deflated and this host has no DecompressionStream; store it uncompressed (zip -0)`,
    );
  }
  const out = new Uint8Array(entry.size);
  let at = 0;
  try {
    const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.length > out.length) {
        await reader.cancel();
        throw new FormatError(
          `${source}: "${entry.name}" inflates to more than the ${entry.size} bytes its header says`,
        );
      }
      out.set(value, at);
      at += value.length;
    }
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw new FormatError(`${source}: "${entry.name}" does not inflate (${(error as Error).message})`);
  }
  return out.subarray(0, at);
}

async function readEntry(bytes: Uint8Array, entry: ZipEntry, source: string): Promise<Uint8Array> {
  const packed = packedData(bytes, entry, source);
  const out = entry.method === STORED ? packed : await inflateEntry(packed, entry, source);
  return checkEntry(out, crc32(out), entry, source);
}

/** The folder inside the archive that holds model.json ("" at the root), refusing zero or several. */
function modelFolder(entries: ReadonlyMap<string, ZipEntry>, source: string): string {
  const folders = [...entries.keys()]
    .filter(
      (name) => (name === MODEL_JSON || name.endsWith(`/${MODEL_JSON}`)) && !name.startsWith("__MACOSX/"),
    )
    .map((name) => name.slice(0, name.length - MODEL_JSON.length));
  if (folders.length === 0) throw missingEntry(entries, MODEL_JSON, source);
  if (folders.length > 1) {
    throw new FormatError(
      `${source}: the archive holds ${folders.length} models (${folders.map((f) => `${f}${MODEL_JSON}`).join(", ")}); expected one`,
    );
  }
  return folders[0]!;
}

/**
 * A model from a zip archive of its directory, validated as loadModel validates the files.
 * `source` names the archive in errors (a file name or URL).
 */
export async function modelFromZip(
  bytes: Uint8Array,
  source: string,
  options: LoadOptions = {},
): Promise<LoadedModel> {
  const entries = readCentralDirectory(bytes, source);
  const folder = modelFolder(entries, source);
  const jsonName = `${folder}${MODEL_JSON}`;
  const weightsName = `${folder}${WEIGHTS_FILE}`;
  const jsonEntry = entries.get(jsonName)!;
  const weightsEntry = entries.get(weightsName);
  if (weightsEntry === undefined) throw missingEntry(entries, weightsName, source);
  const where = { json: `${source}/${jsonName}`, weights: `${source}/${weightsName}` };
  // Sizes are checked from the directory before anything is inflated (a declared size is a bound).
  checkModelJsonSize(jsonEntry.size, where.json, options);
  const json = await readEntry(bytes, jsonEntry, source);
  checkWeightsSize(weightsEntry.size, parseModelJson(json, where.json), where.weights, options);
  const weights = await readEntry(bytes, weightsEntry, source);
  return modelFromBytes(json, weights, {
    ...options,
    where,
    dir: source,
  });
}
