// ops/recurrent-composed: the fused recurrent sequence ops (simpleRnnSequence, lstmSequence,
// gruSequence) unrolled in recorded ops, step by step: what a createGraph pass recomputes and
// differentiates, since their backpropagation-through-time kernels have no gradient of their own.
// The same options apply: step mask (a masked row keeps its state), goBackwards, recurrent mask
// (multiplies h_prev inside the recurrent product only) and the cell activations.
// Shapes (time-major): T steps, B batch, H units; gate blocks [i f g o] (LSTM), [z r h] (GRU).
import type { CellActivation } from "../backend/kernels.js";
import { ValueError } from "../core/errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { hardSigmoid } from "./activation.js";
import { add, mul, sub } from "./binary.js";
import { where } from "./compare.js";
import { slice } from "./indexing.js";
import { split, stack } from "./join.js";
import { matmul } from "./linalg.js";
import type { RecurrentOptions } from "./recurrent-shared.js";
import { reshape } from "./shape.js";
import { relu, sigmoid, tanh } from "./unary.js";

/** A cell activation as a recorded op. */
function activate(kind: CellActivation, x: Tensor): Tensor {
  if (kind === "tanh") return tanh(x);
  if (kind === "sigmoid") return sigmoid(x);
  if (kind === "relu") return relu(x);
  if (kind === "hard_sigmoid") return hardSigmoid(x);
  if (kind === "linear") return x;
  throw new ValueError(`recurrent: unknown cell activation "${String(kind)}"`);
}

/**
 * Runs `step` over xProj (T, B, ...) in processing order (reversed with goBackwards) from the
 * initial states; a row the step mask turns off keeps its states. Returns the states after each
 * step, indexed by input time, and the final states. Shared with nn's composed recurrent loop.
 */
export function unrollSteps(
  xProj: Tensor,
  initial: readonly Tensor[],
  options: { readonly mask?: Tensor | null; readonly goBackwards?: boolean },
  step: (xt: Tensor, previous: Tensor[]) => Tensor[],
): { byTime: Tensor[][]; finals: Tensor[] } {
  const [T, B] = xProj.shape as [number, number];
  const byTime: Tensor[][] = new Array<Tensor[]>(T);
  let states = [...initial];
  for (let s = 0; s < T; s++) {
    const t = options.goBackwards === true ? T - 1 - s : s;
    let next = step(slice(xProj, [t]), states);
    const mask = options.mask;
    if (mask != null) {
      const active = reshape(slice(mask, [null, t]), [B, 1]);
      next = next.map((n, i) => where(active, n, states[i]!));
    }
    byTime[t] = next;
    states = next;
  }
  return { byTime, finals: states };
}

/**
 * unrollSteps with h_prev times the recurrent mask handed to `step` (x_t (B, G H), hIn, previous
 * states); returns each state stacked by input time: (T, B, H) per state.
 */
function unroll(
  xProj: Tensor,
  initial: readonly Tensor[],
  options: RecurrentOptions,
  step: (xt: Tensor, hIn: Tensor, previous: readonly Tensor[]) => Tensor[],
): Tensor[] {
  const { byTime } = unrollSteps(xProj, initial, options, (xt, previous) => {
    const hIn = options.recurrentMask == null ? previous[0]! : mul(previous[0]!, options.recurrentMask);
    return step(xt, hIn, previous);
  });
  return initial.map((_, i) =>
    stack(
      byTime.map((row) => row[i]!),
      0,
    ),
  );
}

/** simpleRnnSequence in recorded ops: h_t = act(x_t + h_prev U), output (T, B, H). */
export function simpleRnnComposed(
  xProj: Tensor,
  kernel: Tensor,
  h0: Tensor,
  options: RecurrentOptions,
): Tensor {
  const act = options.activation ?? "tanh";
  return unroll(xProj, [h0], options, (xt, hIn) => [activate(act, add(xt, matmul(hIn, kernel)))])[0]!;
}

/**
 * lstmSequence in recorded ops: z = x_t + h_prev U; i, f, o = ra(z); g = a(z); c = f c_prev + i g;
 * h = o a(c). Output (2, T, B, H): every h, then every c.
 */
export function lstmComposed(
  xProj: Tensor,
  kernel: Tensor,
  h0: Tensor,
  c0: Tensor,
  options: RecurrentOptions,
): Tensor {
  const a = options.activation ?? "tanh";
  const ra = options.recurrentActivation ?? "sigmoid";
  const [hs, cs] = unroll(xProj, [h0, c0], options, (xt, hIn, [, cPrev]) => {
    const [zi, zf, zg, zo] = split(add(xt, matmul(hIn, kernel)), 4, 1) as [Tensor, Tensor, Tensor, Tensor];
    const c = add(mul(activate(ra, zf), cPrev!), mul(activate(ra, zi), activate(a, zg)));
    return [mul(activate(ra, zo), activate(a, c)), c];
  });
  return stack([hs!, cs!], 0);
}

/**
 * gruSequence (reset after) in recorded ops: rec = h_prev U + b_rec; z, r = ra(x + rec);
 * hh = a(x_h + r rec_h); h = z h_prev + (1 - z) hh. Output (T, B, H).
 */
export function gruComposed(
  xProj: Tensor,
  kernel: Tensor,
  h0: Tensor,
  bias: Tensor | null,
  options: RecurrentOptions,
): Tensor {
  const a = options.activation ?? "tanh";
  const ra = options.recurrentActivation ?? "sigmoid";
  return unroll(xProj, [h0], options, (xt, hIn, [hPrev]) => {
    const product = matmul(hIn, kernel);
    const [xz, xr, xh] = split(xt, 3, 1) as [Tensor, Tensor, Tensor];
    const [rz, rr, rh] = split(bias === null ? product : add(product, bias), 3, 1) as [
      Tensor,
      Tensor,
      Tensor,
    ];
    const z = activate(ra, add(xz, rz));
    const hh = activate(a, add(xh, mul(activate(ra, add(xr, rr)), rh)));
    return [add(mul(z, hPrev!), mul(sub(1, z), hh))];
  })[0]!;
}
