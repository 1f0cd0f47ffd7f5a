// io/onnx/import/ops-index: ONNX's index-driven operators over flat positions: GatherND,
// ScatterND, ScatterElements, NonZero, Compress and ReverseSequence. Each computes the flat source
// (or target) position of every element and moves values with one gather or a copy, so any rank
// works. Layer: io.
import { FormatError } from "../../../core/errors.js";
import { cast, gather, reshape } from "../../../ops/index.js";
import { Tensor } from "../../../tensor/tensor.js";
import { axisOf, intsOf, intTensor, need, type OpFn, one } from "./op-types.js";

const stridesOf = (shape: readonly number[]): number[] =>
  shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));

/** Coordinates of flat position `k` in `shape`. */
function coordinates(k: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = k % shape[i]!;
    k = Math.floor(k / shape[i]!);
  }
  return out;
}

/** A copy of x with values written at flat positions (reduction "none", "add", "mul", "max", "min"). */
function scatterFlat(x: Tensor, positions: readonly number[], updates: Tensor, reduction: string): Tensor {
  const data = x.data.slice() as Float32Array;
  positions.forEach((p, k) => {
    const u = Number(updates.data[k]);
    const old = Number(data[p]);
    data[p] =
      reduction === "add"
        ? old + u
        : reduction === "mul"
          ? old * u
          : reduction === "max"
            ? Math.max(old, u)
            : reduction === "min"
              ? Math.min(old, u)
              : u;
  });
  return new Tensor(data, [...x.shape], x.dtype);
}

export const indexOps: Record<string, OpFn> = {
  GatherND: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const indices = need(inputs, 1, ctx);
    const b = attrs.int("batch_dims", 0);
    const q = indices.shape[indices.rank - 1]!;
    const strides = stridesOf(x.shape);
    const sliceShape = x.shape.slice(b + q);
    const sliceSize = sliceShape.reduce((p, d) => p * d, 1);
    const batchSize = x.shape.slice(0, b).reduce((p, d) => p * d, 1);
    const tuples = indices.size / q;
    const perBatch = tuples / batchSize;
    const flat: number[] = [];
    const idx = intsOf(indices);
    for (let t = 0; t < tuples; t++) {
      const batch = Math.floor(t / perBatch);
      let base = 0;
      const bc = coordinates(batch, x.shape.slice(0, b));
      bc.forEach((c, i) => {
        base += c * strides[i]!;
      });
      for (let j = 0; j < q; j++) {
        let v = idx[t * q + j]!;
        if (v < 0) v += x.shape[b + j]!;
        base += v * strides[b + j]!;
      }
      for (let s = 0; s < sliceSize; s++) flat.push(base + s);
    }
    const out = gather(reshape(x, [x.size]), intTensor(flat), 0);
    return reshape(out, [...indices.shape.slice(0, -1), ...sliceShape]);
  }),
  ScatterND: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const indices = need(inputs, 1, ctx);
    const updates = need(inputs, 2, ctx);
    const q = indices.shape[indices.rank - 1]!;
    const strides = stridesOf(x.shape);
    const sliceSize = x.shape.slice(q).reduce((p, d) => p * d, 1);
    const idx = intsOf(indices);
    const positions: number[] = [];
    for (let t = 0; t < indices.size / q; t++) {
      let base = 0;
      for (let j = 0; j < q; j++)
        base += (idx[t * q + j]! < 0 ? idx[t * q + j]! + x.shape[j]! : idx[t * q + j]!) * strides[j]!;
      for (let s = 0; s < sliceSize; s++) positions.push(base + s);
    }
    return scatterFlat(x, positions, updates, attrs.string("reduction", "none"));
  }),
  ScatterElements: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const indices = need(inputs, 1, ctx);
    const updates = need(inputs, 2, ctx);
    const a = axisOf(attrs.int("axis", 0), x.rank, ctx);
    const strides = stridesOf(x.shape);
    const idx = intsOf(indices);
    const positions = idx.map((v, k) => {
      const c = coordinates(k, indices.shape);
      c[a] = v < 0 ? v + x.shape[a]! : v;
      return c.reduce((p, ci, i) => p + ci * strides[i]!, 0);
    });
    return scatterFlat(x, positions, updates, attrs.string("reduction", "none"));
  }),
  NonZero: one((inputs, _attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const hits: number[][] = [];
    for (let k = 0; k < x.size; k++) if (Number(x.data[k]) !== 0) hits.push(coordinates(k, x.shape));
    // (rank, count): row r holds the r-th coordinate of every non-zero
    return intTensor(
      x.shape.flatMap((_, r) => hits.map((h) => h[r]!)),
      [x.rank, hits.length],
    );
  }),
  Compress: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const keep = intsOf(cast(need(inputs, 1, ctx), "int32"));
    if (!attrs.has("axis")) {
      const picked = keep.flatMap((v, i) => (v !== 0 && i < x.size ? [i] : []));
      return gather(reshape(x, [x.size]), intTensor(picked), 0);
    }
    const a = axisOf(attrs.int("axis"), x.rank, ctx);
    const picked = keep.flatMap((v, i) => (v !== 0 && i < x.shape[a]! ? [i] : []));
    return gather(x, intTensor(picked), a);
  }),
  ReverseSequence: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const lens = intsOf(need(inputs, 1, ctx));
    const timeAxis = attrs.int("time_axis", 0);
    const batchAxis = attrs.int("batch_axis", 1);
    if (timeAxis === batchAxis) throw new FormatError(`${ctx.where}: time_axis and batch_axis must differ`);
    const strides = stridesOf(x.shape);
    const source = Array.from({ length: x.size }, (_, k) => {
      const c = coordinates(k, x.shape);
      const n = lens[c[batchAxis]!]!;
      if (c[timeAxis]! < n) c[timeAxis] = n - 1 - c[timeAxis]!;
      return c.reduce((p, ci, i) => p + ci * strides[i]!, 0);
    });
    return reshape(gather(reshape(x, [x.size]), intTensor(source), 0), [...x.shape]);
  }),
};

// Scatter: the opset 9-10 name of ScatterElements
indexOps.Scatter = indexOps.ScatterElements!;
