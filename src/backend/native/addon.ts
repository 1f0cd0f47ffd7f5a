// backend/native/addon: the shape of the C++ addon's exports (native/src/*-napi.cc) and the one
// check the loader runs on a loaded module: its interface version (native/src/exports.h
// kAbiVersion) and every function the kernel table binds. The addon is built from this tree, so
// nothing is optional: a module that does not match is refused as a whole and Tessera runs on the
// reference backend. The fused kernels' entry points are not listed here: their names come from
// the fused-op definitions (backend/fused). Pure types and validation: no Node imports, so the
// kernel table can be built and tested without loading anything.
import type { FloatArray, TypedArray } from "../../core/dtype.js";
import { FUSED_KERNEL_NAMES, type FusedKernelName } from "../fused/index.js";

/** The interface version this tree's TypeScript expects (native/src/exports.h kAbiVersion). */
export const NATIVE_ABI_VERSION = 4;

/** A fused kernel's entry point: the kernel's arrays, then its positional tail (backend/fused/define). */
export type NativeEntry = (...args: unknown[]) => void;

/** ISA paths the addon is compiled with; which ones run depends on the CPU. */
export type NativeIsa = "avx512" | "avx2" | "scalar";

/** Functions exported by native/build/Release/tessera_native.node: the core ones and each fused kernel by name. */
export type NativeAddon = NativeCore & { readonly [K in FusedKernelName]: NativeEntry };

/** The addon's exports other than the fused kernels. */
export interface NativeCore {
  /** The interface version it was built with (NATIVE_ABI_VERSION when it matches this tree). */
  abiVersion: number;
  /** Names of the unary / binary / reduce ops, in the order of their numeric codes. */
  unaryOps: readonly string[];
  binaryOps: readonly string[];
  reduceOps: readonly string[];
  /** Cell activation names in the order of their numeric codes (the recurrent kernels). */
  cellActivations: readonly string[];
  unary(op: number, x: TypedArray, out: TypedArray): void;
  /** meta: [rank, shape..., aStrides..., bStrides...] */
  binary(op: number, a: TypedArray, b: TypedArray, out: TypedArray, meta: Float64Array): void;
  /** meta: [rank, shape..., condStrides..., aStrides..., bStrides...] */
  where(cond: Uint8Array, a: TypedArray, b: TypedArray, out: TypedArray, meta: Float64Array): void;
  reduce(op: number, x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void;
  cumsum(x: TypedArray, outer: number, size: number, inner: number, reverse: boolean, out: TypedArray): void;
  softmax(x: FloatArray, outer: number, size: number, inner: number, log: boolean, out: FloatArray): void;
  matmul(
    a: FloatArray,
    b: FloatArray,
    out: FloatArray,
    bias: FloatArray | null,
    batch: number,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    aBatchStride: number,
    bBatchStride: number,
    activation: number,
  ): void;
  /** meta: [rank, srcOffset, dstOffset, shape..., srcStrides..., dstStrides...] */
  stridedCopy(src: TypedArray, dst: TypedArray, meta: Float64Array): void;
  gather(
    x: TypedArray,
    outer: number,
    size: number,
    inner: number,
    indices: Int32Array,
    out: TypedArray,
  ): void;
  scatterAdd(
    updates: TypedArray,
    outer: number,
    size: number,
    inner: number,
    indices: Int32Array,
    out: TypedArray,
  ): void;
  cast(x: TypedArray, out: TypedArray): void;
  /** Window kernels (native/src/window-napi.cc); meta holds the 14 WindowGeometry fields in order. */
  im2col(x: FloatArray, out: FloatArray, meta: Float64Array): void;
  col2im(cols: FloatArray, out: FloatArray, meta: Float64Array): void;
  maxPool(x: FloatArray, out: FloatArray, argmax: Int32Array, meta: Float64Array): void;
  maxPoolBackward(dy: FloatArray, argmax: Int32Array, out: FloatArray, meta: Float64Array): void;
  avgPool(x: FloatArray, out: FloatArray, meta: Float64Array): void;
  avgPoolBackward(dy: FloatArray, out: FloatArray, meta: Float64Array): void;
  /**
   * Convolution (native/src/conv-napi.cc); groups is 1, or the channel count for a depthwise kernel.
   * meta: the 14 geometry fields, filters, groups, activation code, algorithm code (0 gemm, 1 direct).
   */
  convForward(
    x: FloatArray,
    w: FloatArray,
    bias: FloatArray | null,
    out: FloatArray,
    meta: Float64Array,
  ): void;
  /** meta: the 14 geometry fields, filters, groups, activation code, input- and kernel-gradient algorithm codes. */
  convBackward(
    x: FloatArray,
    w: FloatArray,
    y: FloatArray,
    dy: FloatArray,
    dx: FloatArray | null,
    dw: FloatArray | null,
    dbias: FloatArray | null,
    meta: Float64Array,
  ): void;
  /** The ISA path kernels take now, the ones this CPU supports (fastest first), and a switch. */
  getIsa(): NativeIsa;
  supportedIsas(): NativeIsa[];
  setIsa(isa: NativeIsa): void;
  /** Threads kernels may use (TESSERA_NUM_THREADS, else the usable cores). */
  getNumThreads(): number;
  setNumThreads(count: number): void;
  availableCores(): number;
  /** Measured FP32 GFLOP/s of pure FMA streams on the active ISA path. */
  fmaPeak(threads: number, seconds?: number): number;
  /** Best GB/s of a STREAM triad a = b + s c over `megabytes` per array. */
  triadBandwidth(threads: number, megabytes: number, repeats: number): number;
}

const FUNCTIONS = [
  "unary",
  "binary",
  "where",
  "reduce",
  "cumsum",
  "softmax",
  "matmul",
  "stridedCopy",
  "gather",
  "scatterAdd",
  "cast",
  "im2col",
  "col2im",
  "maxPool",
  "maxPoolBackward",
  "avgPool",
  "avgPoolBackward",
  "convForward",
  "convBackward",
  "getIsa",
  "supportedIsas",
  "setIsa",
  "getNumThreads",
  "setNumThreads",
  "availableCores",
  "fmaPeak",
  "triadBandwidth",
] as const;

const NAME_LISTS = ["unaryOps", "binaryOps", "reduceOps", "cellActivations"] as const;

/** Why `value` is not a usable addon, or undefined when it is. */
export function addonProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return "the module did not export an object";
  const record = value as Record<string, unknown>;
  if (record.abiVersion !== NATIVE_ABI_VERSION)
    return `the addon's interface version is ${String(record.abiVersion)}, this Tessera needs ${NATIVE_ABI_VERSION} (rebuild it: npm run build:native)`;
  for (const name of [...FUNCTIONS, ...FUSED_KERNEL_NAMES]) {
    if (typeof record[name] !== "function") return `the module lacks the function ${name}`;
  }
  for (const name of NAME_LISTS) {
    const list = record[name];
    if (!Array.isArray(list) || !list.every((item) => typeof item === "string"))
      return `the module's ${name} is not a list of names`;
  }
  return undefined;
}
