// core/dtype: the four element types and the typed arrays that store them. No imports.

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

/** A zero-filled typed array of `size` elements for `dtype`. */
export function allocate<D extends DType>(dtype: D, size: number): DTypeArrayMap[D];
export function allocate(dtype: DType, size: number): TypedArray {
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
