// io/hdf5/dataset: reading a dataset's values. Layouts: compact, contiguous, and chunked with a
// version 1 B-tree chunk index (layout message versions 1 to 3, what h5py writes by default) or a
// single chunk (version 4). Filters: deflate (zlib), shuffle and fletcher32 (checksum dropped);
// any other filter is a FormatError naming it. Values come back as float64 in row-major order.
import { inflateSync } from "node:zlib";
import type { ByteReader, FileSizes } from "./byte-reader.js";
import { UNDEFINED_ADDRESS } from "./byte-reader.js";
import { decodeElements, type NumericType } from "./datatype.js";
import type { HeaderMessage } from "./object-header.js";

type Layout =
  | { kind: "compact"; at: number; size: number }
  | { kind: "contiguous"; address: number }
  | { kind: "btree"; address: number; chunk: number[] }
  | { kind: "single"; address: number; size: number; chunk: number[] };

/** Reads a data layout message. */
export function readLayout(reader: ByteReader, sizes: FileSizes, m: HeaderMessage, rank: number): Layout {
  const version = reader.u8(m.at, "layout");
  const O = sizes.offsetSize;
  if (version === 1 || version === 2) {
    const dims = reader.u8(m.at + 1, "layout");
    const cls = reader.u8(m.at + 2, "layout");
    let at = m.at + 8;
    const address = cls === 0 ? 0 : reader.uint(at, O, "layout address");
    if (cls !== 0) at += O;
    const chunk: number[] = [];
    for (let i = 0; i < dims; i++) chunk.push(reader.u32(at + 4 * i, "layout dimension"));
    at += 4 * dims;
    if (cls === 0) return { kind: "compact", at: at + 4, size: reader.u32(at, "compact size") };
    if (cls === 1) return { kind: "contiguous", address };
    if (cls === 2) return { kind: "btree", address, chunk: chunk.slice(0, rank) };
  } else if (version === 3 || version === 4) {
    const cls = reader.u8(m.at + 1, "layout");
    if (cls === 0) return { kind: "compact", at: m.at + 4, size: reader.u16(m.at + 2, "compact size") };
    if (cls === 1) return { kind: "contiguous", address: reader.uint(m.at + 2, O, "layout address") };
    if (cls === 2 && version === 3) {
      const dims = reader.u8(m.at + 2, "layout");
      const address = reader.uint(m.at + 3, O, "chunk index address");
      const chunk: number[] = [];
      for (let i = 0; i < dims - 1; i++) chunk.push(reader.u32(m.at + 3 + O + 4 * i, "chunk dimension"));
      return { kind: "btree", address, chunk };
    }
    if (cls === 2) return readLayoutV4Chunked(reader, sizes, m);
  }
  return reader.fail(`unsupported data layout (message version ${version})`);
}

function readLayoutV4Chunked(reader: ByteReader, sizes: FileSizes, m: HeaderMessage): Layout {
  const flags = reader.u8(m.at + 2, "layout");
  const dims = reader.u8(m.at + 3, "layout");
  const width = reader.u8(m.at + 4, "layout");
  let at = m.at + 5;
  const chunk: number[] = [];
  for (let i = 0; i < dims; i++) chunk.push(reader.uint(at + i * width, width, "chunk dimension"));
  at += dims * width;
  const indexType = reader.u8(at, "chunk index type");
  at += 1;
  if (indexType !== 1) {
    reader.fail(`chunk index type ${indexType} is not supported (single-chunk and version 1 B-trees are)`);
  }
  let size = -1;
  if (flags & 2) {
    size = reader.uint(at, sizes.lengthSize, "filtered chunk size");
    at += sizes.lengthSize + 4;
  }
  const address = reader.uint(at, sizes.offsetSize, "chunk address");
  return { kind: "single", address, size, chunk: chunk.slice(0, dims - 1) };
}

/** One filter of a pipeline: its id and its client values. */
export interface Filter {
  readonly id: number;
  readonly values: number[];
}

