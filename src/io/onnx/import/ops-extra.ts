// io/onnx/import/ops-extra: the less common ONNX operators that small models and the ONNX node
// tests use: inverse/hyperbolic trigonometry, Round (half to even), IsInf, CumSum, GatherElements,
// Hardmax, TopK, OneHot, EyeLike, DepthToSpace / SpaceToDepth, Shrink, CastLike, ReduceL1 and
// ReduceLogSum. Layer: io.
import {
  abs,
  add,
  argmax,
  cast,
  cumsum,
  equal,
  gather,
  greater,
  less,
  log,
  logicalAnd,
  logicalOr,
  mul,
  oneHot,
  reshape,
  sub,
  sum,
  topk,
  transpose,
  where,
} from "../../../ops/index.js";
import { Tensor } from "../../../tensor/tensor.js";
import { asFloat, axisOf, intsOf, intTensor, need, type OpFn, one, scalarOf } from "./op-types.js";
import { axesOf } from "./ops-shape.js";

/** An elementwise op computed with a JS function (for the functions Tessera has no op for). */
function mapFloat(fn: (v: number) => number): OpFn {
  return one((inputs, _a, ctx) => {
    const x = asFloat(need(inputs, 0, ctx));
    const out = x.dtype === "float64" ? new Float64Array(x.size) : new Float32Array(x.size);
    for (let i = 0; i < x.size; i++) out[i] = fn(Number(x.data[i]));
    return new Tensor(out, [...x.shape]);
  });
}

/** Half to even, as ONNX Round (and numpy) round. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function reduceWith(fn: (x: Tensor, axes: number[], keep: boolean) => Tensor): OpFn {
  return one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const axes = axesOf(inputs, 1, attrs);
    const keep = attrs.int("keepdims", 1) === 1;
    if (axes === null || axes.length === 0) {
      if (attrs.int("noop_with_empty_axes", 0) === 1) return x;
      return fn(
        x,
        x.shape.map((_, i) => i),
        keep,
      );
    }
    return fn(
      x,
      axes.map((a) => axisOf(a, x.rank, ctx)),
      keep,
    );
  });
}

/** DepthToSpace / SpaceToDepth on (N, C, H, W). */
function depthSpace(toSpace: boolean): OpFn {
  return one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const b = attrs.int("blocksize");
    const [N, C, H, W] = x.shape as [number, number, number, number];
    if (!toSpace) {
      const t = reshape(x, [N, C, H / b, b, W / b, b]);
      return reshape(transpose(t, [0, 3, 5, 1, 2, 4]), [N, C * b * b, H / b, W / b]);
    }
    if (attrs.string("mode", "DCR") === "DCR") {
      const t = reshape(x, [N, b, b, C / (b * b), H, W]);
      return reshape(transpose(t, [0, 3, 4, 1, 5, 2]), [N, C / (b * b), H * b, W * b]);
    }
    const t = reshape(x, [N, C / (b * b), b, b, H, W]);
    return reshape(transpose(t, [0, 1, 4, 2, 5, 3]), [N, C / (b * b), H * b, W * b]);
  });
}

