// io/onnx/import/ops-nn: ONNX's network operators over Tessera ops: MatMul, Gemm, Conv and
// ConvTranspose (1-D and 2-D, channels-first in ONNX, run channels-last by Tessera's kernels),
// pooling, the normalisations, reductions, ArgMax/ArgMin and Resize (nearest, linear).
// Shapes: N batch, C channels, H/W spatial, F filters. Layer: io.
import { FormatError } from "../../../core/errors.js";
import {
  add,
  argmax,
  argmin,
  avgPool2d,
  cast,
  conv2d,
  conv2dTranspose,
  div,
  exp,
  gather,
  log,
  matmul,
  max,
  maxPool2d,
  mean,
  min,
  mul,
  pad,
  prod,
  reshape,
  slice,
  sqrt,
  sub,
  sum,
  transpose,
} from "../../../ops/index.js";
import { Tensor } from "../../../tensor/tensor.js";
import type { Attrs } from "./onnx-values.js";
import { asFloat, axisOf, intsOf, intTensor, need, type OpContext, type OpFn, one } from "./op-types.js";
import { axesOf } from "./ops-shape.js";

/** Explicit [before..., after...] pads of a conv/pool from `pads` or `auto_pad`. */
function windowPads(
  attrs: Attrs,
  spatial: readonly number[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
  ctx: OpContext,
): number[] {
  const autoPad = attrs.string("auto_pad", "NOTSET");
  const n = spatial.length;
  // a copy: callers adjust it, and the attribute is read again on the next run
  if (autoPad === "NOTSET") return [...attrs.ints("pads", new Array<number>(2 * n).fill(0))];
  if (autoPad === "VALID") return new Array<number>(2 * n).fill(0);
  if (autoPad !== "SAME_UPPER" && autoPad !== "SAME_LOWER")
    throw new FormatError(`${ctx.where}: auto_pad "${autoPad}" is not supported`);
  const pads = new Array<number>(2 * n).fill(0);
  for (let i = 0; i < n; i++) {
    const out = Math.ceil(spatial[i]! / strides[i]!);
    const span = (kernel[i]! - 1) * dilations[i]! + 1;
    const total = Math.max((out - 1) * strides[i]! + span - spatial[i]!, 0);
    const small = Math.floor(total / 2);
    pads[i] = autoPad === "SAME_UPPER" ? small : total - small;
    pads[i + n] = total - pads[i]!;
  }
  return pads;
}

/** (N, C, L) or (N, C, H, W) -> (N, H, W, C) with H = 1 for 1-D, and the number of spatial axes. */
function toNHWC(x: Tensor, ctx: OpContext): [Tensor, number] {
  if (x.rank === 3)
    return [transpose(reshape(x, [x.shape[0]!, x.shape[1]!, 1, x.shape[2]!]), [0, 2, 3, 1]), 1];
  if (x.rank === 4) return [transpose(x, [0, 2, 3, 1]), 2];
  throw new FormatError(`${ctx.where}: only 1-D and 2-D windows are supported (got input rank ${x.rank})`);
}

/** (N, H, W, C) back to ONNX's (N, C, ...spatial). */
function fromNHWC(y: Tensor, dims: number): Tensor {
  const t = transpose(y, [0, 3, 1, 2]);
  return dims === 1 ? reshape(t, [t.shape[0]!, t.shape[1]!, t.shape[3]!]) : t;
}

/** A 1-D window's attribute as a 2-D one (height 1). */
const as2d = (values: number[], dims: number, fill: number): number[] =>
  dims === 1 ? [fill, ...values] : values;

/** pads [b..., e...] of `dims` axes as pad() pairs of an (N, H, W, C) tensor. */
function nhwcPairs(pads: number[], dims: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < dims; i++) pairs.push([pads[i]!, pads[i + dims]!]);
  return [[0, 0], ...(dims === 1 ? [[0, 0] as [number, number]] : []), ...pairs, [0, 0]];
}

const convOp: OpFn = one((inputs, attrs, ctx) => {
  const [x, dims] = toNHWC(asFloat(need(inputs, 0, ctx)), ctx);
  const w = need(inputs, 1, ctx); // (F, C/g, ...k)
  const kernel = attrs.ints("kernel_shape", w.shape.slice(2) as number[]);
  const strides = attrs.ints(
    "strides",
    kernel.map(() => 1),
  );
  const dilations = attrs.ints(
    "dilations",
    kernel.map(() => 1),
  );
  const spatial = x.shape.slice(3 - dims, 3) as number[];
  const pads = windowPads(attrs, spatial, kernel, strides, dilations, ctx);
  const w4 = w.rank === 3 ? reshape(w, [w.shape[0]!, w.shape[1]!, 1, w.shape[2]!]) : w;
  const k = transpose(w4, [2, 3, 1, 0]); // (KH, KW, C/g, F)
  const padded = pads.some((p) => p !== 0) ? pad(x, nhwcPairs(pads, dims), 0) : x;
  const bias = inputs[2] ?? null;
  const y = conv2d(padded, k, {
    strides: as2d(strides, dims, 1),
    dilationRate: as2d(dilations, dims, 1),
    bias,
  });
  return fromNHWC(y, dims);
});

