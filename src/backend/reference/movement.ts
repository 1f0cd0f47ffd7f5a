// backend/reference/movement: strided copies (transpose, slice, flip, broadcast, concat, pad,
// tile), gather / scatter-add along an axis, and dtype casts.
import type { Kernels } from "../kernels.js";

export const stridedCopyKernel: Kernels["stridedCopy"] = (src, srcView, dst, dstView, shape) => {
  const rank = shape.length;
  for (const d of shape) if (d === 0) return;
  if (rank === 0) {
    dst[dstView.offset] = src[srcView.offset]!;
    return;
  }
  const index = new Array<number>(rank).fill(0);
  const last = shape[rank - 1]!;
  const sLast = srcView.strides[rank - 1]!;
  const dLast = dstView.strides[rank - 1]!;
  let s = srcView.offset;
  let d = dstView.offset;
  for (;;) {
    for (let j = 0, ps = s, pd = d; j < last; j++, ps += sLast, pd += dLast) dst[pd] = src[ps]!;
    let axis = rank - 2;
    while (axis >= 0) {
      index[axis] = index[axis]! + 1;
      s += srcView.strides[axis]!;
      d += dstView.strides[axis]!;
      if (index[axis]! < shape[axis]!) break;
      s -= srcView.strides[axis]! * shape[axis]!;
      d -= dstView.strides[axis]! * shape[axis]!;
      index[axis] = 0;
      axis--;
    }
    if (axis < 0) return;
  }
};

export const gatherKernel: Kernels["gather"] = (x, outer, size, inner, indices, out) => {
  const count = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < count; t++) {
      const from = (o * size + indices[t]!) * inner;
      const to = (o * count + t) * inner;
      for (let j = 0; j < inner; j++) out[to + j] = x[from + j]!;
    }
  }
};

export const scatterAddKernel: Kernels["scatterAdd"] = (updates, outer, size, inner, indices, out) => {
  const count = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < count; t++) {
      const to = (o * size + indices[t]!) * inner;
      const from = (o * count + t) * inner;
      for (let j = 0; j < inner; j++) out[to + j] = out[to + j]! + updates[from + j]!;
    }
  }
};

export const castKernel: Kernels["cast"] = (x, out) => {
  const n = x.length;
  if (out instanceof Uint8Array) {
    for (let i = 0; i < n; i++) out[i] = x[i] !== 0 ? 1 : 0;
  } else if (out instanceof Int32Array && !(x instanceof Int32Array) && !(x instanceof Uint8Array)) {
    for (let i = 0; i < n; i++) out[i] = Math.trunc(x[i]!);
  } else {
    out.set(x);
  }
};
