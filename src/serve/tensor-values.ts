// serve/tensor-values: turning JSON request values into typed arrays and typed arrays back into
// JSON, with 400 errors that name the offending field. Shared by the KServe v2 and TF-Serving codecs.
import { describe } from "../core/config.js";

// the one describe of core/config, re-exported for serve/'s codecs
export { describe } from "../core/config.js";

import type { DType, TypedArray } from "../core/dtype.js";
import { allocate } from "../core/dtype.js";
import { badRequest } from "./http-util.js";
import type { RawRecord, TensorSpec } from "./servable.js";

/** KServe v2 tensor datatypes. */
export const KSERVE_DATATYPES = [
  "BOOL",
  "UINT8",
  "UINT16",
  "UINT32",
  "UINT64",
  "INT8",
  "INT16",
  "INT32",
  "INT64",
  "FP16",
  "FP32",
  "FP64",
  "BYTES",
] as const;
export type KServeDatatype = (typeof KSERVE_DATATYPES)[number];

export const DATATYPE_OF_DTYPE = {
  float32: "FP32",
  float64: "FP64",
  int32: "INT32",
  bool: "BOOL",
} as const satisfies Record<DType, KServeDatatype>;

const INTEGER_RANGES: Partial<Record<KServeDatatype, readonly [number, number]>> = {
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

export function isKServeDatatype(value: unknown): value is KServeDatatype {
  return typeof value === "string" && (KSERVE_DATATYPES as readonly string[]).includes(value);
}

/** Deepest nesting accepted in tensor data. */
const MAX_RANK = 32;

/**
 * Flattens nested arrays in row-major order, checking they are rectangular. Returns the leaves and
 * the shape the nesting implies. A non-array is a scalar of shape [].
 */
export function flattenNested(value: unknown, field: string): { values: unknown[]; shape: number[] } {
  // The first path down fixes the shape; every other path must match it.
  const shape: number[] = [];
  for (let node = value; Array.isArray(node); node = node[0]) {
    shape.push(node.length);
    if (shape.length > MAX_RANK) throw badRequest(field, `nesting deeper than ${MAX_RANK} levels`);
    if (node.length === 0) break;
  }
  const values: unknown[] = [];
  const walk = (node: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (Array.isArray(node)) throw badRequest(path, `ragged nesting: expected a scalar (got an array)`);
      values.push(node);
      return;
    }
    if (!Array.isArray(node))
      throw badRequest(path, `ragged nesting: expected an array of ${shape[depth]} (got ${describe(node)})`);
    if (node.length !== shape[depth]) {
      throw badRequest(path, `ragged nesting: expected ${shape[depth]} items (got ${node.length})`);
    }
    for (const [i, child] of node.entries()) walk(child, depth + 1, `${path}[${i}]`);
  };
  walk(value, 0, field);
  return { values, shape };
}

/**
 * Converts JSON leaves to the typed array of `spec.dtype`, checking each value against the declared
 * KServe datatype (or, when `declared` is null, against the spec's own dtype).
 */
export function toTypedArray(
  values: readonly unknown[],
  spec: TensorSpec,
  declared: KServeDatatype | null,
  field: string,
): TypedArray {
  const datatype = declared ?? DATATYPE_OF_DTYPE[spec.dtype];
  const target = spec.dtype;
  if (datatype === "BYTES") throw badRequest(field, `input "${spec.name}" is a ${target} tensor, not BYTES`);
  if (target === "bool" && datatype !== "BOOL") {
    throw badRequest(field, `input "${spec.name}" is BOOL (got datatype ${datatype})`);
  }
  if (target !== "bool" && datatype === "BOOL") {
    throw badRequest(field, `input "${spec.name}" is ${DATATYPE_OF_DTYPE[target]} (got datatype BOOL)`);
  }
  if (target === "int32" && datatype.startsWith("FP")) {
    throw badRequest(field, `input "${spec.name}" is INT32 and cannot take ${datatype} values`);
  }
  const out = allocate(target, values.length);
  const range = INTEGER_RANGES[datatype];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (datatype === "BOOL") {
      if (typeof value !== "boolean")
        throw badRequest(`${field}[${i}]`, `expected a boolean (got ${describe(value)})`);
      out[i] = value ? 1 : 0;
      continue;
    }
    if (typeof value !== "number")
      throw badRequest(`${field}[${i}]`, `expected a number (got ${describe(value)})`);
    if (range !== undefined && (!Number.isInteger(value) || value < range[0] || value > range[1])) {
      throw badRequest(`${field}[${i}]`, `expected a ${datatype} integer (got ${value})`);
    }
    if (target === "int32" && (value < -2147483648 || value > 2147483647)) {
      throw badRequest(`${field}[${i}]`, `value ${value} does not fit in INT32`);
    }
    out[i] = value;
  }
  return out;
}

/** Checks a record's values against the model's raw columns; extra keys are ignored. */
export function validateRecord(
  record: unknown,
  columns: readonly { name: string; type: "number" | "string" | "boolean" }[],
  field: string,
): RawRecord {
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw badRequest(field, `expected an object of column values (got ${describe(record)})`);
  }
  const source = record as Record<string, unknown>;
  const out: Record<string, string | number | boolean | null> = {};
  for (const column of columns) {
    if (!Object.hasOwn(source, column.name)) throw badRequest(`${field}.${column.name}`, "missing column");
    const value = source[column.name];
    if (value !== null && typeof value !== column.type) {
      throw badRequest(
        `${field}.${column.name}`,
        `expected a ${column.type} or null (got ${describe(value)})`,
      );
    }
    out[column.name] = value as string | number | boolean | null;
  }
  return out;
}

/** JSON value of one element of an output array (bool as true/false; NaN/Infinity become null). */
export function jsonElement(data: TypedArray, i: number, dtype: DType): number | boolean | null {
  const value = data[i]!;
  if (dtype === "bool") return value !== 0;
  return Number.isFinite(value) ? value : null;
}

/** Builds the nested JSON array of one row of an output with per-row shape `shape`. */
export function nestRow(data: TypedArray, offset: number, shape: readonly number[], dtype: DType): unknown {
  if (shape.length === 0) return jsonElement(data, offset, dtype);
  const [first, ...rest] = shape;
  let stride = 1;
  for (const dim of rest) stride *= dim;
  const out: unknown[] = [];
  for (let i = 0; i < first!; i++) out.push(nestRow(data, offset + i * stride, rest, dtype));
  return out;
}
