// tensor/creation: building tensors from JS values, constants, ranges and random draws.
import { allocate, DTYPE_BYTES, type DType, dtypeOfArray, isDType, type TypedArray } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { type Generator, getGenerator } from "../core/random.js";
import { formatShape, type Shape, sizeOf, validateShape } from "../core/shape.js";
import { type NestedArray, Tensor } from "./tensor.js";

export interface TensorOptions {
  shape?: Shape;
  dtype?: DType;
  requiresGrad?: boolean;
}

export interface RandomOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  /** A generator of your own; the global one (see seed()) otherwise. */
  generator?: Generator;
}

/** Anything tensor() accepts. */
export type TensorInput = Tensor | TypedArray | NestedArray | readonly NestedArray[];

function checkDType(op: string, dtype: unknown): DType {
  if (!isDType(dtype))
    throw new DTypeError(
      `${op}: unknown dtype ${JSON.stringify(dtype)} (expected float32, float64, int32 or bool)`,
    );
  return dtype;
}

function inferShape(value: unknown, shape: number[], depth: number): void {
  if (Array.isArray(value)) {
    shape[depth] = value.length;
    if (value.length > 0) inferShape(value[0], shape, depth + 1);
  }
}

function flatten(
  value: unknown,
  shape: number[],
  depth: number,
  out: (number | boolean)[],
  path: string,
): void {
  if (depth === shape.length) {
    if (typeof value !== "number" && typeof value !== "boolean") {
      throw new ShapeError(
        `tensor: expected a number or boolean at ${path || "top level"} (got ${Array.isArray(value) ? "an array" : typeof value}); nested arrays must be rectangular`,
      );
    }
    out.push(value);
    return;
  }
  if (!Array.isArray(value) || value.length !== shape[depth]) {
    const got = Array.isArray(value) ? `length ${value.length}` : typeof value;
    throw new ShapeError(
      `tensor: ragged nested array at ${path || "top level"} (expected length ${shape[depth]}, got ${got})`,
    );
  }
  for (let i = 0; i < value.length; i++) flatten(value[i], shape, depth + 1, out, `${path}[${i}]`);
}

const TENSOR_OPTIONS: readonly string[] = ["shape", "dtype", "requiresGrad"];

/**
 * The options of tensor() from either call form: an options object, or tfjs's positional
 * `(values, shape, dtype)`. NOTE: tfjs code passes the shape second; reading only an options
 * object silently ignored it (tensor([1, 2, 3, 4], [2, 2]) had shape [4]).
 */
function tensorOptions(second: TensorOptions | Shape | undefined, dtype: DType | undefined): TensorOptions {
  if (Array.isArray(second)) return dtype === undefined ? { shape: second } : { shape: second, dtype };
  if (second === undefined || second === null) return dtype === undefined ? {} : { dtype };
  if (typeof second !== "object") {
    throw new ValueError(
      `tensor: the second argument must be a shape such as [2, 2] or an options object { shape, dtype, requiresGrad } (got ${typeof second} ${JSON.stringify(second)})`,
    );
  }
  for (const key of Object.keys(second)) {
    if (!TENSOR_OPTIONS.includes(key))
      throw new ValueError(`tensor: unknown option "${key}" (expected ${TENSOR_OPTIONS.join(", ")})`);
  }
  if (dtype !== undefined) {
    throw new ValueError(
      'tensor: a dtype as third argument goes with a shape as second (tensor(values, [2, 2], "int32")); with options use { dtype }',
    );
  }
  return second as TensorOptions;
}

/**
 * A tensor from nested arrays, a typed array (used as is, not copied) or a number.
 * Numbers default to float32, booleans to bool. The shape and dtype come in an options object
 * or, as in tfjs, positionally: `tensor(values, shape, dtype)`.
 * @example
 * tensor([[1, 2], [3, 4]]);
 * tensor(new Float64Array(6), { shape: [2, 3] });
 * tensor([1, 2, 3, 4], [2, 2]); // shape [2, 2], as tf.tensor([1, 2, 3, 4], [2, 2])
 */
