// core/dtype: the four element types and the typed arrays that store them. Imports only
// core/buffer-pool (arrays recycled by the backward walk).

import { noteAllocated, POOL_MIN_BYTES, takePooled } from "./buffer-pool.js";

/** Element type of a tensor. `bool` is stored as 0/1 bytes. */
export type DType = "float32" | "float64" | "int32" | "bool";

export const DTYPES: readonly DType[] = ["float32", "float64", "int32", "bool"];

/** The typed array behind each dtype. */
export interface DTypeArrayMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;
export type FloatArray = Float32Array | Float64Array;

/** Bytes per element of each dtype. */
export const DTYPE_BYTES = { float32: 4, float64: 8, int32: 4, bool: 1 } as const satisfies Record<
  DType,
  number
>;

export function isDType(value: unknown): value is DType {
  return value === "float32" || value === "float64" || value === "int32" || value === "bool";
}

export function isFloatDType(dtype: DType): dtype is "float32" | "float64" {
  return dtype === "float32" || dtype === "float64";
}

const CONSTRUCTOR_NAMES = {
  float32: "Float32Array",
  float64: "Float64Array",
  int32: "Int32Array",
  bool: "Uint8Array",
} as const satisfies Record<DType, string>;

/** A recycled array (contents unspecified) when the pool has one of this size, else undefined. */
function pooled(dtype: DType, size: number): TypedArray | undefined {
  return size * DTYPE_BYTES[dtype] >= POOL_MIN_BYTES ? takePooled(CONSTRUCTOR_NAMES[dtype], size) : undefined;
}

/** A zero-filled typed array of `size` elements for `dtype`. */
export function allocate<D extends DType>(dtype: D, size: number): DTypeArrayMap[D];
export function allocate(dtype: DType, size: number): TypedArray {
  const recycled = pooled(dtype, size);
  if (recycled !== undefined) {
    noteAllocated(recycled);
    return recycled.fill(0);
  }
  const array = allocateFresh(dtype, size);
  noteAllocated(array);
  return array;
}

function allocateFresh(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(size);
    case "float64":
      return new Float64Array(size);
    case "int32":
      return new Int32Array(size);
    case "bool":
      return new Uint8Array(size);
    default:
      return assertNever(dtype);
  }
}

/**
 * Makes an ArrayBuffer of `byteLength` bytes whose contents are unspecified (a host may serve it
 * from recycled memory). Installed by a backend loader; core itself never needs one.
 */
export type UninitAllocator = (byteLength: number) => ArrayBuffer;

let uninitAllocator: UninitAllocator | null = null;

/**
 * Below this many bytes `allocateUninit` takes the ordinary zero-filled path: clearing a small
 * array costs less than a call out to the host.
 */
export const UNINIT_MIN_BYTES = 64 * 1024;

/**
 * Installs (or, with null, removes) the allocator `allocateUninit` uses for large arrays. The
 * native loader installs one that skips the zero fill; the memory stays owned by the garbage
 * collector either way.
 */
export function setUninitAllocator(fn: UninitAllocator | null): void {
  uninitAllocator = fn;
}

/** The installed uninitialised-memory allocator, or null. */
export function getUninitAllocator(): UninitAllocator | null {
  return uninitAllocator;
}

/**
 * A typed array of `size` elements for `dtype` whose CONTENTS ARE UNSPECIFIED: they may be zeros
 * or leftovers of an earlier, unreachable array. Only for outputs that a kernel then overwrites
 * element by element; never for buffers that are accumulated into or must start at zero. Without
 * an installed allocator (or below UNINIT_MIN_BYTES) this is `allocate`.
 */
export function allocateUninit<D extends DType>(dtype: D, size: number): DTypeArrayMap[D];
export function allocateUninit(dtype: DType, size: number): TypedArray {
  const recycled = pooled(dtype, size);
  if (recycled !== undefined) {
    noteAllocated(recycled);
    return recycled;
  }
  const bytes = size * DTYPE_BYTES[dtype];
  if (uninitAllocator === null || !(bytes >= UNINIT_MIN_BYTES)) return allocate(dtype, size);
  const array = viewOf(dtype, uninitAllocator(bytes), size);
  noteAllocated(array);
  return array;
}

function viewOf(dtype: DType, buffer: ArrayBuffer, size: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(buffer, 0, size);
    case "float64":
      return new Float64Array(buffer, 0, size);
    case "int32":
      return new Int32Array(buffer, 0, size);
    case "bool":
      return new Uint8Array(buffer, 0, size);
    default:
      return assertNever(dtype);
  }
}

/** The dtype a typed array stores, or undefined for other array kinds. */
export function dtypeOfArray(array: unknown): DType | undefined {
  if (array instanceof Float32Array) return "float32";
  if (array instanceof Float64Array) return "float64";
  if (array instanceof Int32Array) return "int32";
  if (array instanceof Uint8Array) return "bool";
  return undefined;
}

export function assertNever(value: never): never {
  throw new Error(`unreachable: unexpected value ${String(value)}`);
}
