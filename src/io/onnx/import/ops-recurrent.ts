// io/onnx/import/ops-recurrent: ONNX's LSTM, GRU and RNN operators, run step by step with Tessera
// matmuls (forward, reverse or bidirectional; layout 0 or 1; initial states; LSTM peepholes).
// Gate blocks in ONNX order: LSTM [i o f c], GRU [z r h]. Shapes: T time, B batch, I input,
// H hidden, D directions. Layer: io.
import { FormatError } from "../../../core/errors.js";
import {
  abs,
  add,
  div,
  elu,
  greater,
  leakyRelu,
  matmul,
  maximum,
  minimum,
  mul,
  relu,
  reshape,
  sigmoid,
  slice,
  softplus,
  split,
  stack,
  sub,
  tanh,
  transpose,
  where,
} from "../../../ops/index.js";
import { zeros } from "../../../tensor/creation.js";
import type { Tensor } from "../../../tensor/tensor.js";
import type { Attrs } from "./onnx-values.js";
import { asFloat, intsOf, need, type OpContext, type OpFn } from "./op-types.js";

type Activation = (x: Tensor) => Tensor;

/** The direction's activations from names + alpha/beta lists (consumed in order by those that take them). */
function activations(attrs: Attrs, defaults: string[], directions: number, ctx: OpContext): Activation[][] {
  const names = attrs.strings("activations", []);
  const all = names.length > 0 ? names : Array.from({ length: directions }, () => defaults).flat();
  const alphas = attrs.has("activation_alpha") ? attrs.ints("activation_alpha") : [];
  const betas = attrs.has("activation_beta") ? attrs.ints("activation_beta") : [];
  let ai = 0;
  let bi = 0;
  const alpha = (fallback: number) => alphas[ai++] ?? fallback;
  const beta = (fallback: number) => betas[bi++] ?? fallback;
  const make = (name: string): Activation => {
    switch (name.toLowerCase()) {
      case "sigmoid":
        return sigmoid;
      case "tanh":
        return tanh;
      case "relu":
        return relu;
      case "softsign":
        return (x) => div(x, add(abs(x), 1));
      case "softplus":
        return softplus;
      case "hardsigmoid": {
        const [a, b] = [alpha(0.2), beta(0.5)];
        return (x) => minimum(maximum(add(mul(x, a), b), 0), 1);
      }
      case "leakyrelu": {
        const a = alpha(0.01);
        return (x) => leakyRelu(x, a);
      }
      case "thresholdedrelu": {
        const a = alpha(1);
        return (x) => where(greater(x, a), x, mul(x, 0));
      }
      case "scaledtanh": {
        const [a, b] = [alpha(1), beta(1)];
        return (x) => mul(tanh(mul(x, b)), a);
      }
      case "affine": {
        const [a, b] = [alpha(1), beta(0)];
        return (x) => add(mul(x, a), b);
      }
      case "elu": {
        const a = alpha(1);
        return (x) => elu(x, a);
      }
      default:
        throw new FormatError(`${ctx.where}: recurrent activation "${name}" is not supported`);
    }
  };
  const per = all.length / directions;
  return Array.from({ length: directions }, (_, d) => all.slice(d * per, (d + 1) * per).map(make));
}

/** Row d of a (D, ...) tensor. */
const row = (t: Tensor, d: number): Tensor => reshape(slice(t, [[d, d + 1]]), t.shape.slice(1) as number[]);

/** One step from the input projection x W^T + Wb (B, G*H) and the states; returns the new states [h, c?]. */
type Step = (xw: Tensor, states: Tensor[]) => Tensor[];

/** Runs one direction over X (T, B, I); returns the hidden sequence (T, B, H) by input time and the final states. */
function runDirection(
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  reverse: boolean,
  initial: Tensor[],
  step: Step,
): [Tensor, Tensor[]] {
  const T = x.shape[0]!;
  const G = w.shape[0]!;
  // x W^T + Wb for every step at once: (T, B, G*H)
  let xw = matmul(x, transpose(w));
  if (bias !== null) xw = add(xw, slice(bias, [[0, G]]));
  const outputs: Tensor[] = new Array<Tensor>(T);
  let states = initial;
  for (let k = 0; k < T; k++) {
    const t = reverse ? T - 1 - k : k;
    states = step(row(xw, t), states);
    outputs[t] = states[0]!;
  }
  return [stack(outputs, 0), states];
}

type CellKind = "LSTM" | "GRU" | "RNN";

