// backend/reference/reduce: reductions, cumulative sums and softmax over the middle axis of an
// [outer, size, inner] view. Sums accumulate in float64 whatever the storage dtype.
import type { FloatArray, TypedArray } from "../../core/dtype.js";
import type { Kernels, ReduceOp } from "../kernels.js";

type Reducer = (x: TypedArray, start: number, size: number, stride: number) => number;

const reducers = {
  sum: (x, start, size, stride) => {
    let acc = 0;
    for (let i = 0, p = start; i < size; i++, p += stride) acc += x[p]!;
    return acc;
  },
  prod: (x, start, size, stride) => {
    let acc = 1;
    // int32 products wrap exactly with Math.imul (a float64 product may lose its low bits)
    if (x instanceof Int32Array)
      for (let i = 0, p = start; i < size; i++, p += stride) acc = Math.imul(acc, x[p]!);
    else for (let i = 0, p = start; i < size; i++, p += stride) acc *= x[p]!;
    return acc;
  },
  max: (x, start, size, stride) => {
    let best = Number.NEGATIVE_INFINITY;
    for (let i = 0, p = start; i < size; i++, p += stride) {
      const v = x[p]!;
      if (v !== v) return Number.NaN;
      if (v > best) best = v;
    }
    return best;
  },
  min: (x, start, size, stride) => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0, p = start; i < size; i++, p += stride) {
      const v = x[p]!;
      if (v !== v) return Number.NaN;
      if (v < best) best = v;
    }
    return best;
  },
  // First index of the extreme value; a NaN wins at its first occurrence (NumPy's rule).
  argmax: (x, start, size, stride) => {
    let best = Number.NEGATIVE_INFINITY;
    let at = 0;
    for (let i = 0, p = start; i < size; i++, p += stride) {
      const v = x[p]!;
      if (v !== v) return i;
      if (v > best || i === 0) {
        best = v;
        at = i;
      }
    }
    return at;
  },
  argmin: (x, start, size, stride) => {
    let best = Number.POSITIVE_INFINITY;
    let at = 0;
    for (let i = 0, p = start; i < size; i++, p += stride) {
      const v = x[p]!;
      if (v !== v) return i;
      if (v < best || i === 0) {
        best = v;
        at = i;
      }
    }
    return at;
  },
  any: (x, start, size, stride) => {
    for (let i = 0, p = start; i < size; i++, p += stride) if (x[p] !== 0) return 1;
    return 0;
  },
  all: (x, start, size, stride) => {
    for (let i = 0, p = start; i < size; i++, p += stride) if (x[p] === 0) return 0;
    return 1;
  },
} satisfies Record<ReduceOp, Reducer>;

function makeReduce(f: Reducer) {
  return (x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void => {
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) out[o * inner + j] = f(x, o * size * inner + j, size, inner);
    }
  };
}

export const reduceKernels = {
  sum: makeReduce(reducers.sum),
  prod: makeReduce(reducers.prod),
  max: makeReduce(reducers.max),
  min: makeReduce(reducers.min),
  argmax: makeReduce(reducers.argmax),
  argmin: makeReduce(reducers.argmin),
  any: makeReduce(reducers.any),
  all: makeReduce(reducers.all),
} satisfies Kernels["reduce"];

export const cumsumKernel: Kernels["cumsum"] = (x, outer, size, inner, reverse, out) => {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * size * inner + j;
      let acc = 0;
      for (let t = 0; t < size; t++) {
        const p = base + (reverse ? size - 1 - t : t) * inner;
        acc += x[p]!;
        out[p] = acc;
      }
    }
  }
};

function softmaxLike(log: boolean) {
  return (x: FloatArray, outer: number, size: number, inner: number, out: FloatArray): void => {
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * size * inner + j;
        let max = Number.NEGATIVE_INFINITY;
        for (let t = 0, p = base; t < size; t++, p += inner) if (x[p]! > max || x[p] !== x[p]) max = x[p]!;
        if (max === Number.NEGATIVE_INFINITY) max = 0; // all -inf: keep exp finite, result is NaN-free 0/0 below
        let sum = 0;
        for (let t = 0, p = base; t < size; t++, p += inner) sum += Math.exp(x[p]! - max);
        if (log) {
          const logSum = Math.log(sum) + max;
          for (let t = 0, p = base; t < size; t++, p += inner) out[p] = x[p]! - logSum;
        } else {
          for (let t = 0, p = base; t < size; t++, p += inner) out[p] = Math.exp(x[p]! - max) / sum;
        }
      }
    }
  };
}

export const softmaxKernel: Kernels["softmax"] = softmaxLike(false);
export const logSoftmaxKernel: Kernels["logSoftmax"] = softmaxLike(true);
