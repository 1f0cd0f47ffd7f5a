// io/hdf5/hdf5-file: a read-only HDF5 reader for the subset that Keras and h5py write, written
// from the HDF5 file-format specification. Superblocks v0 to v3; groups through symbol tables
// (version 1 B-trees + local heaps) or link messages in the header; numeric datasets (see
// dataset.ts). Addresses count from the superblock. Dense link storage (fractal heaps), external and soft links are refused with a
// FormatError. Everything is read lazily from one in-memory buffer, bounds-checked.
import { ByteReader, type FileSizes, UNDEFINED_ADDRESS } from "./byte-reader.js";
import { type DatasetInfo, readDatasetValues, readFilters, readLayout } from "./dataset.js";
import { readDataspace, readDatatype } from "./datatype.js";
import {
  type HeaderMessage,
  MSG_DATASPACE,
  MSG_DATATYPE,
  MSG_FILTERS,
  MSG_LAYOUT,
  MSG_LINK,
  MSG_LINK_INFO,
  MSG_SYMBOL_TABLE,
  readObjectHeader,
} from "./object-header.js";

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** A numeric dataset: its shape and, on demand, its values. */
export interface Hdf5Dataset {
  readonly kind: "dataset";
  readonly path: string;
  readonly shape: readonly number[];
  /** "float32", "float64", "int32", ... */
  readonly dtype: string;
  /** Values as float64, row-major. */
  read(): Float64Array;
}

/** A group: named children, each a group or a dataset. */
export interface Hdf5Group {
  readonly kind: "group";
  readonly path: string;
  /** Child names in the file's order (symbol tables keep them sorted by name). */
  names(): string[];
  /** The child called `name`, or undefined. */
  child(name: string): Hdf5Group | Hdf5Dataset | undefined;
}

export type Hdf5Object = Hdf5Group | Hdf5Dataset;

/** Opens an HDF5 file held in memory; FormatError when it is not one or is corrupt. */
export function openHdf5(bytes: Uint8Array, source = "hdf5"): Hdf5Group {
  const reader = new ByteReader(bytes, source);
  const base = findSuperblock(reader);
  const version = reader.u8(base + 8, "superblock version");
  let sizes: FileSizes;
  let rootAddress: number;
  if (version === 0 || version === 1) {
    sizes = {
      offsetSize: reader.u8(base + 13, "superblock"),
      lengthSize: reader.u8(base + 14, "superblock"),
    };
    checkSizes(reader, sizes);
    const fixed = base + (version === 0 ? 24 : 28);
    const entry = fixed + 4 * sizes.offsetSize; // base, free space, end of file, driver addresses
    rootAddress = reader.uint(entry + sizes.offsetSize, sizes.offsetSize, "root object header address");
  } else if (version === 2 || version === 3) {
    sizes = { offsetSize: reader.u8(base + 9, "superblock"), lengthSize: reader.u8(base + 10, "superblock") };
    checkSizes(reader, sizes);
    rootAddress = reader.uint(
      base + 12 + 3 * sizes.offsetSize,
      sizes.offsetSize,
      "root object header address",
    );
  } else {
    return reader.fail(`unsupported superblock version ${version} (expected 0 to 3)`);
  }
  return new File(base === 0 ? reader : new ByteReader(bytes.subarray(base), source), sizes).group(
    "/",
    rootAddress,
    0,
  );
}

function findSuperblock(reader: ByteReader): number {
  for (let at = 0; at + 8 <= reader.bytes.length; at = at === 0 ? 512 : at * 2) {
    if (SIGNATURE.every((b, i) => reader.bytes[at + i] === b)) return at;
  }
  return reader.fail("not an HDF5 file (no superblock signature)");
}

function checkSizes(reader: ByteReader, sizes: FileSizes): void {
  for (const size of [sizes.offsetSize, sizes.lengthSize]) {
    if (![2, 4, 8].includes(size)) reader.fail(`superblock gives an address/length size of ${size}`);
  }
}

const MAX_DEPTH = 64;

class File {
  constructor(
    private readonly reader: ByteReader,
    private readonly sizes: FileSizes,
  ) {}

  object(path: string, address: number, depth: number): Hdf5Object {
    if (depth > MAX_DEPTH) this.reader.fail(`${path}: groups nested deeper than ${MAX_DEPTH} (a cycle?)`);
    const messages = readObjectHeader(this.reader, this.sizes, address);
    const isDataset = messages.some((m) => m.type === MSG_LAYOUT);
    return isDataset ? this.dataset(path, messages) : this.group(path, address, depth, messages);
  }

  group(path: string, address: number, depth: number, known?: HeaderMessage[]): Hdf5Group {
    const messages = known ?? readObjectHeader(this.reader, this.sizes, address);
    let links: Map<string, number> | undefined;
    const load = (): Map<string, number> => {
      links ??= this.links(path, messages);
      return links;
    };
    const childPath = (name: string): string => (path === "/" ? `/${name}` : `${path}/${name}`);
    return {
      kind: "group",
      path,
      names: () => [...load().keys()],
      child: (name) => {
        const target = load().get(name);
        return target === undefined ? undefined : this.object(childPath(name), target, depth + 1);
      },
    };
  }