export function tensor(value: TensorInput, options?: TensorOptions): Tensor;
export function tensor(value: TensorInput, shape: Shape, dtype?: DType): Tensor;
export function tensor(value: TensorInput, second?: TensorOptions | Shape, positionalDType?: DType): Tensor {
  const options = tensorOptions(second, positionalDType);
  const dtype = options.dtype === undefined ? undefined : checkDType("tensor", options.dtype);
  let result: Tensor;
  if (value instanceof Tensor) {
    const data = value.data.slice();
    result = new Tensor(data, options.shape ?? value.shape);
    if (dtype && dtype !== value.dtype) result = castData(result, dtype);
  } else if (ArrayBuffer.isView(value)) {
    const own = dtypeOfArray(value);
    if (own === undefined)
      throw new DTypeError(
        `tensor: unsupported typed array ${value.constructor.name} (expected Float32Array, Float64Array, Int32Array or Uint8Array)`,
      );
    const shape = options.shape ?? [value.length];
    validateShape("tensor", shape);
    if (sizeOf(shape) !== value.length) {
      throw new ShapeError(
        `tensor: shape ${formatShape(shape)} needs ${sizeOf(shape)} elements (got ${value.length})`,
      );
    }
    if (own === "bool" && (dtype === undefined || dtype === "bool")) checkBoolBytes(value as Uint8Array);
    result = new Tensor(value as TypedArray, shape);
    if (dtype && dtype !== own) result = castData(result, dtype);
  } else {
    const shape: number[] = [];
    inferShape(value, shape, 0);
    const flat: (number | boolean)[] = [];
    flatten(value, shape, 0, flat, "");
    const inferred: DType = flat.length > 0 && typeof flat[0] === "boolean" ? "bool" : "float32";
    const finalDType = dtype ?? inferred;
    const data = allocate(finalDType, flat.length);
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i]!;
      const n = typeof v === "boolean" ? Number(v) : v;
      data[i] = finalDType === "bool" ? (n !== 0 ? 1 : 0) : finalDType === "int32" ? Math.trunc(n) : n;
    }
    const target = options.shape ?? shape;
    validateShape("tensor", target);
    if (sizeOf(target) !== flat.length) {
      throw new ShapeError(
        `tensor: shape ${formatShape(target)} needs ${sizeOf(target)} elements (got ${flat.length})`,
      );
    }
    result = new Tensor(data, target);
  }
  if (options.requiresGrad) setRequiresGrad(result, "tensor");
  return result;
}

/**
 * A Uint8Array becomes a bool tensor, whose bytes must be 0 or 1 (other values would compare
 * unequal to true). Bytes such as pixels must be converted with an explicit numeric dtype.
 */
function checkBoolBytes(data: Uint8Array): void {
  for (let i = 0; i < data.length; i++) {
    if (data[i]! > 1) {
      throw new ValueError(
        `tensor: a Uint8Array is read as bool and must hold only 0 and 1 (got ${data[i]} at index ${i}); pass { dtype: "float32" } or "int32" to convert bytes`,
      );
    }
  }
}

function castData(t: Tensor, dtype: DType): Tensor {
  const out = allocate(dtype, t.size);
  const src = t.data;
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    out[i] = dtype === "bool" ? (v !== 0 ? 1 : 0) : dtype === "int32" ? Math.trunc(v) : v;
  }
  return new Tensor(out, t.shape);
}

function setRequiresGrad(t: Tensor, op: string): void {
  if (t.dtype !== "float32" && t.dtype !== "float64") {
    throw new DTypeError(`${op}: only floating-point tensors can require gradients (got ${t.dtype})`);
  }
  t.requiresGrad = true;
}

/** A 0-d tensor. */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, dtype === undefined ? {} : { dtype });
}

/**
 * A zero-filled array for a tensor of `shape`, or a ShapeError naming the shape and the bytes it
 * would take when the engine cannot make an array that large (instead of a bare RangeError).
 */
function allocateFor(op: string, dtype: DType, shape: Shape): TypedArray {
  const size = sizeOf(shape);
  const bytes = size * DTYPE_BYTES[dtype];
  const refuse = (why: string) =>
    new ShapeError(
      `${op}: shape ${formatShape(shape)} of ${dtype} needs ${bytes.toExponential(3)} bytes (${size} elements); ${why}`,
    );
  if (!Number.isSafeInteger(bytes)) throw refuse("that is beyond any array");
  try {
    return allocate(dtype, size);
  } catch (error) {
    if (error instanceof RangeError) throw refuse(`cannot allocate it (${error.message})`);
    throw error;
  }
}

function filled(
  op: string,
  shape: Shape,
  value: number,
  options: { dtype?: DType; requiresGrad?: boolean },
): Tensor {
  validateShape(op, shape);
  const dtype = checkDType(op, options.dtype ?? "float32");
  const data = allocateFor(op, dtype, shape);
  if (value !== 0) data.fill(dtype === "bool" ? (value !== 0 ? 1 : 0) : value);
  const t = new Tensor(data, shape);
  if (options.requiresGrad) setRequiresGrad(t, op);
  return t;
}