/** Reads a filter pipeline message. */
export function readFilters(reader: ByteReader, m: HeaderMessage): Filter[] {
  const version = reader.u8(m.at, "filter pipeline");
  const count = reader.u8(m.at + 1, "filter pipeline");
  let at = version === 1 ? m.at + 8 : m.at + 2;
  const filters: Filter[] = [];
  for (let f = 0; f < count; f++) {
    const id = reader.u16(at, "filter id");
    let nameLength = 0;
    if (version === 1 || id >= 256) {
      nameLength = reader.u16(at + 2, "filter name length");
      at += 2;
    }
    const valueCount = reader.u16(at + 4, "filter values");
    at += 6;
    if (version === 1) nameLength = Math.ceil(nameLength / 8) * 8;
    at += nameLength;
    const values: number[] = [];
    for (let i = 0; i < valueCount; i++) values.push(reader.u32(at + 4 * i, "filter value"));
    at += 4 * valueCount;
    if (version === 1 && valueCount % 2 === 1) at += 4;
    filters.push({ id, values });
  }
  return filters;
}

function unfilter(
  reader: ByteReader,
  bytes: Uint8Array,
  filters: readonly Filter[],
  mask: number,
  expectedBytes: number,
  elementSize: number,
): Uint8Array {
  let out = bytes;
  for (let f = filters.length - 1; f >= 0; f--) {
    if (mask & (1 << f)) continue; // this filter was skipped for this chunk
    const filter = filters[f]!;
    if (filter.id === 1) {
      try {
        // bounded: a chunk never inflates past its own size (plus a fletcher32 checksum)
        out = inflateSync(out, { maxOutputLength: Math.max(1, expectedBytes + 4) });
      } catch (error) {
        reader.fail(`a deflated chunk does not inflate (${(error as Error).message})`);
      }
    } else if (filter.id === 2) {
      const size = filter.values[0] ?? elementSize;
      if (size !== elementSize)
        reader.fail(`shuffle filter for ${size}-byte elements on ${elementSize}-byte data`);
      out = unshuffle(out, elementSize);
    } else if (filter.id === 3) out = out.subarray(0, Math.max(0, out.length - 4));
    else reader.fail(`HDF5 filter ${filter.id} is not supported (deflate, shuffle and fletcher32 are)`);
  }
  return out;
}

function unshuffle(bytes: Uint8Array, elementSize: number): Uint8Array {
  const count = Math.floor(bytes.length / elementSize);
  const out = new Uint8Array(bytes.length); // NOTE: not bytes.slice(), which is a view on a Buffer
  for (let b = 0; b < elementSize; b++) {
    for (let i = 0; i < count; i++) out[i * elementSize + b] = bytes[b * count + i]!;
  }
  return out;
}

const MAX_EXPANSION = 1032;

/** Everything needed to read one dataset's values. */
export interface DatasetInfo {
  readonly shape: readonly number[];
  readonly type: NumericType;
  readonly layout: Layout;
  readonly filters: readonly Filter[];
}

/** The dataset's values as float64, row-major. */
export function readDatasetValues(reader: ByteReader, sizes: FileSizes, info: DatasetInfo): Float64Array {
  const count = info.shape.reduce((a, b) => a * b, 1);
  const bytes = count * info.type.size;
  const { layout } = info;
  // deflate expands at most ~1032x, so no real file declares more; refuse before allocating
  if (bytes > MAX_EXPANSION * reader.bytes.length + 2 ** 20) {
    reader.fail(`dataset of shape [${info.shape.join(", ")}] is larger than this file could hold`);
  }
  if (layout.kind === "compact") {
    if (layout.size < bytes) reader.fail(`compact data holds ${layout.size} bytes, expected ${bytes}`);
    return decodeElements(reader.slice(layout.at, bytes, "compact data"), info.type, count);
  }
  if (layout.kind === "contiguous") {
    if (layout.address === UNDEFINED_ADDRESS) return new Float64Array(count); // never written: fill value 0
    return decodeElements(reader.slice(layout.address, bytes, "dataset data"), info.type, count);
  }
  if (layout.chunk.length !== info.shape.length || layout.chunk.some((n) => n < 1)) {
    reader.fail(`chunk shape [${layout.chunk.join(", ")}] does not fit a rank-${info.shape.length} dataset`);
  }
  const out = new Float64Array(count);
  // the chunks tile the dataset once: a corrupt index repeating chunks is refused, not looped over
  const chunkCount = layout.chunk.reduce((a, b) => a * b, 1);
  let budget = info.shape.reduce(
    (n, size, d) => n * Math.ceil(size / layout.chunk[d]!) * layout.chunk[d]!,
    1,
  );
  const place = (offsets: readonly number[], raw: Uint8Array): void => {
    budget -= chunkCount;
    if (budget < 0) reader.fail("the chunk index lists more chunks than the dataset holds");
    placeChunk(reader, info, layout.chunk, offsets, raw, out);
  };
  if (layout.kind === "single") {
    const stored = layout.size >= 0 ? layout.size : layout.chunk.reduce((a, b) => a * b, info.type.size);
    const chunkBytes = layout.chunk.reduce((a, b) => a * b, info.type.size);
    const raw = unfilter(
      reader,
      reader.slice(layout.address, stored, "chunk"),
      info.filters,
      0,
      chunkBytes,
      info.type.size,
    );
    place(
      layout.chunk.map(() => 0),
      raw,
    );
    return out;
  }
  if (layout.address !== UNDEFINED_ADDRESS)
    walkChunkTree(reader, sizes, info, layout.address, layout.chunk, place, 0);
  return out;
}

