// io/hdf5/datatype: the datatype and dataspace messages of a dataset, and the decoding of raw
// elements into numbers. Supported: fixed-point integers (1, 2, 4, 8 bytes, signed or not) and
// IEEE floats (2, 4, 8 bytes), either byte order; anything else is a FormatError naming its class.

import { halfToNumber } from "../safetensors-dtypes.js";
import type { ByteReader, FileSizes } from "./byte-reader.js";
import type { HeaderMessage } from "./object-header.js";

/** A numeric element type. */
export interface NumericType {
  readonly kind: "int" | "uint" | "float";
  /** Bytes per element. */
  readonly size: number;
  readonly littleEndian: boolean;
}

const CLASS_NAMES = [
  "fixed-point",
  "floating-point",
  "time",
  "string",
  "bit field",
  "opaque",
  "compound",
  "reference",
  "enumerated",
  "variable-length",
  "array",
];

/** Reads a datatype message; only numeric classes are accepted. */
export function readDatatype(reader: ByteReader, message: HeaderMessage): NumericType {
  const classAndVersion = reader.u8(message.at, "datatype");
  const typeClass = classAndVersion & 0x0f;
  const bits = reader.u8(message.at + 1, "datatype");
  const size = reader.u32(message.at + 4, "datatype size");
  const littleEndian = (bits & 1) === 0;
  if (typeClass === 0 && [1, 2, 4, 8].includes(size)) {
    return { kind: bits & 0x08 ? "int" : "uint", size, littleEndian };
  }
  if (typeClass === 1 && [2, 4, 8].includes(size)) {
    if (bits & 0x40) reader.fail("VAX-order floats are not supported");
    return { kind: "float", size, littleEndian };
  }
  const name = CLASS_NAMES[typeClass] ?? `class ${typeClass}`;
  return reader.fail(`unsupported datatype: ${name} of ${size} bytes (expected an integer or a float)`);
}

/** Reads a dataspace message: the dataset's shape ([] for a scalar). */
export function readDataspace(reader: ByteReader, sizes: FileSizes, message: HeaderMessage): number[] {
  const version = reader.u8(message.at, "dataspace");
  const rank = reader.u8(message.at + 1, "dataspace");
  let at: number;
  if (version === 1) at = message.at + 8;
  else if (version === 2) {
    const kind = reader.u8(message.at + 3, "dataspace");
    if (kind === 2) reader.fail("null dataspaces hold no data");
    at = message.at + 4;
  } else return reader.fail(`unsupported dataspace version ${version}`);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++)
    shape.push(reader.uint(at + i * sizes.lengthSize, sizes.lengthSize, "dimension"));
  return shape;
}

/** Decodes `count` elements of `type` from `bytes` into numbers. */
export function decodeElements(bytes: Uint8Array, type: NumericType, count: number): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(count);
  const le = type.littleEndian;
  for (let i = 0; i < count; i++) {
    const at = i * type.size;
    if (type.kind === "float") {
      if (type.size === 4) out[i] = view.getFloat32(at, le);
      else if (type.size === 8) out[i] = view.getFloat64(at, le);
      else out[i] = halfToNumber(view.getUint16(at, le));
    } else if (type.size === 1) out[i] = type.kind === "int" ? view.getInt8(at) : view.getUint8(at);
    else if (type.size === 2) out[i] = type.kind === "int" ? view.getInt16(at, le) : view.getUint16(at, le);
    else if (type.size === 4) out[i] = type.kind === "int" ? view.getInt32(at, le) : view.getUint32(at, le);
    else out[i] = Number(type.kind === "int" ? view.getBigInt64(at, le) : view.getBigUint64(at, le));
  }
  return out;
}
