// backend/native/table: wraps the addon's functions into a kernel table. Op names map to the
// addon's numeric codes by the name lists it exports, so an op the addon does not list stays
// out of the table and falls back to the reference kernel. Shapes and strides travel in one
// reused Float64Array (the addon reads it synchronously), which is cheaper than JS arrays.
// The fused kernels are bound by name in one loop over the fused-op definitions: each call passes
// its arrays and then the definition's positional tail (or runs the reference when the tail is
// undefined), so a new fused op needs no wiring here.

import { type AnyKernel, entriesOf, type KernelEntry } from "../fused/define.js";
import { FUSED_OPS } from "../fused/index.js";
import {
  BINARY_OPS,
  type BinaryOp,
  type EpilogueActivation,
  type Kernels,
  type PartialKernels,
  REDUCE_OPS,
  type ReduceOp,
  UNARY_OPS,
  type UnaryOp,
  type WindowGeometry,
} from "../kernels.js";
import type { NativeAddon, NativeEntry } from "./addon.js";
import { convKernels } from "./conv.js";

const ACTIVATION_CODES: Record<EpilogueActivation, number> = { none: 0, relu: 1, sigmoid: 2, tanh: 3 };

let meta = new Float64Array(64);

/** The shared metadata array, at least `length` long. */
function metaOf(length: number): Float64Array {
  if (meta.length < length) meta = new Float64Array(Math.max(length, meta.length * 2));
  return meta;
}

/** Writes [rank, shape..., strides of each list...] from position `at`; returns the array. */
function packView(
  at: number,
  shape: readonly number[],
  strideLists: readonly (readonly number[])[],
): Float64Array {
  const rank = shape.length;
  const m = metaOf(at + 1 + rank * (1 + strideLists.length));
  m[at] = rank;
  for (let d = 0; d < rank; d++) m[at + 1 + d] = shape[d]!;
  strideLists.forEach((strides, i) => {
    const base = at + 1 + rank * (i + 1);
    for (let d = 0; d < rank; d++) m[base + d] = strides[d]!;
  });
  return m;
}

/** The 14 geometry fields, in native/src/window.h order, in the shared metadata array. */
function packGeometry(g: WindowGeometry): Float64Array {
  const m = metaOf(14);
  m[0] = g.batch;
  m[1] = g.inH;
  m[2] = g.inW;
  m[3] = g.channels;
  m[4] = g.kernelH;
  m[5] = g.kernelW;
  m[6] = g.strideH;
  m[7] = g.strideW;
  m[8] = g.dilationH;
  m[9] = g.dilationW;
  m[10] = g.padTop;
  m[11] = g.padLeft;
  m[12] = g.outH;
  m[13] = g.outW;
  return m;
}

/** The window kernels of the addon. */
function windowKernels(addon: NativeAddon): PartialKernels {
  return {
    im2col: (x, g, out) => addon.im2col(x, out, packGeometry(g)),
    col2im: (cols, g, out) => addon.col2im(cols, out, packGeometry(g)),
    maxPool: (x, g, out, argmax) => addon.maxPool(x, out, argmax, packGeometry(g)),
    maxPoolBackward: (dy, argmax, g, out) => addon.maxPoolBackward(dy, argmax, out, packGeometry(g)),
    avgPool: (x, g, out) => addon.avgPool(x, out, packGeometry(g)),
    avgPoolBackward: (dy, g, out) => addon.avgPoolBackward(dy, out, packGeometry(g)),
  };
}

/** One fused entry bound to the addon function of the same name: arrays, then the positional tail. */
export function bindPositional(addon: NativeAddon, entry: KernelEntry, fn: NativeEntry): AnyKernel {
  const { reference, tail } = entry;
  return (...args: unknown[]) => {
    const extra = tail(args[args.length - 1], args, addon);
    if (extra === undefined) {
      reference(...args);
      return;
    }
    args.pop();
    for (const value of extra) args.push(value);
    fn.apply(addon, args);
  };
}

/** Every fused kernel of the addon, bound by the definitions' names. */
function fusedKernels(addon: NativeAddon): PartialKernels {
  const table: Record<string, AnyKernel> = {};
  const functions = addon as unknown as Record<string, NativeEntry>;
  for (const op of FUSED_OPS) {
    for (const entry of entriesOf(op)) {
      const fn = functions[entry.name];
      if (fn !== undefined) table[entry.name] = bindPositional(addon, entry, fn);
    }
  }
  return table as PartialKernels;
}

function codes<K extends string>(names: readonly K[], exported: readonly string[]): Map<K, number> {
  const map = new Map<K, number>();
  for (const name of names) {
    const code = exported.indexOf(name);
    if (code >= 0) map.set(name, code);
  }
  return map;
}

/** The native kernel table for a loaded addon. */
export function nativeKernels(addon: NativeAddon): PartialKernels {
  const unary: Partial<Kernels["unary"]> = {};
  for (const [name, code] of codes<UnaryOp>(UNARY_OPS, addon.unaryOps)) {
    unary[name] = (x, out) => addon.unary(code, x, out);
  }
  const binary: Partial<Kernels["binary"]> = {};
  for (const [name, code] of codes<BinaryOp>(BINARY_OPS, addon.binaryOps)) {
    binary[name] = (a, aStrides, b, bStrides, out, outShape) =>
      addon.binary(code, a, b, out, packView(0, outShape, [aStrides, bStrides]));
  }
  const reduce: Partial<Kernels["reduce"]> = {};
  for (const [name, code] of codes<ReduceOp>(REDUCE_OPS, addon.reduceOps)) {
    reduce[name] = (x, outer, size, inner, out) => addon.reduce(code, x, outer, size, inner, out);
  }
  return {
    unary,
    binary,
    reduce,
    where: (cond, condStrides, a, aStrides, b, bStrides, out, outShape) =>
      addon.where(cond, a, b, out, packView(0, outShape, [condStrides, aStrides, bStrides])),
    cumsum: (x, outer, size, inner, reverse, out) => addon.cumsum(x, outer, size, inner, reverse, out),
    softmax: (x, outer, size, inner, out) => addon.softmax(x, outer, size, inner, false, out),
    logSoftmax: (x, outer, size, inner, out) => addon.softmax(x, outer, size, inner, true, out),
    matmul: (a, b, out, p) =>
      addon.matmul(
        a,
        b,
        out,
        p.bias ?? null,
        p.batch,
        p.m,
        p.n,
        p.k,
        p.transA,
        p.transB,
        p.aBatchStride,
        p.bBatchStride,
        ACTIVATION_CODES[p.activation ?? "none"],
      ),
    stridedCopy: (src, srcView, dst, dstView, shape) => {
      const m = packView(2, shape, [srcView.strides, dstView.strides]);
      m[0] = shape.length;
      m[1] = srcView.offset;
      m[2] = dstView.offset;
      addon.stridedCopy(src, dst, m);
    },
    gather: (x, outer, size, inner, indices, out) => addon.gather(x, outer, size, inner, indices, out),
    scatterAdd: (updates, outer, size, inner, indices, out) =>
      addon.scatterAdd(updates, outer, size, inner, indices, out),
    cast: (x, out) => addon.cast(x, out),
    ...windowKernels(addon),
    ...fusedKernels(addon),
    ...convKernels(addon),
  };
}
