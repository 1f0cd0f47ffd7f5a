// io/safetensors-dtypes: the safetensors element types and how each maps onto Tessera's four
// dtypes. Every mapping is lossless or refused:
//   F32 -> float32, F64 -> float64, I32 -> int32, BOOL -> bool (bytes must be 0 or 1)
//   F16, BF16, F8_E4M3, F8_E5M2 -> float32 (every value is exactly representable)
//   I8, U8, I16, U16 -> int32 (widening)
//   U32, I64, U64 -> int32 when every value fits in int32, otherwise a FormatError
// Sub-byte and complex types (F4, F6_*, F8_E8M0, C64) are refused with a FormatError.
import type { DType, TypedArray } from "../core/dtype.js";
import { FormatError } from "../core/errors.js";

export type SafetensorsDType =
  | "BOOL"
  | "U8"
  | "I8"
  | "I16"
  | "U16"
  | "F16"
  | "BF16"
  | "F8_E4M3"
  | "F8_E5M2"
  | "I32"
  | "U32"
  | "F32"
  | "F64"
  | "I64"
  | "U64";

interface DTypeInfo {
  /** Bytes per element in the file. */
  bytes: number;
  /** The Tessera dtype it loads as. */
  loadsAs: DType;
}

export const SAFETENSORS_DTYPES = {
  BOOL: { bytes: 1, loadsAs: "bool" },
  U8: { bytes: 1, loadsAs: "int32" },
  I8: { bytes: 1, loadsAs: "int32" },
  I16: { bytes: 2, loadsAs: "int32" },
  U16: { bytes: 2, loadsAs: "int32" },
  F16: { bytes: 2, loadsAs: "float32" },
  BF16: { bytes: 2, loadsAs: "float32" },
  F8_E4M3: { bytes: 1, loadsAs: "float32" },
  F8_E5M2: { bytes: 1, loadsAs: "float32" },
  I32: { bytes: 4, loadsAs: "int32" },
  U32: { bytes: 4, loadsAs: "int32" },
  F32: { bytes: 4, loadsAs: "float32" },
  F64: { bytes: 8, loadsAs: "float64" },
  I64: { bytes: 8, loadsAs: "int32" },
  U64: { bytes: 8, loadsAs: "int32" },
} as const satisfies Record<SafetensorsDType, DTypeInfo>;

/** The safetensors dtype Tessera writes for each of its dtypes. */
export const WRITE_DTYPE = {
  float32: "F32",
  float64: "F64",
  int32: "I32",
  bool: "BOOL",
} as const satisfies Record<DType, SafetensorsDType>;

export function isSafetensorsDType(value: string): value is SafetensorsDType {
  return Object.hasOwn(SAFETENSORS_DTYPES, value);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decodes `bytes` (little-endian elements of `dtype`) into a fresh typed array of the Tessera dtype
 * it maps to. `what` names the tensor in error messages.
 */
export function decodeElements(dtype: SafetensorsDType, bytes: Uint8Array, what: string): TypedArray {
  const count = bytes.length / SAFETENSORS_DTYPES[dtype].bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case "F32":
      return LITTLE_ENDIAN
        ? new Float32Array(copyOut(bytes))
        : mapFloat(count, (i) => view.getFloat32(i * 4, true));
    case "F64":
      return LITTLE_ENDIAN
        ? new Float64Array(copyOut(bytes))
        : mapFloat64(count, (i) => view.getFloat64(i * 8, true));
    case "I32":
      return LITTLE_ENDIAN
        ? new Int32Array(copyOut(bytes))
        : mapInt(count, (i) => view.getInt32(i * 4, true));
    case "BOOL": {
      const out = new Uint8Array(bytes);
      const bad = out.findIndex((b) => b > 1);
      if (bad >= 0) {
        throw new FormatError(`${what}: BOOL element ${bad} is ${out[bad]} (expected 0 or 1)`);
      }
      return out;
    }
    case "U8":
      return mapInt(count, (i) => bytes[i]!);
    case "I8":
      return mapInt(count, (i) => view.getInt8(i));
    case "I16":
      return mapInt(count, (i) => view.getInt16(i * 2, true));
    case "U16":
      return mapInt(count, (i) => view.getUint16(i * 2, true));
    case "U32":
      return mapInt(count, (i) => checkInt32(view.getUint32(i * 4, true), what, i));
    case "I64":
      return mapInt(count, (i) => checkInt32(view.getBigInt64(i * 8, true), what, i));
    case "U64":
      return mapInt(count, (i) => checkInt32(view.getBigUint64(i * 8, true), what, i));
    case "F16":
      return mapFloat(count, (i) => halfToNumber(view.getUint16(i * 2, true)));
    case "BF16": {
      const out = new Float32Array(count);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
      return out;
    }
    case "F8_E4M3": {
      const table = fp8Table("F8_E4M3");
      return mapFloat(count, (i) => table[bytes[i]!]!);
    }
    case "F8_E5M2": {
      const table = fp8Table("F8_E5M2");
      return mapFloat(count, (i) => table[bytes[i]!]!);
    }
  }
}

/** The little-endian bytes of a typed array (a view when the platform is little-endian). */
export function encodeElements(data: TypedArray): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return bytes;
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float32Array) view.setFloat32(i * 4, data[i]!, true);
    else if (data instanceof Float64Array) view.setFloat64(i * 8, data[i]!, true);
    else view.setInt32(i * 4, data[i]!, true);
  }
  return out;
}

function copyOut(bytes: Uint8Array): ArrayBuffer {
  // A fresh, aligned ArrayBuffer holding exactly these bytes.
  return bytes.slice().buffer;
}

function mapFloat(count: number, read: (i: number) => number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = read(i);
  return out;
}

function mapFloat64(count: number, read: (i: number) => number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = read(i);
  return out;
}

function mapInt(count: number, read: (i: number) => number): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = read(i);
  return out;
}

function checkInt32(value: number | bigint, what: string, index: number): number {
  if (value > 2147483647 || value < -2147483648) {
    throw new FormatError(`${what}: element ${index} is ${value}, which does not fit in int32 without loss`);
  }
  return Number(value);
}

/** IEEE 754 binary16 bits -> number. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

const fp8Tables = new Map<string, Float32Array>();

/** All 256 values of an 8-bit float format: E4M3 is the "fn" variant (no infinities, NaN = S.1111.111). */
function fp8Table(kind: "F8_E4M3" | "F8_E5M2"): Float32Array {
  let table = fp8Tables.get(kind);
  if (table !== undefined) return table;
  table = new Float32Array(256);
  const [exponentBits, mantissaBits, bias] = kind === "F8_E4M3" ? [4, 3, 7] : [5, 2, 15];
  const maxExponent = (1 << exponentBits) - 1;
  const mantissaScale = 1 << mantissaBits;
  for (let bits = 0; bits < 256; bits++) {
    const sign = bits & 0x80 ? -1 : 1;
    const exponent = (bits >> mantissaBits) & maxExponent;
    const mantissa = bits & (mantissaScale - 1);
    let value: number;
    if (kind === "F8_E4M3" && exponent === maxExponent && mantissa === mantissaScale - 1) value = Number.NaN;
    else if (kind === "F8_E5M2" && exponent === maxExponent) {
      value = mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
    } else if (exponent === 0) value = sign * (mantissa / mantissaScale) * 2 ** (1 - bias);
    else value = sign * (1 + mantissa / mantissaScale) * 2 ** (exponent - bias);
    table[bits] = value;
  }
  fp8Tables.set(kind, table);
  return table;
}
