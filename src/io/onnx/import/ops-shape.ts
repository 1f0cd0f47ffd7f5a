// io/onnx/import/ops-shape: ONNX's shape and data-movement operators (Reshape, Transpose, Flatten,
// Squeeze/Unsqueeze, Concat, Slice, Gather, Split, Expand, Tile, Pad, Shape, Constant, Range, ...)
// over Tessera ops. Attributes that moved to inputs in later opsets are read from either place.
// Layer: io.
import { FormatError } from "../../../core/errors.js";
import {
  broadcastTo,
  cast,
  concat,
  gather,
  pad,
  reshape,
  split,
  squeeze,
  tile,
  transpose,
  tril,
  triu,
} from "../../../ops/index.js";
import { full } from "../../../tensor/creation.js";
import { Tensor } from "../../../tensor/tensor.js";
import type { Attrs } from "./onnx-values.js";
import { axisOf, intsOf, intTensor, need, type OpContext, type OpFn, one, scalarOf } from "./op-types.js";

/** The axes of Squeeze / Unsqueeze / reductions: an input from opset 13 (18 for reductions), an attribute before. */
export function axesOf(inputs: readonly (Tensor | null)[], index: number, attrs: Attrs): number[] | null {
  const given = inputs[index] ?? null;
  if (given !== null) return intsOf(given);
  return attrs.has("axes") ? attrs.ints("axes") : null;
}

/**
 * The most elements an operator that makes a tensor from a shape (ConstantOfShape, Expand, Tile,
 * Range) may create: a graph cannot ask for more memory than 2^28 values (1 GiB of float32).
 */
export const MAX_CREATED_ELEMENTS = 2 ** 28;

/** A shape read from the graph, checked against MAX_CREATED_ELEMENTS. */
function createdShape(shape: readonly number[], ctx: OpContext): number[] {
  const size = shape.reduce((p, d) => p * Math.max(d, 0), 1);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0) || size > MAX_CREATED_ELEMENTS)
    throw new FormatError(
      `${ctx.where}: refusing to create a tensor of shape [${shape}] (more than 2^28 values or invalid)`,
    );
  return [...shape];
}

/** numpy broadcasting of two shapes (Expand's rule). */
function broadcastShape(a: readonly number[], b: readonly number[], ctx: OpContext): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1)
      throw new FormatError(`${ctx.where}: shapes [${a}] and [${b}] do not broadcast`);
    return x === 1 ? y : x;
  });
}

/** ONNX Slice on one axis: the indices it selects (clamped as the spec says). */
function sliceIndices(size: number, start: number, end: number, step: number): number[] {
  if (step === 0) throw new FormatError("Slice: step must not be 0");
  const norm = (v: number) => (v < 0 ? v + size : v);
  let s = norm(start);
  let e = norm(end);
  if (step > 0) {
    s = Math.min(Math.max(s, 0), size);
    e = Math.min(Math.max(e, 0), size);
  } else {
    s = Math.min(Math.max(s, -1), size - 1);
    e = Math.min(Math.max(e, -1), size - 1);
  }
  const out: number[] = [];
  for (let i = s; step > 0 ? i < e : i > e; i += step) out.push(i);
  return out;
}

function sliceOp(inputs: readonly (Tensor | null)[], attrs: Attrs, ctx: OpContext): Tensor {
  let x = need(inputs, 0, ctx);
  const fromInputs = ctx.opset >= 10;
  const starts = fromInputs ? intsOf(need(inputs, 1, ctx)) : attrs.ints("starts");
  const ends = fromInputs ? intsOf(need(inputs, 2, ctx)) : attrs.ints("ends");
  const axesTensor = fromInputs ? (inputs[3] ?? null) : null;
  const axes =
    axesTensor !== null
      ? intsOf(axesTensor)
      : attrs.ints(
          "axes",
          starts.map((_, i) => i),
        );
  const stepsTensor = fromInputs ? (inputs[4] ?? null) : null;
  const steps = stepsTensor !== null ? intsOf(stepsTensor) : starts.map(() => 1);
  axes.forEach((axis, i) => {
    const a = axisOf(axis, x.rank, ctx);
    const picked = sliceIndices(x.shape[a]!, starts[i]!, ends[i]!, steps[i]!);
    x = gather(x, intTensor(picked), a);
  });
  return x;
}