const convTransposeOp: OpFn = one((inputs, attrs, ctx) => {
  const [x, dims] = toNHWC(asFloat(need(inputs, 0, ctx)), ctx);
  const w = need(inputs, 1, ctx); // (C, F/g, ...k)
  if (attrs.int("group", 1) !== 1)
    throw new FormatError(`${ctx.where}: grouped ConvTranspose is not supported`);
  const kernel = attrs.ints("kernel_shape", w.shape.slice(2) as number[]);
  const strides = attrs.ints(
    "strides",
    kernel.map(() => 1),
  );
  const dilations = attrs.ints(
    "dilations",
    kernel.map(() => 1),
  );
  const autoPad = attrs.string("auto_pad", "NOTSET");
  let pads = attrs.ints("pads", new Array<number>(2 * dims).fill(0));
  const extra = [
    ...attrs.ints(
      "output_padding",
      kernel.map(() => 0),
    ),
  ];
  const spatial = x.shape.slice(3 - dims, 3) as number[];
  // output_shape, or auto_pad SAME_* (output = input * stride), fixes the total padding per axis
  const wanted = attrs.has("output_shape")
    ? attrs.ints("output_shape").slice(-dims)
    : autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER"
      ? spatial.map((n, i) => n * strides[i]!)
      : null;
  if (wanted !== null) {
    const total = spatial.map(
      (n, i) => strides[i]! * (n - 1) + extra[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - wanted[i]!,
    );
    // a negative total is added at the end, as output padding
    total.forEach((t, i) => {
      if (t < 0) extra[i] = extra[i]! - t;
    });
    const kept = total.map((t) => Math.max(t, 0));
    const lower = autoPad === "SAME_LOWER";
    const begin = kept.map((t) => (lower ? t - Math.floor(t / 2) : Math.floor(t / 2)));
    pads = [...begin, ...kept.map((t, i) => t - begin[i]!)];
  }
  const w4 = w.rank === 3 ? reshape(w, [w.shape[0]!, w.shape[1]!, 1, w.shape[2]!]) : w;
  const k = transpose(w4, [2, 3, 1, 0]); // (KH, KW, F, C)
  // the full transposed convolution, (size - 1) stride + span per axis, then ONNX's crop and extra rows
  const full = conv2dTranspose(x, k, {
    strides: as2d(strides, dims, 1),
    dilationRate: as2d(dilations, dims, 1),
    padding: "valid",
    outputPadding: [0, 0],
  });
  const specs: [number, number][] = [];
  const after: [number, number][] = [];
  for (let i = 0; i < dims; i++) {
    const size = full.shape[3 - dims + i]!;
    specs.push([pads[i]!, size - pads[i + dims]!]);
    after.push([0, extra[i]!]);
  }
  let y = slice(full, [null, ...(dims === 1 ? [null] : []), ...specs, null]);
  if (extra.some((e) => e > 0))
    y = pad(y, [[0, 0], ...(dims === 1 ? [[0, 0] as [number, number]] : []), ...after, [0, 0]]);
  const bias = inputs[2] ?? null;
  if (bias !== null) y = add(y, bias);
  return fromNHWC(y, dims);
});

function poolOp(kind: "max" | "avg"): OpFn {
  return one((inputs, attrs, ctx) => {
    const [x, dims] = toNHWC(asFloat(need(inputs, 0, ctx)), ctx);
    const kernel = attrs.ints("kernel_shape");
    const strides = attrs.ints(
      "strides",
      kernel.map(() => 1),
    );
    if (
      attrs
        .ints(
          "dilations",
          kernel.map(() => 1),
        )
        .some((d) => d !== 1)
    )
      throw new FormatError(`${ctx.where}: pooling with dilations is not supported`);
    const spatial = x.shape.slice(3 - dims, 3) as number[];
    const pads = windowPads(
      attrs,
      spatial,
      kernel,
      strides,
      kernel.map(() => 1),
      ctx,
    );
    if (attrs.int("ceil_mode", 0) === 1) {
      // extra end padding so that the last partial window counts
      for (let i = 0; i < dims; i++) {
        const span = spatial[i]! + pads[i]! + pads[i + dims]! - kernel[i]!;
        const out = Math.ceil(span / strides[i]!) + 1;
        // a window that would start in the end padding only is dropped, as the spec says
        const last = (out - 1) * strides[i]! >= spatial[i]! + pads[i]! ? out - 1 : out;
        pads[i + dims]! += Math.max(
          (last - 1) * strides[i]! + kernel[i]! - (spatial[i]! + pads[i]! + pads[i + dims]!),
          0,
        );
      }
    }
    const pairs = nhwcPairs(pads, dims);
    const padded = pads.some((p) => p !== 0);
    const options = { strides: as2d(strides, dims, 1), padding: "valid" as const };
    const window = as2d(kernel, dims, 1);
    if (kind === "max")
      return fromNHWC(maxPool2d(padded ? pad(x, pairs, Number.NEGATIVE_INFINITY) : x, window, options), dims);
    const y = avgPool2d(padded ? pad(x, pairs, 0) : x, window, options);
    if (!padded || attrs.int("count_include_pad", 0) === 1) return fromNHWC(y, dims);
    // average over the taps inside the input only: divide by the share of real taps
    const ones = pad(mul(x, 0), pairs, -1);
    const share = avgPool2d(add(ones, 1), window, options);
    return fromNHWC(div(y, share), dims);
  });
}

function reduceOp(fn: (x: Tensor, axes: number[], keep: boolean) => Tensor, axesInputFrom: number): OpFn {
  return one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const axes =
      ctx.opset >= axesInputFrom ? axesOf(inputs, 1, attrs) : attrs.has("axes") ? attrs.ints("axes") : null;
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

function argOp(fn: typeof argmax): OpFn {
  return one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const a = axisOf(attrs.int("axis", 0), x.rank, ctx);
    const keep = attrs.int("keepdims", 1) === 1;
    if (attrs.int("select_last_index", 0) === 1) {
      const flipped = gather(
        x,
        intTensor(Array.from({ length: x.shape[a]! }, (_, i) => x.shape[a]! - 1 - i)),
        a,
      );
      return sub(x.shape[a]! - 1, fn(flipped, a, { keepDims: keep }));
    }
    return fn(x, a, { keepDims: keep });
  });
}

