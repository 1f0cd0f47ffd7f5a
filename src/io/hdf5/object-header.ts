// io/hdf5/object-header: an object's header messages, from version 1 headers (8-byte aligned
// messages, what h5py writes by default) and version 2 headers ("OHDR" and "OCHK" chunks, what
// libver="latest" writes), following continuation messages. A message is returned as its type
// and the byte range of its body; the readers of each message type live with their users.
import type { ByteReader, FileSizes } from "./byte-reader.js";

/** One header message: its type and where its body lies in the file. */
export interface HeaderMessage {
  readonly type: number;
  readonly at: number;
  readonly size: number;
}

export const MSG_DATASPACE = 0x0001;
export const MSG_LINK_INFO = 0x0002;
export const MSG_DATATYPE = 0x0003;
export const MSG_LINK = 0x0006;
export const MSG_LAYOUT = 0x0008;
export const MSG_FILTERS = 0x000b;
export const MSG_CONTINUATION = 0x0010;
export const MSG_SYMBOL_TABLE = 0x0011;

/** Chunks of headers read per object at most: a guard against continuation loops. */
const MAX_CHUNKS = 1024;

/** The messages of the object header at `address`. */
export function readObjectHeader(reader: ByteReader, sizes: FileSizes, address: number): HeaderMessage[] {
  const what = `object header at ${address}`;
  reader.check(address, 4, what);
  const isV2 = reader.u32(address, what) === 0x5244484f; // "OHDR"
  return isV2 ? readV2(reader, sizes, address) : readV1(reader, sizes, address);
}

function continuation(reader: ByteReader, sizes: FileSizes, message: HeaderMessage): [number, number] {
  const at = reader.uint(message.at, sizes.offsetSize, "continuation address");
  const length = reader.uint(message.at + sizes.offsetSize, sizes.lengthSize, "continuation length");
  return [at, length];
}

function readV1(reader: ByteReader, sizes: FileSizes, address: number): HeaderMessage[] {
  const what = `object header at ${address}`;
  const version = reader.u8(address, what);
  if (version !== 1) reader.fail(`${what}: unsupported object header version ${version} (expected 1 or 2)`);
  const count = reader.u16(address + 2, what);
  const size = reader.u32(address + 8, what);
  const messages: HeaderMessage[] = [];
  const chunks: [number, number][] = [[address + 16, size]];
  for (let c = 0; c < chunks.length; c++) {
    if (c >= MAX_CHUNKS) reader.fail(`${what}: more than ${MAX_CHUNKS} continuation chunks`);
    const [start, length] = chunks[c]!;
    reader.check(start, length, `${what} chunk`);
    let at = start;
    while (at + 8 <= start + length && messages.length < count) {
      const type = reader.u16(at, what);
      const bodySize = reader.u16(at + 2, what);
      const message = { type, at: at + 8, size: bodySize };
      reader.check(message.at, bodySize, `${what} message ${type}`);
      if (type === MSG_CONTINUATION) chunks.push(continuation(reader, sizes, message));
      else messages.push(message);
      at += 8 + bodySize;
    }
  }
  return messages;
}

function readV2(reader: ByteReader, sizes: FileSizes, address: number): HeaderMessage[] {
  const what = `object header at ${address}`;
  const version = reader.u8(address + 4, what);
  if (version !== 2) reader.fail(`${what}: unsupported OHDR version ${version}`);
  const flags = reader.u8(address + 5, what);
  let at = address + 6;
  if (flags & 0x20) at += 16; // access, modification, change and birth times
  if (flags & 0x10) at += 4; // attribute phase-change values
  const sizeBytes = 1 << (flags & 3);
  const chunkSize = reader.uint(at, sizeBytes, `${what} chunk size`);
  at += sizeBytes;
  const tracksOrder = (flags & 0x04) !== 0;
  const messages: HeaderMessage[] = [];
  const chunks: [number, number][] = [[at, chunkSize]];
  for (let c = 0; c < chunks.length; c++) {
    if (c >= MAX_CHUNKS) reader.fail(`${what}: more than ${MAX_CHUNKS} continuation chunks`);
    let [start, length] = chunks[c]!;
    if (c > 0) {
      reader.signature(start, "OCHK", `${what} continuation`);
      start += 4;
      length -= 8; // the signature and the trailing checksum
    }
    reader.check(start, length, `${what} chunk`);
    const headerBytes = tracksOrder ? 6 : 4;
    let pos = start;
    while (pos + headerBytes <= start + length) {
      const type = reader.u8(pos, what);
      const bodySize = reader.u16(pos + 1, what);
      const message = { type, at: pos + headerBytes, size: bodySize };
      reader.check(message.at, bodySize, `${what} message ${type}`);
      if (type === MSG_CONTINUATION) chunks.push(continuation(reader, sizes, message));
      else if (type !== 0) messages.push(message);
      pos += headerBytes + bodySize;
    }
  }
  return messages;
}