/** Reshape's target: 0 copies the input dimension (unless allowzero), -1 is inferred. */
function reshapeTarget(x: Tensor, shape: number[], allowZero: boolean): number[] {
  return shape.map((d, i) => (d === 0 && !allowZero ? x.shape[i]! : d));
}

function padOp(inputs: readonly (Tensor | null)[], attrs: Attrs, ctx: OpContext): Tensor {
  const x = need(inputs, 0, ctx);
  const pads = ctx.opset >= 11 ? intsOf(need(inputs, 1, ctx)) : attrs.ints("pads");
  const valueTensor = ctx.opset >= 11 ? (inputs[2] ?? null) : null;
  const value = valueTensor !== null ? scalarOf(valueTensor) : attrs.float("value", 0);
  const axesTensor = inputs[3] ?? null;
  const axes =
    axesTensor === null ? x.shape.map((_, i) => i) : intsOf(axesTensor).map((a) => axisOf(a, x.rank, ctx));
  const pairs: [number, number][] = x.shape.map(() => [0, 0]);
  axes.forEach((a, i) => {
    pairs[a] = [pads[i]!, pads[i + axes.length]!];
  });
  const mode = attrs.string("mode", "constant");
  if (pairs.some(([b, e]) => b < 0 || e < 0))
    throw new FormatError(`${ctx.where}: negative pads are not supported`);
  if (mode === "constant") return pad(x, pairs, value);
  // reflect / edge: gather the source index of every padded position, axis by axis
  let y = x;
  pairs.forEach(([before, after], a) => {
    if (before === 0 && after === 0) return;
    const n = y.shape[a]!;
    const idx = Array.from({ length: n + before + after }, (_, k) => {
      const i = k - before;
      if (mode === "edge") return Math.min(Math.max(i, 0), n - 1);
      if (mode === "reflect") {
        const period = 2 * (n - 1);
        const m = period === 0 ? 0 : ((i % period) + period) % period;
        return m < n ? m : period - m;
      }
      throw new FormatError(`${ctx.where}: Pad mode "${mode}" is not supported`);
    });
    y = gather(y, intTensor(idx), a);
  });
  return y;
}