/** All zeros. */
export function zeros(shape: Shape, options: { dtype?: DType; requiresGrad?: boolean } = {}): Tensor {
  return filled("zeros", shape, 0, options);
}
/** All ones. */
export function ones(shape: Shape, options: { dtype?: DType; requiresGrad?: boolean } = {}): Tensor {
  return filled("ones", shape, 1, options);
}
/** Every element equal to `value`. */
export function full(
  shape: Shape,
  value: number,
  options: { dtype?: DType; requiresGrad?: boolean } = {},
): Tensor {
  return filled("full", shape, value, options);
}
export function zerosLike(t: Tensor, options: { dtype?: DType; requiresGrad?: boolean } = {}): Tensor {
  return zeros(t.shape, { dtype: t.dtype, ...options });
}
export function onesLike(t: Tensor, options: { dtype?: DType; requiresGrad?: boolean } = {}): Tensor {
  return ones(t.shape, { dtype: t.dtype, ...options });
}
export function fullLike(
  t: Tensor,
  value: number,
  options: { dtype?: DType; requiresGrad?: boolean } = {},
): Tensor {
  return full(t.shape, value, { dtype: t.dtype, ...options });
}

/**
 * Evenly spaced values in [start, stop) with `step`, like NumPy: arange(5), arange(1, 4), arange(0, 1, 0.25).
 */
export function arange(start: number, stop?: number, step = 1, options: { dtype?: DType } = {}): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step)) {
    throw new ValueError(`arange: start, stop and step must be finite (got ${start}, ${stop}, ${step})`);
  }
  if (step === 0) throw new ValueError("arange: step must not be zero");
  const count = Math.max(0, Math.ceil((stop - start) / step));
  const dtype = checkDType("arange", options.dtype ?? "float32");
  const data = allocate(dtype, count);
  for (let i = 0; i < count; i++) data[i] = start + i * step;
  return new Tensor(data, [count]);
}

/** `num` evenly spaced values from start to stop inclusive. */
export function linspace(start: number, stop: number, num: number, options: { dtype?: DType } = {}): Tensor {
  if (!Number.isInteger(num) || num < 0)
    throw new ValueError(`linspace: num must be a non-negative integer (got ${num})`);
  const dtype = checkDType("linspace", options.dtype ?? "float32");
  const data = allocate(dtype, num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) data[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return new Tensor(data, [num]);
}

/** Identity matrix n x m (m defaults to n). */
export function eye(n: number, m: number = n, options: { dtype?: DType } = {}): Tensor {
  validateShape("eye", [n, m]);
  const dtype = checkDType("eye", options.dtype ?? "float32");
  const data = allocateFor("eye", dtype, [n, m]);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return new Tensor(data, [n, m]);
}

function randomTensor(
  op: string,
  shape: Shape,
  options: RandomOptions,
  draw: (g: Generator) => number,
): Tensor {
  validateShape(op, shape);
  const dtype = checkDType(op, options.dtype ?? "float32");
  if (dtype !== "float32" && dtype !== "float64")
    throw new DTypeError(`${op}: dtype must be float32 or float64 (got ${dtype})`);
  const g = options.generator ?? getGenerator();
  const data = allocateFor(op, dtype, shape);
  for (let i = 0; i < data.length; i++) data[i] = draw(g);
  const t = new Tensor(data, shape);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

/** Uniform samples in [low, high) (default [0, 1)). */
export function rand(shape: Shape, options: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  if (!(high >= low)) throw new ValueError(`rand: expected low <= high (got ${low} and ${high})`);
  return randomTensor("rand", shape, options, (g) => g.uniform(low, high));
}

/** Normal samples with the given mean and std (default standard normal). */
export function randn(shape: Shape, options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  if (!(std >= 0)) throw new ValueError(`randn: std must be non-negative (got ${std})`);
  return randomTensor("randn", shape, options, (g) => g.normal(mean, std));
}

/** Uniform integers in [low, high), int32 by default. */
export function randint(
  low: number,
  high: number,
  shape: Shape,
  options: { dtype?: DType; generator?: Generator } = {},
): Tensor {
  validateShape("randint", shape);
  const dtype = checkDType("randint", options.dtype ?? "int32");
  // NOTE: a bool tensor must hold only 0 and 1, which random integers would break
  if (dtype === "bool") throw new DTypeError("randint: dtype must be int32, float32 or float64 (got bool)");
  const g = options.generator ?? getGenerator();
  const data = allocateFor("randint", dtype, shape);
  for (let i = 0; i < data.length; i++) data[i] = g.int(low, high);
  return new Tensor(data, shape);
}

export function randLike(t: Tensor, options: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  return rand(t.shape, { dtype: t.dtype, ...options });
}
export function randnLike(t: Tensor, options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  return randn(t.shape, { dtype: t.dtype, ...options });
}
