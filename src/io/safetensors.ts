// io/safetensors: reader and writer for the safetensors format, written from its published
// description: an 8-byte little-endian u64 header length N, N bytes of UTF-8 JSON
// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {string: string}} (optionally
// padded with spaces), then the raw little-endian tensor bytes, offsets relative to the data start.
//
// The reader treats the file as hostile: header size capped, strict JSON (no duplicate names, no
// integers beyond 2^53), offsets starting at 0, contiguous, non-overlapping and covering the data
// exactly, byte length == shape x element size, file length exact. Nothing is allocated from a
// declared shape before it has been checked against the bytes actually present, so memory use is
// bounded by the file's size (at most 4x, for 8-bit integers widened to int32).
import type { DType } from "../core/dtype.js";
import { FormatError, ValueError } from "../core/errors.js";
import { setOwnValue } from "../data/table/record-keys.js";
import { Tensor } from "../tensor/tensor.js";
import {
  decodeElements,
  encodeElements,
  isSafetensorsDType,
  SAFETENSORS_DTYPES,
  type SafetensorsDType,
  WRITE_DTYPE,
} from "./safetensors-dtypes.js";
import { isJsonObject, parseStrictJson } from "./strict-json.js";

/** Largest header accepted, as in the reference implementation (100 MB). */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;
const METADATA_KEY = "__metadata__";

/** One tensor's entry in a safetensors header. */
export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** Byte range relative to the start of the data section. */
  readonly begin: number;
  readonly end: number;
}

/** A validated header: entries in file order, the metadata map, and where the data starts. */
export interface SafetensorsHeader {
  readonly entries: readonly SafetensorsEntry[];
  readonly metadata: Readonly<Record<string, string>>;
  /** Absolute byte offset of the data section (8 + header length). */
  readonly dataStart: number;
}

/** A decoded file: tensors by name (in file order), metadata, and each tensor's dtype in the file. */
export interface SafetensorsContents {
  readonly tensors: Map<string, Tensor>;
  readonly metadata: Record<string, string>;
  readonly fileDTypes: Map<string, SafetensorsDType>;
}

/**
 * Parses and validates the header at the start of `prefix` (the first bytes of a file whose total
 * length is `fileLength`). `prefix` must hold at least the 8 length bytes and the header itself.
 */
export function parseSafetensorsHeader(
  prefix: Uint8Array,
  fileLength: number,
  where: string,
): SafetensorsHeader {
  const fail = (problem: string): never => {
    throw new FormatError(`${where}: not a valid safetensors file: ${problem}`);
  };
  if (fileLength < 8 || prefix.length < 8)
    fail(`file is ${fileLength} bytes, shorter than the 8-byte header length`);
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES))
    fail(`header length ${declared} exceeds the ${MAX_HEADER_BYTES}-byte cap`);
  const headerLength = Number(declared);
  if (8 + headerLength > fileLength) {
    fail(`header length ${headerLength} runs past the end of the file (${fileLength} bytes; truncated?)`);
  }
  if (prefix.length < 8 + headerLength) throw new ValueError(`${where}: header prefix too short to parse`);
  if (headerLength < 2 || prefix[8] !== 0x7b) fail("the header does not start with '{'");

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(prefix.subarray(8, 8 + headerLength));
  } catch {
    return fail("the header is not valid UTF-8");
  }
  // Padding spaces are JSON whitespace: the parser skips them in one pass (a regex strip of
  // trailing spaces backtracked over every run of spaces: quadratic, 200k spaces took 30 s).
  const header = parseStrictJson(text, `${where} (safetensors header)`, { nonNegativeIntegersOnly: true });
  if (!isJsonObject(header)) return fail("the header is not a JSON object");

  let metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      if (!isJsonObject(value)) return fail(`"${METADATA_KEY}" must be an object of strings`);
      metadata = {};
      for (const [key, item] of Object.entries(value)) {
        if (typeof item !== "string")
          fail(`"${METADATA_KEY}"."${key}" must be a string (got ${typeof item})`);
        setOwnValue(metadata, key, item as string); // a "__proto__" key is data, not a prototype
      }
      continue;
    }
    entries.push(parseEntry(name, value, fail));
  }

  // The data section must be tiled exactly: sorted by begin, each starts where the previous ended.
  const dataLength = fileLength - 8 - headerLength;
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const entry of byOffset) {
    if (entry.begin < cursor)
      fail(`tensor "${entry.name}" overlaps the previous tensor (begins at ${entry.begin})`);
    if (entry.begin > cursor)
      fail(`gap before tensor "${entry.name}" (bytes ${cursor}..${entry.begin} unused)`);
    if (entry.end > dataLength) {
      fail(
        `tensor "${entry.name}" ends at byte ${entry.end}, past the ${dataLength}-byte data section (truncated?)`,
      );
    }
    cursor = entry.end;
  }
  if (cursor !== dataLength) {
    fail(`${dataLength - cursor} trailing bytes after the last tensor (data section is ${dataLength} bytes)`);
  }
  return { entries: byOffset, metadata, dataStart: 8 + headerLength };
}