function recurrentOp(kind: CellKind): OpFn {
  return (inputs, attrs, ctx) => {
    let x = asFloat(need(inputs, 0, ctx));
    const layout = attrs.int("layout", 0);
    if (layout === 1) x = transpose(x, [1, 0, 2]);
    const [T, B] = x.shape as [number, number];
    const W = need(inputs, 1, ctx);
    const R = need(inputs, 2, ctx);
    const Bias = inputs[3] ?? null;
    const lens = inputs[4] ?? null;
    if (lens !== null && intsOf(lens).some((n) => n !== T))
      throw new FormatError(`${ctx.where}: sequence_lens shorter than the sequence are not supported`);
    const H = attrs.int("hidden_size", R.shape[2]!);
    const direction = attrs.string("direction", "forward");
    const D = direction === "bidirectional" ? 2 : 1;
    if (attrs.has("clip")) throw new FormatError(`${ctx.where}: the clip attribute is not supported`);
    const defaults =
      kind === "LSTM" ? ["Sigmoid", "Tanh", "Tanh"] : kind === "GRU" ? ["Sigmoid", "Tanh"] : ["Tanh"];
    const acts = activations(attrs, defaults, D, ctx);
    const h0 = inputs[5] ?? null;
    const c0 = inputs[6] ?? null;
    const peep = inputs[7] ?? null;
    const lbr = attrs.int("linear_before_reset", 0) === 1;
    const ys: Tensor[] = [];
    const finals: Tensor[][] = [];
    for (let d = 0; d < D; d++) {
      const w = row(W, d);
      const r = row(R, d);
      const rt = transpose(r); // (H, G*H)
      const b = Bias === null ? null : row(Bias, d);
      const G = w.shape[0]!;
      const rb = b === null ? null : slice(b, [[G, 2 * G]]);
      const init = (t: Tensor | null) =>
        t === null ? zeros([B, H], { dtype: x.dtype }) : row(layout === 1 ? transpose(t, [1, 0, 2]) : t, d);
      const [f, g, h] = acts[d]!;
      let step: Step;
      if (kind === "LSTM") {
        const p = peep === null ? null : split(row(peep, d), 3, 0);
        if (attrs.int("input_forget", 0) === 1)
          throw new FormatError(`${ctx.where}: input_forget is not supported`);
        step = (xw, [hp, cp]) => {
          let z = add(xw, matmul(hp!, rt));
          if (rb !== null) z = add(z, rb);
          let [zi, zo, zf, zc] = split(z, 4, 1) as [Tensor, Tensor, Tensor, Tensor];
          if (p !== null) {
            zi = add(zi, mul(p[0]!, cp!));
            zf = add(zf, mul(p[2]!, cp!));
          }
          const c = add(mul(f!(zf), cp!), mul(f!(zi), g!(zc)));
          if (p !== null) zo = add(zo, mul(p[1]!, c));
          return [mul(f!(zo), h!(c)), c];
        };
      } else if (kind === "GRU") {
        const [rzr, rh] = [slice(rt, [null, [0, 2 * H]]), slice(rt, [null, [2 * H, 3 * H]])];
        const [rbzr, rbh] =
          rb === null ? [null, null] : [slice(rb, [[0, 2 * H]]), slice(rb, [[2 * H, 3 * H]])];
        step = (xw, [hp]) => {
          const [xz, xr, xh] = split(xw, 3, 1) as [Tensor, Tensor, Tensor];
          let zr = matmul(hp!, rzr);
          if (rbzr !== null) zr = add(zr, rbzr);
          const [hz, hr] = split(zr, 2, 1) as [Tensor, Tensor];
          const z = f!(add(xz, hz));
          const rg = f!(add(xr, hr));
          let inner: Tensor;
          if (lbr) {
            let hh = matmul(hp!, rh);
            if (rbh !== null) hh = add(hh, rbh);
            inner = mul(rg, hh);
          } else {
            inner = matmul(mul(rg, hp!), rh);
            if (rbh !== null) inner = add(inner, rbh);
          }
          const candidate = g!(add(xh, inner));
          return [add(mul(sub(1, z), candidate), mul(z, hp!))];
        };
      } else {
        step = (xw, [hp]) => {
          let z = add(xw, matmul(hp!, rt));
          if (rb !== null) z = add(z, rb);
          return [f!(z)];
        };
      }
      const reverse = direction === "reverse" || d === 1;
      const initial = kind === "LSTM" ? [init(h0), init(c0)] : [init(h0)];
      const [y, last] = runDirection(x, w, b, reverse, initial, step);
      ys.push(y);
      finals.push(last);
    }
    let Y = stack(ys, 1); // (T, D, B, H)
    let Yh = stack(
      finals.map((s) => s[0]!),
      0,
    ); // (D, B, H)
    let Yc =
      kind === "LSTM"
        ? stack(
            finals.map((s) => s[1]!),
            0,
          )
        : null;
    if (layout === 1) {
      Y = transpose(Y, [2, 0, 1, 3]);
      Yh = transpose(Yh, [1, 0, 2]);
      if (Yc !== null) Yc = transpose(Yc, [1, 0, 2]);
    }
    return Yc === null ? [Y, Yh] : [Y, Yh, Yc];
  };
}

export const recurrentOps: Record<string, OpFn> = {
  LSTM: recurrentOp("LSTM"),
  GRU: recurrentOp("GRU"),
  RNN: recurrentOp("RNN"),
};
