// backend/reference/elementwise: unary, binary and where kernels over typed arrays. Binary ops
// read operands through broadcast strides; the common contiguous and scalar cases take flat loops.
import type { TypedArray } from "../../core/dtype.js";
import type { BinaryOp, Kernels, UnaryOp } from "../kernels.js";
import { erf, floorMod, roundHalfEven, sigmoid, softplus } from "./scalar-math.js";

type Scalar1 = (x: number) => number;
type Scalar2 = (a: number, b: number) => number;

const unaryScalar = {
  neg: (x) => -x,
  abs: Math.abs,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  tanh: Math.tanh,
  sigmoid,
  relu: (x) => (x > 0 ? x : x === x ? 0 : x),
  softplus,
  erf,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  isNaN: (x) => (x !== x ? 1 : 0),
  isFinite: (x) => (Number.isFinite(x) ? 1 : 0),
  logicalNot: (x) => (x === 0 ? 1 : 0),
} satisfies Record<UnaryOp, Scalar1>;

export const binaryScalar = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: Math.max,
  minimum: Math.min,
  mod: floorMod,
  atan2: Math.atan2,
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
  logicalXor: (a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0),
} satisfies Record<BinaryOp, Scalar2>;

function makeUnary(f: Scalar1) {
  return (x: TypedArray, out: TypedArray): void => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = f(x[i]!);
  };
}

function isContiguous(strides: readonly number[], shape: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== expected) return false;
    expected *= shape[i]!;
  }
  return true;
}

function isScalarRead(strides: readonly number[]): boolean {
  for (const s of strides) if (s !== 0) return false;
  return true;
}

/**
 * Calls body(outIndex, aIndex, bIndex) for every element, walking the last dimension in an inner
 * loop and the rest with an odometer. Shared by binary and where.
 */
export function forEachBroadcast(
  shape: readonly number[],
  stridesList: readonly (readonly number[])[],
  body: (outIndex: number, offsets: Int32Array | number[]) => void,
): void {
  const rank = shape.length;
  const total = shape.reduce((p, d) => p * d, 1);
  if (total === 0) return;
  const count = stridesList.length;
  const offsets = new Array<number>(count).fill(0);
  if (rank === 0) {
    body(0, offsets);
    return;
  }
  const index = new Array<number>(rank).fill(0);
  const last = shape[rank - 1]!;
  const lastStrides = stridesList.map((s) => s[rank - 1]!);
  let outIndex = 0;
  for (;;) {
    const base = offsets.slice();
    for (let j = 0; j < last; j++) {
      body(outIndex++, offsets);
      for (let t = 0; t < count; t++) offsets[t] = offsets[t]! + lastStrides[t]!;
    }
    for (let t = 0; t < count; t++) offsets[t] = base[t]!;
    let d = rank - 2;
    while (d >= 0) {
      index[d] = index[d]! + 1;
      for (let t = 0; t < count; t++) offsets[t] = offsets[t]! + stridesList[t]![d]!;
      if (index[d]! < shape[d]!) break;
      for (let t = 0; t < count; t++) offsets[t] = offsets[t]! - stridesList[t]![d]! * shape[d]!;
      index[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}

function makeBinary(f: Scalar2) {
  return (
    a: TypedArray,
    aStrides: readonly number[],
    b: TypedArray,
    bStrides: readonly number[],
    out: TypedArray,
    outShape: readonly number[],
  ): void => {
    const n = out.length;
    const aFlat = isContiguous(aStrides, outShape);
    const bFlat = isContiguous(bStrides, outShape);
    if (aFlat && bFlat) {
      for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!);
      return;
    }
    if (aFlat && isScalarRead(bStrides)) {
      const bv = b[0]!;
      for (let i = 0; i < n; i++) out[i] = f(a[i]!, bv);
      return;
    }
    if (bFlat && isScalarRead(aStrides)) {
      const av = a[0]!;
      for (let i = 0; i < n; i++) out[i] = f(av, b[i]!);
      return;
    }
    forEachBroadcast(outShape, [aStrides, bStrides], (o, off) => {
      out[o] = f(a[off[0]!]!, b[off[1]!]!);
    });
  };
}

function mapTable<K extends string, V, R>(table: Record<K, V>, f: (v: V) => R): Record<K, R> {
  const out = {} as Record<K, R>;
  for (const key of Object.keys(table) as K[]) out[key] = f(table[key]);
  return out;
}

/**
 * int32 arithmetic wraps (two's complement), as in C and NumPy. NOTE: a float64 product of two
 * int32 values can exceed 2^53 and lose its low bits before the store wraps it, so products use
 * Math.imul; sums and differences are exact in float64 and wrap correctly on store.
 */
function int32Pow(a: number, b: number): number {
  if (b < 0) return Math.trunc(a ** b); // 1, -1 or 0 (or a division by zero for a == 0)
  let result = 1;
  let base = a | 0;
  for (let e = b; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
  }
  return result;
}

type UnaryKernel = Kernels["unary"][UnaryOp];
type BinaryKernel = Kernels["binary"][BinaryOp];

function unaryInt32Aware(float: UnaryKernel, int32: UnaryKernel): UnaryKernel {
  return (x, out) => (out instanceof Int32Array ? int32 : float)(x, out);
}

function binaryInt32Aware(float: BinaryKernel, int32: BinaryKernel): BinaryKernel {
  return (a, aStrides, b, bStrides, out, outShape) =>
    (out instanceof Int32Array ? int32 : float)(a, aStrides, b, bStrides, out, outShape);
}

export const unaryKernels: Kernels["unary"] = {
  ...mapTable(unaryScalar, makeUnary),
  square: unaryInt32Aware(
    makeUnary(unaryScalar.square),
    makeUnary((x) => Math.imul(x, x)),
  ),
};
export const binaryKernels: Kernels["binary"] = {
  ...mapTable(binaryScalar, makeBinary),
  mul: binaryInt32Aware(makeBinary(binaryScalar.mul), makeBinary(Math.imul)),
  pow: binaryInt32Aware(makeBinary(binaryScalar.pow), makeBinary(int32Pow)),
};

export const whereKernel: Kernels["where"] = (cond, condStrides, a, aStrides, b, bStrides, out, outShape) => {
  forEachBroadcast(outShape, [condStrides, aStrides, bStrides], (o, off) => {
    out[o] = cond[off[0]!] ? a[off[1]!]! : b[off[2]!]!;
  });
};