  private links(path: string, messages: readonly HeaderMessage[]): Map<string, number> {
    const links = new Map<string, number>();
    for (const m of messages) {
      if (m.type === MSG_SYMBOL_TABLE) {
        const btree = this.reader.uint(m.at, this.sizes.offsetSize, "symbol table B-tree");
        const heap = this.reader.uint(m.at + this.sizes.offsetSize, this.sizes.offsetSize, "local heap");
        this.symbolTable(path, btree, this.heapData(heap), links, 0);
      } else if (m.type === MSG_LINK) {
        const [name, target] = this.linkMessage(path, m);
        links.set(name, target);
      } else if (m.type === MSG_LINK_INFO) {
        const heapAddress = this.reader.uint(
          m.at + 2 + (this.reader.u8(m.at + 1, "link info") & 1 ? 8 : 0),
          this.sizes.offsetSize,
          "fractal heap",
        );
        if (heapAddress !== UNDEFINED_ADDRESS) {
          this.reader.fail(`${path}: dense link storage (fractal heap) is not supported`);
        }
      }
    }
    return links;
  }

  private heapData(address: number): number {
    this.reader.signature(address, "HEAP", "local heap");
    const O = this.sizes.offsetSize;
    const L = this.sizes.lengthSize;
    return this.reader.uint(address + 8 + 2 * L, O, "local heap data address");
  }

  private symbolTable(
    path: string,
    node: number,
    heap: number,
    out: Map<string, number>,
    depth: number,
  ): void {
    if (depth > 32) this.reader.fail(`${path}: group B-tree deeper than 32 levels (a cycle?)`);
    const O = this.sizes.offsetSize;
    const L = this.sizes.lengthSize;
    this.reader.signature(node, "TREE", `${path} group B-tree`);
    if (this.reader.u8(node + 4, "B-tree") !== 0)
      this.reader.fail(`${path}: group index is not a group B-tree`);
    const level = this.reader.u8(node + 5, "B-tree");
    const used = this.reader.u16(node + 6, "B-tree");
    let at = node + 8 + 2 * O + L; // siblings, then key 0
    for (let e = 0; e < used; e++) {
      const child = this.reader.uint(at, O, "B-tree child");
      if (level > 0) this.symbolTable(path, child, heap, out, depth + 1);
      else this.symbolNode(path, child, heap, out);
      at += O + L;
    }
  }

  private symbolNode(path: string, node: number, heap: number, out: Map<string, number>): void {
    const O = this.sizes.offsetSize;
    this.reader.signature(node, "SNOD", `${path} symbol table node`);
    const count = this.reader.u16(node + 6, "symbol table node");
    const entrySize = 2 * O + 24;
    for (let i = 0; i < count; i++) {
      const entry = node + 8 + i * entrySize;
      const nameOffset = this.reader.uint(entry, O, "link name offset");
      const name = this.reader.cString(heap + nameOffset, 1 << 16, `${path} link name`);
      out.set(name, this.reader.uint(entry + O, O, "object header address"));
    }
  }

  private linkMessage(path: string, m: HeaderMessage): [string, number] {
    const r = this.reader;
    const flags = r.u8(m.at + 1, "link");
    let at = m.at + 2;
    let linkType = 0;
    if (flags & 0x08) linkType = r.u8(at++, "link type");
    if (flags & 0x04) at += 8; // creation order
    if (flags & 0x10) at += 1; // name character set
    const lengthSize = 1 << (flags & 3);
    const nameLength = r.uint(at, lengthSize, "link name length");
    at += lengthSize;
    const name = new TextDecoder().decode(r.slice(at, nameLength, "link name"));
    if (linkType !== 0) r.fail(`${path}/${name}: soft and external links are not supported`);
    return [name, r.uint(at + nameLength, this.sizes.offsetSize, "link address")];
  }

  private dataset(path: string, messages: readonly HeaderMessage[]): Hdf5Dataset {
    const r = this.reader;
    const find = (type: number, what: string): HeaderMessage =>
      messages.find((m) => m.type === type) ?? r.fail(`${path}: dataset has no ${what} message`);
    const shape = readDataspace(r, this.sizes, find(MSG_DATASPACE, "dataspace"));
    const type = readDatatype(r, find(MSG_DATATYPE, "datatype"));
    const layout = readLayout(r, this.sizes, find(MSG_LAYOUT, "layout"), shape.length);
    const filterMessage = messages.find((m) => m.type === MSG_FILTERS);
    const info: DatasetInfo = {
      shape,
      type,
      layout,
      filters: filterMessage === undefined ? [] : readFilters(r, filterMessage),
    };
    const dtype = `${type.kind}${type.size * 8}`;
    return { kind: "dataset", path, shape, dtype, read: () => readDatasetValues(r, this.sizes, info) };
  }
}

/** The object at a slash-separated path below `root`, or undefined. */
export function hdf5Get(root: Hdf5Group, path: string): Hdf5Object | undefined {
  let node: Hdf5Object | undefined = root;
  for (const part of path.split("/").filter((p) => p !== "")) {
    if (node?.kind !== "group") return undefined;
    node = node.child(part);
  }
  return node;
}