export const shapeOps: Record<string, OpFn> = {
  Identity: one((inputs, _a, ctx) => need(inputs, 0, ctx)),
  Dropout: (inputs, _a, ctx) => {
    const x = need(inputs, 0, ctx);
    return [x, full([...x.shape], 1, { dtype: "bool" })];
  },
  Reshape: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const shape = ctx.opset >= 5 ? intsOf(need(inputs, 1, ctx)) : attrs.ints("shape");
    return reshape(x, reshapeTarget(x, shape, attrs.int("allowzero", 0) === 1));
  }),
  Transpose: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    return transpose(
      x,
      attrs.ints(
        "perm",
        x.shape.map((_, i) => x.rank - 1 - i),
      ),
    );
  }),
  Flatten: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const axis = attrs.int("axis", 1);
    const a = axis < 0 ? axis + x.rank : axis;
    const rows = x.shape.slice(0, a).reduce((p, d) => p * d, 1);
    return reshape(x, [rows, x.size / Math.max(rows, 1)]);
  }),
  Squeeze: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const axes = axesOf(inputs, 1, attrs);
    return axes === null
      ? squeeze(x)
      : squeeze(
          x,
          axes.map((a) => axisOf(a, x.rank, ctx)),
        );
  }),
  Unsqueeze: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const axes = axesOf(inputs, 1, attrs) ?? [];
    const rank = x.rank + axes.length;
    const inserted = new Set(axes.map((a) => axisOf(a, rank, ctx)));
    const shape: number[] = [];
    let k = 0;
    for (let i = 0; i < rank; i++) shape.push(inserted.has(i) ? 1 : x.shape[k++]!);
    return reshape(x, shape);
  }),
  Concat: one((inputs, attrs, ctx) => {
    const xs = inputs.filter((t): t is Tensor => t !== null);
    return concat(xs, axisOf(attrs.int("axis"), xs[0]!.rank, ctx));
  }),
  Slice: one(sliceOp),
  Gather: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const a = axisOf(attrs.int("axis", 0), x.rank, ctx);
    const indices = need(inputs, 1, ctx);
    // negative indices count from the end
    const size = x.shape[a]!;
    const fixed = intTensor(
      intsOf(indices).map((i) => (i < 0 ? i + size : i)),
      [...indices.shape],
    );
    return gather(x, fixed, a);
  }),
  Split: (inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const a = axisOf(attrs.int("axis", 0), x.rank, ctx);
    const given = inputs[1] ?? null;
    const sizes = given !== null ? intsOf(given) : attrs.has("split") ? attrs.ints("split") : null;
    if (sizes !== null) return split(x, sizes, a);
    const parts = attrs.int("num_outputs", 0) || ctx.outputs;
    const chunk = Math.ceil(x.shape[a]! / parts);
    const list = Array.from({ length: parts }, (_, i) =>
      Math.max(0, Math.min(chunk, x.shape[a]! - i * chunk)),
    );
    return split(x, list, a);
  },
  Expand: one((inputs, _a, ctx) => {
    const x = need(inputs, 0, ctx);
    return broadcastTo(x, createdShape(broadcastShape(x.shape, intsOf(need(inputs, 1, ctx)), ctx), ctx));
  }),
  Tile: one((inputs, _a, ctx) => {
    const x = need(inputs, 0, ctx);
    const reps = intsOf(need(inputs, 1, ctx));
    createdShape(
      x.shape.map((d, i) => d * (reps[i] ?? 1)),
      ctx,
    );
    return tile(x, reps);
  }),
  Pad: one(padOp),
  Shape: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const clampAxis = (v: number) => Math.min(Math.max(v < 0 ? v + x.rank : v, 0), x.rank);
    const start = clampAxis(attrs.int("start", 0));
    const end = clampAxis(attrs.int("end", x.rank));
    return intTensor(x.shape.slice(start, end));
  }),
  Size: one((inputs, _a, ctx) => intTensor([need(inputs, 0, ctx).size], [])),
  Constant: one((_inputs, attrs, ctx) => {
    const t = attrs.tensor("value");
    if (t !== null) return t;
    if (attrs.has("value_float")) return new Tensor(Float32Array.of(attrs.float("value_float", 0)), []);
    if (attrs.has("value_floats"))
      return new Tensor(Float32Array.from(attrs.ints("value_floats")), [attrs.ints("value_floats").length]);
    if (attrs.has("value_int")) return intTensor([attrs.int("value_int")], []);
    if (attrs.has("value_ints")) return intTensor(attrs.ints("value_ints"));
    throw new FormatError(`${ctx.where}: Constant without a supported value attribute`);
  }),
  ConstantOfShape: one((inputs, attrs, ctx) => {
    const shape = createdShape(intsOf(need(inputs, 0, ctx)), ctx);
    const value = attrs.tensor("value");
    if (value === null) return full(shape, 0, { dtype: "float32" });
    return full(shape, Number(value.data[0]), { dtype: value.dtype });
  }),
  Range: one((inputs, _a, ctx) => {
    const [start, limit, delta] = [0, 1, 2].map((i) => need(inputs, i, ctx));
    const s = scalarOf(start!);
    const d = scalarOf(delta!);
    const count = createdShape([Math.max(Math.ceil((scalarOf(limit!) - s) / d), 0)], ctx)[0]!;
    const values = Array.from({ length: count }, (_, i) => s + i * d);
    if (start!.dtype === "int32") return intTensor(values);
    return cast(new Tensor(Float64Array.from(values), [count]), start!.dtype);
  }),
  Trilu: one((inputs, attrs, ctx) => {
    const x = need(inputs, 0, ctx);
    const k = inputs[1] ? scalarOf(inputs[1]) : 0;
    return attrs.int("upper", 1) === 1 ? triu(x, k) : tril(x, k);
  }),
};