export const extraOps: Record<string, OpFn> = {
  Sinh: mapFloat(Math.sinh),
  Cosh: mapFloat(Math.cosh),
  Asin: mapFloat(Math.asin),
  Acos: mapFloat(Math.acos),
  Atan: mapFloat(Math.atan),
  Asinh: mapFloat(Math.asinh),
  Acosh: mapFloat(Math.acosh),
  Atanh: mapFloat(Math.atanh),
  Round: mapFloat(roundHalfEven),
  IsInf: one((inputs, attrs, ctx) => {
    const x = asFloat(need(inputs, 0, ctx));
    const pos = attrs.int("detect_positive", 1) === 1;
    const neg = attrs.int("detect_negative", 1) === 1;
    const up = logicalAnd(
      equal(x, Number.POSITIVE_INFINITY),
      equal(x, pos ? Number.POSITIVE_INFINITY : Number.NaN),
    );
    const down = logicalAnd(
      equal(x, Number.NEGATIVE_INFINITY),
      equal(x, neg ? Number.NEGATIVE_INFINITY : Number.NaN),
    );
    return logicalOr(up, down);
  }),
  CumSum: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const a = axisOf(scalarOf(need(inputs, 1, ctx)), x.rank, ctx);
    const reverse = attrs.int("reverse", 0) === 1;
    const y = cumsum(x, a, { reverse });
    // exclusive: shift by one along the axis
    return attrs.int("exclusive", 0) === 1 ? sub(y, x) : y;
  }),
  GatherElements: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const index = need(inputs, 1, ctx);
    const a = axisOf(attrs.int("axis", 0), x.rank, ctx);
    // flat source positions: the index replaces the coordinate on the axis
    const strides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((p, d) => p * d, 1));
    const flat = new Array<number>(index.size);
    const coord = new Array<number>(index.rank).fill(0);
    for (let k = 0; k < index.size; k++) {
      let rest = k;
      for (let i = index.rank - 1; i >= 0; i--) {
        coord[i] = rest % index.shape[i]!;
        rest = Math.floor(rest / index.shape[i]!);
      }
      let pos = 0;
      for (let i = 0; i < index.rank; i++) {
        let c = i === a ? Number(index.data[k]) : coord[i]!;
        if (i === a && c < 0) c += x.shape[a]!;
        pos += c * strides[i]!;
      }
      flat[k] = pos;
    }
    return reshape(gather(reshape(x, [x.size]), intTensor(flat), 0), [...index.shape]);
  }),
  Hardmax: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const a = axisOf(attrs.int("axis", -1), x.rank, ctx);
    const moved = a === x.rank - 1 ? x : transpose(x, [...x.shape.keys()].filter((i) => i !== a).concat(a));
    const hot = oneHot(argmax(moved, -1), moved.shape[moved.rank - 1]!, { dtype: x.dtype });
    if (a === x.rank - 1) return hot;
    const order = [...x.shape.keys()].filter((i) => i !== a).concat(a);
    return transpose(
      hot,
      order.map((_, i) => order.indexOf(i)),
    );
  }),
  TopK: (inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const k = scalarOf(need(inputs, 1, ctx));
    const { values, indices } = topk(x, k, {
      axis: attrs.int("axis", -1),
      largest: attrs.int("largest", 1) === 1,
    });
    return [values, indices];
  },
  OneHot: one((inputs, attrs, ctx) => {
    const indices = need(inputs, 0, ctx);
    const depth = scalarOf(need(inputs, 1, ctx));
    const values = need(inputs, 2, ctx);
    const fixed = intTensor(
      intsOf(indices).map((i) => (i < 0 ? i + depth : i)),
      [...indices.shape],
    );
    let hot = oneHot(fixed, depth, { dtype: "float32" }); // (..., depth)
    const axis = attrs.int("axis", -1);
    const rank = indices.rank + 1;
    const a = axisOf(axis, rank, ctx);
    if (a !== rank - 1) {
      const order = [...Array(rank).keys()];
      order.splice(a, 0, order.pop()!);
      hot = transpose(hot, order);
    }
    const off = cast(gather(values, intTensor([0]), 0), "float32");
    const on = cast(gather(values, intTensor([1]), 0), "float32");
    return cast(add(off, mul(hot, sub(on, off))), values.dtype);
  }),
  EyeLike: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const [R, C] = x.shape as [number, number];
    const k = attrs.int("k", 0);
    const out = new Float32Array(R * C);
    for (let i = 0; i < R; i++) if (i + k >= 0 && i + k < C) out[i * C + i + k] = 1;
    return cast(new Tensor(out, [R, C]), x.dtype);
  }),
  DepthToSpace: depthSpace(true),
  SpaceToDepth: depthSpace(false),
  Shrink: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const lambd = attrs.float("lambd", 0.5);
    const bias = attrs.float("bias", 0);
    const y = where(less(x, -lambd), add(x, bias), where(greater(x, lambd), sub(x, bias), mul(x, 0)));
    return cast(y, x.dtype);
  }),
  CastLike: one((inputs, _a, ctx) => cast(need(inputs, 0, ctx), need(inputs, 1, ctx).dtype)),
  ReduceL1: reduceWith((x, axes, keepDims) => sum(abs(x), axes, { keepDims })),
  ReduceLogSum: reduceWith((x, axes, keepDims) => log(sum(asFloat(x), axes, { keepDims }))),
};