function walkChunkTree(
  reader: ByteReader,
  sizes: FileSizes,
  info: DatasetInfo,
  address: number,
  chunkShape: readonly number[],
  place: (offsets: readonly number[], raw: Uint8Array) => void,
  depth: number,
): void {
  if (depth > 32) reader.fail("chunk B-tree deeper than 32 levels (a cycle?)");
  reader.signature(address, "TREE", "chunk B-tree node");
  if (reader.u8(address + 4, "B-tree") !== 1) reader.fail("chunk index node is not a raw-data B-tree");
  const level = reader.u8(address + 5, "B-tree");
  const used = reader.u16(address + 6, "B-tree");
  const rank = info.shape.length;
  const keySize = 8 + 8 * (rank + 1);
  const expected = chunkShape.reduce((a, b) => a * b, info.type.size);
  let at = address + 8 + 2 * sizes.offsetSize;
  for (let e = 0; e < used; e++) {
    const chunkBytes = reader.u32(at, "chunk size");
    const mask = reader.u32(at + 4, "filter mask");
    const offsets: number[] = [];
    for (let d = 0; d < rank; d++) offsets.push(reader.uint(at + 8 + 8 * d, 8, "chunk offset"));
    const child = reader.uint(at + keySize, sizes.offsetSize, "chunk address");
    if (level > 0) walkChunkTree(reader, sizes, info, child, chunkShape, place, depth + 1);
    else {
      const raw = unfilter(
        reader,
        reader.slice(child, chunkBytes, "chunk"),
        info.filters,
        mask,
        expected,
        info.type.size,
      );
      place(offsets, raw);
    }
    at += keySize + sizes.offsetSize;
  }
}

/** Copies one chunk (row-major over `chunk` dims, at `offsets`) into the dataset, clipped at its edges. */
function placeChunk(
  reader: ByteReader,
  info: DatasetInfo,
  chunk: readonly number[],
  offsets: readonly number[],
  raw: Uint8Array,
  out: Float64Array,
): void {
  const shape = info.shape;
  const rank = shape.length;
  const chunkCount = chunk.reduce((a, b) => a * b, 1);
  if (raw.length < chunkCount * info.type.size) {
    reader.fail(`a chunk holds ${raw.length} bytes, expected ${chunkCount * info.type.size}`);
  }
  const values = decodeElements(raw, info.type, chunkCount);
  const index = new Array<number>(rank).fill(0);
  for (let i = 0; i < chunkCount; i++) {
    let target = 0;
    let inside = true;
    for (let d = 0; d < rank; d++) {
      const position = offsets[d]! + index[d]!;
      if (position >= shape[d]!) inside = false;
      target = target * shape[d]! + position;
    }
    if (inside) out[target] = values[i]!;
    for (let d = rank - 1; d >= 0; d--) {
      index[d] = index[d]! + 1;
      if (index[d]! < chunk[d]!) break;
      index[d] = 0;
    }
  }
}
