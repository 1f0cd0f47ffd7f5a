// backend/native/table: wraps the addon's functions into a kernel table. Op names map to the
// addon's numeric codes by the name lists it exports, so an op the addon does not list stays
// out of the table and falls back to the reference kernel. Shapes and strides travel in one
// reused Float64Array (the addon reads it synchronously), which is cheaper than JS arrays.
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
import type { NativeAddon } from "./addon.js";
import { attentionKernels } from "./attention.js";
import { convKernels } from "./conv.js";
import { epilogueKernels } from "./epilogue.js";
import { normKernels } from "./norm.js";
import { optimKernels } from "./optim.js";
import { recurrentKernels } from "./recurrent.js";

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

/** The window kernels the addon exports (older builds may lack them: they fall back). */
function windowKernels(addon: NativeAddon): PartialKernels {
  const table: PartialKernels = {};
  const { im2col, col2im, maxPool, maxPoolBackward, avgPool, avgPoolBackward } = addon;
  if (im2col) table.im2col = (x, g, out) => im2col.call(addon, x, out, packGeometry(g));
  if (col2im) table.col2im = (cols, g, out) => col2im.call(addon, cols, out, packGeometry(g));
  if (maxPool) table.maxPool = (x, g, out, argmax) => maxPool.call(addon, x, out, argmax, packGeometry(g));
  if (maxPoolBackward)
    table.maxPoolBackward = (dy, argmax, g, out) =>
      maxPoolBackward.call(addon, dy, argmax, out, packGeometry(g));
  if (avgPool) table.avgPool = (x, g, out) => avgPool.call(addon, x, out, packGeometry(g));
  if (avgPoolBackward)
    table.avgPoolBackward = (dy, g, out) => avgPoolBackward.call(addon, dy, out, packGeometry(g));
  return table;
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
    ...recurrentKernels(addon),
    ...attentionKernels(addon),
    ...normKernels(addon),
    ...optimKernels(addon),
    ...convKernels(addon),
    ...epilogueKernels(addon),
  };
}