/** Source positions of Resize along one axis, per ONNX's coordinate_transformation_mode. */
function sourceCoordinates(
  outSize: number,
  inSize: number,
  scale: number,
  mode: string,
  ctx: OpContext,
): number[] {
  return Array.from({ length: outSize }, (_, o) => {
    switch (mode) {
      case "asymmetric":
        return o / scale;
      case "half_pixel":
        return (o + 0.5) / scale - 0.5;
      case "pytorch_half_pixel":
        return outSize > 1 ? (o + 0.5) / scale - 0.5 : 0;
      case "align_corners":
        return outSize > 1 ? (o * (inSize - 1)) / (outSize - 1) : 0;
      default:
        throw new FormatError(
          `${ctx.where}: Resize coordinate_transformation_mode "${mode}" is not supported`,
        );
    }
  });
}

const resizeOp: OpFn = one((inputs, attrs, ctx) => {
  let x = need(inputs, 0, ctx);
  const scalesTensor = inputs[2] ?? null;
  const sizesTensor = inputs[3] ?? null;
  const scales = scalesTensor !== null && scalesTensor.size > 0 ? intsOf(scalesTensor) : null;
  const sizes = sizesTensor !== null && sizesTensor.size > 0 ? intsOf(sizesTensor) : null;
  if (scales === null && sizes === null) throw new FormatError(`${ctx.where}: Resize needs scales or sizes`);
  const mode = attrs.string("mode", "nearest");
  const transform = attrs.string("coordinate_transformation_mode", "half_pixel");
  const nearest = attrs.string("nearest_mode", "round_prefer_floor");
  for (let a = 0; a < x.rank; a++) {
    const inSize = x.shape[a]!;
    const outSize = sizes !== null ? sizes[a]! : Math.floor(inSize * scales![a]!);
    const scale = sizes !== null ? outSize / inSize : scales![a]!;
    if (outSize === inSize && scale === 1) continue;
    const src = sourceCoordinates(outSize, inSize, scale, transform, ctx);
    const clampIndex = (i: number) => Math.min(Math.max(i, 0), inSize - 1);
    if (mode === "nearest") {
      const pick = (s: number) =>
        nearest === "floor"
          ? Math.floor(s)
          : nearest === "ceil"
            ? Math.ceil(s)
            : nearest === "round_prefer_ceil"
              ? Math.round(s)
              : Math.ceil(s - 0.5);
      x = gather(x, intTensor(src.map((s) => clampIndex(pick(s)))), a);
    } else if (mode === "linear") {
      const lo = src.map((s) => clampIndex(Math.floor(Math.max(s, 0))));
      const hi = lo.map((l) => clampIndex(l + 1));
      const frac = src.map((s, i) => Math.min(Math.max(s - lo[i]!, 0), 1));
      const shape = x.shape.map((_, k) => (k === a ? outSize : 1));
      const weight = cast(
        new Tensor(Float64Array.from(frac), shape),
        x.dtype === "float64" ? "float64" : "float32",
      );
      const left = gather(x, intTensor(lo), a);
      x = add(left, mul(sub(gather(x, intTensor(hi), a), left), weight));
    } else throw new FormatError(`${ctx.where}: Resize mode "${mode}" is not supported`);
  }
  return x;
});