function parseEntry(name: string, value: unknown, fail: (problem: string) => never): SafetensorsEntry {
  const at = `tensor "${name}"`;
  if (name.length === 0) fail("a tensor has an empty name");
  if (!isJsonObject(value)) return fail(`${at}: entry must be an object`);
  for (const key of Object.keys(value)) {
    if (key !== "dtype" && key !== "shape" && key !== "data_offsets") fail(`${at}: unknown field "${key}"`);
  }
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== "string") return fail(`${at}: "dtype" must be a string`);
  if (!isSafetensorsDType(dtype)) return fail(`${at}: unsupported dtype "${dtype}"`);
  if (!Array.isArray(shape)) return fail(`${at}: "shape" must be an array of non-negative integers`);
  if (shape.length > 32) fail(`${at}: rank ${shape.length} exceeds 32`);
  if (!Array.isArray(offsets) || offsets.length !== 2)
    return fail(`${at}: "data_offsets" must be [begin, end]`);
  const [begin, end] = offsets as [number, number]; // strict parsing guarantees safe non-negative integers
  if (typeof begin !== "number" || typeof end !== "number")
    return fail(`${at}: "data_offsets" must be integers`);
  if (end < begin) fail(`${at}: data_offsets end ${end} is before begin ${begin}`);
  const byteLength = end - begin;
  // Multiply step by step and stop as soon as the product exceeds the bytes present: no overflow,
  // and no allocation is ever sized from the declared shape alone.
  let expected: number = SAFETENSORS_DTYPES[dtype].bytes;
  for (const dim of shape) {
    if (typeof dim !== "number") return fail(`${at}: "shape" must hold integers`);
    expected *= dim;
    if (expected > byteLength) break;
  }
  if (shape.includes(0)) expected = 0;
  if (expected !== byteLength) {
    fail(
      `${at}: shape [${shape.join(", ")}] of ${dtype} needs ${shape.includes(0) ? 0 : expected > byteLength ? `more than ${byteLength}` : expected} bytes but data_offsets span ${byteLength}`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/**
 * Decodes a whole safetensors file held in memory. `where` (a path) names the file in errors.
 * @example
 * const { tensors } = decodeSafetensors(bytes, "weights.safetensors");
 * tensors.get("dense_1/kernel")?.shape;
 */
export function decodeSafetensors(bytes: Uint8Array, where: string): SafetensorsContents {
  const header = parseSafetensorsHeader(bytes, bytes.length, where);
  const tensors = new Map<string, Tensor>();
  const fileDTypes = new Map<string, SafetensorsDType>();
  for (const entry of header.entries) {
    const slice = bytes.subarray(header.dataStart + entry.begin, header.dataStart + entry.end);
    const data = decodeElements(entry.dtype, slice, `${where}: tensor "${entry.name}"`);
    tensors.set(entry.name, new Tensor(data, entry.shape));
    fileDTypes.set(entry.name, entry.dtype);
  }
  return { tensors, metadata: { ...header.metadata }, fileDTypes };
}

/** Tensors to write: a Map or an array of [name, tensor] pairs (kept in that order within a dtype). */
export type NamedTensors = ReadonlyMap<string, Tensor> | readonly (readonly [string, Tensor])[];

/**
 * Encodes tensors (float32 -> F32, float64 -> F64, int32 -> I32, bool -> BOOL) and string metadata
 * as a safetensors file. Tensors are laid out widest element first, so every tensor's offset is a
 * multiple of its element size and the data section starts 8-byte aligned.
 */
export function encodeSafetensors(
  tensors: NamedTensors,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const list = [...tensors];
  const names = new Set<string>();
  for (const [name, t] of list) {
    if (name.length === 0 || name === METADATA_KEY)
      throw new ValueError(`safetensors: invalid tensor name "${name}"`);
    if (names.has(name)) throw new ValueError(`safetensors: duplicate tensor name "${name}"`);
    if (!(t instanceof Tensor)) throw new ValueError(`safetensors: "${name}" is not a Tensor`);
    names.add(name);
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== "string") throw new ValueError(`safetensors: metadata "${key}" must be a string`);
  }
  const bytesOf = (dtype: DType): number => SAFETENSORS_DTYPES[WRITE_DTYPE[dtype]].bytes;
  const ordered = list
    .map((pair, index) => ({ pair, index }))
    .sort((a, b) => bytesOf(b.pair[1].dtype) - bytesOf(a.pair[1].dtype) || a.index - b.index)
    .map(({ pair }) => pair);

  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header[METADATA_KEY] = { ...metadata };
  let offset = 0;
  for (const [name, t] of ordered) {
    const length = t.data.byteLength;
    setOwnValue(header, name, {
      dtype: WRITE_DTYPE[t.dtype],
      shape: [...t.shape],
      data_offsets: [offset, offset + length],
    });
    offset += length;
  }
  let headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(headerBytes.length / 8) * 8;
  if (padded !== headerBytes.length) {
    const withSpaces = new Uint8Array(padded).fill(0x20);
    withSpaces.set(headerBytes);
    headerBytes = withSpaces;
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const [, t] of ordered) {
    out.set(encodeElements(t.data), position);
    position += t.data.byteLength;
  }
  return out;
}