export const nnOps: Record<string, OpFn> = {
  MatMul: one((inputs, _a, ctx) => matmul(need(inputs, 0, ctx), need(inputs, 1, ctx))),
  Gemm: one((inputs, attrs, ctx) => {
    let a = need(inputs, 0, ctx);
    let b = need(inputs, 1, ctx);
    if (attrs.int("transA", 0) === 1) a = transpose(a);
    if (attrs.int("transB", 0) === 1) b = transpose(b);
    let y = mul(matmul(a, b), attrs.float("alpha", 1));
    const c = inputs[2] ?? null;
    if (c !== null) y = add(y, mul(c, attrs.float("beta", 1)));
    return y;
  }),
  Conv: convOp,
  ConvTranspose: convTransposeOp,
  MaxPool: poolOp("max"),
  AveragePool: poolOp("avg"),
  GlobalAveragePool: one((inputs, _a, ctx) => {
    const x = need(inputs, 0, ctx);
    return mean(
      x,
      x.shape.slice(2).map((_, i) => i + 2),
      { keepDims: true },
    );
  }),
  GlobalMaxPool: one((inputs, _a, ctx) => {
    const x = need(inputs, 0, ctx);
    return max(
      x,
      x.shape.slice(2).map((_, i) => i + 2),
      { keepDims: true },
    );
  }),
  BatchNormalization: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const [scale, bias, m, v] = [1, 2, 3, 4].map((i) => need(inputs, i, ctx));
    const shape = [x.shape[1]!, ...x.shape.slice(2).map(() => 1)];
    const r = (t: Tensor) => reshape(t, shape);
    const inv = div(r(scale!), sqrt(add(r(v!), attrs.float("epsilon", 1e-5))));
    return add(mul(sub(x, r(m!)), inv), r(bias!));
  }),
  InstanceNormalization: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const axes = x.shape.slice(2).map((_, i) => i + 2);
    const shape = [x.shape[1]!, ...axes.map(() => 1)];
    const m = mean(x, axes, { keepDims: true });
    const d = sub(x, m);
    const v = mean(mul(d, d), axes, { keepDims: true });
    const y = div(d, sqrt(add(v, attrs.float("epsilon", 1e-5))));
    return add(mul(y, reshape(need(inputs, 1, ctx), shape)), reshape(need(inputs, 2, ctx), shape));
  }),
  LayerNormalization: (inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const start = axisOf(attrs.int("axis", -1), x.rank, ctx);
    const axes = x.shape.slice(start).map((_, i) => start + i);
    const m = mean(x, axes, { keepDims: true });
    const d = sub(x, m);
    const v = mean(mul(d, d), axes, { keepDims: true });
    const invStd = div(1, sqrt(add(v, attrs.float("epsilon", 1e-5))));
    let y = mul(mul(d, invStd), need(inputs, 1, ctx));
    const bias = inputs[2] ?? null;
    if (bias !== null) y = add(y, bias);
    return [y, m, invStd];
  },
  ReduceMean: reduceOp((x, axes, keepDims) => mean(x, axes, { keepDims }), 18),
  ReduceSum: reduceOp((x, axes, keepDims) => sum(x, axes, { keepDims }), 13),
  ReduceMax: reduceOp((x, axes, keepDims) => max(x, axes, { keepDims }), 18),
  ReduceMin: reduceOp((x, axes, keepDims) => min(x, axes, { keepDims }), 18),
  ReduceProd: reduceOp((x, axes, keepDims) => prod(x, axes, { keepDims }), 18),
  ReduceSumSquare: reduceOp((x, axes, keepDims) => sum(mul(x, x), axes, { keepDims }), 18),
  ReduceL2: reduceOp((x, axes, keepDims) => sqrt(sum(mul(asFloat(x), asFloat(x)), axes, { keepDims })), 18),
  ReduceLogSumExp: reduceOp((x, axes, keepDims) => {
    const f = asFloat(x);
    const top = max(f, axes, { keepDims: true });
    const y = add(log(sum(exp(sub(f, top)), axes, { keepDims: true })), top);
    return keepDims
      ? y
      : reshape(
          y,
          f.shape.filter((_, i) => !axes.includes(i)),
        );
  }, 18),
  ArgMax: argOp(argmax),
  ArgMin: argOp(argmin),
  Resize: resizeOp,
};
