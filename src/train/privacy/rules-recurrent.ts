// train/privacy/rules-recurrent: per-example gradients of SimpleRNN and LSTM by summing over time
// steps. Both compute each step's pre-activations as z_t = xProj_t + h_{t-1} U with
// xProj = x W + b (projectInputs), so dLoss/dz_t IS dLoss/dxProj_t, which one tap on xProj gives
// for every step at once. Then, per example b (shapes: T steps, B batch, F features, H units,
// G = gates * H):
//   dW_b = sum_t x_bt^T dz_bt   (F, G)      dU_b = sum_t h_{b,t-1}^T dz_bt   (H, G)
//   db_b = sum_t dz_bt          (G)
// h_{t-1} is the state entering step t: the run's own output sequence shifted by one step in
// processing order (the initial state first), times the recurrent dropout mask when there is one.
// Masked steps carry the state, and get dz = 0, so they need nothing special. GRU, whose candidate
// gate multiplies h U by the reset gate, has its own rule (rules-gru.ts) on the same recording.
import type { FloatArray } from "../../core/dtype.js";
import type { Layer } from "../../nn/layer.js";
import { LSTM } from "../../nn/layers/lstm.js";
import type { RecurrentRun, RunOptions } from "../../nn/layers/recurrent-base.js";
import { SimpleRNN } from "../../nn/layers/simple-rnn.js";
import { mul } from "../../ops/binary.js";
import { matmul } from "../../ops/linalg.js";
import { sum } from "../../ops/reduce.js";
import { transpose } from "../../ops/shape.js";
import { Tensor } from "../../tensor/tensor.js";
import { tapGradient } from "./layer-capture.js";
import { addOptional, type LayerPerExample, materialised, type PerExampleRule } from "./per-example-rule.js";

/** One run of the layer: its inputs (T, B, F), dLoss/dxProj (T, B, G), the states it produced. */
export interface RecurrentCall {
  x: Tensor;
  xProj: Tensor;
  dxProj: Tensor | null;
  initial: Tensor;
  sequence: Tensor | null;
  recurrentMask: Tensor | null;
  goBackwards: boolean;
}

/** The protected steps of RecurrentLayer that the rule wraps (on the instance, for one forward). */
interface RecurrentInternals {
  projectInputs(x: Tensor): Tensor;
  run(xProj: Tensor, initial: Tensor[], options: RunOptions): RecurrentRun;
}

const calls = new WeakMap<Layer, RecurrentCall[]>();

/** h_{t-1} for every step t, (T, B, H) by input time: the sequence shifted in processing order. */
export function previousStates(c: RecurrentCall): Tensor {
  const [T, B, H] = c.sequence!.shape as [number, number, number];
  const seq = c.sequence!.data as FloatArray;
  const h0 = c.initial.data as FloatArray;
  const out = new (seq.constructor as Float32ArrayConstructor)(T * B * H);
  const step = B * H;
  for (let t = 0; t < T; t++) {
    const source = c.goBackwards ? t + 1 : t - 1; // the step processed just before t
    if (source < 0 || source >= T) out.set(h0.subarray(0, step), t * step);
    else out.set(seq.subarray(source * step, (source + 1) * step), t * step);
  }
  const prev = new Tensor(out, [T, B, H]);
  return c.recurrentMask === null ? prev : mul(prev, c.recurrentMask);
}

/**
 * Wraps a recurrent layer's projectInputs and run for one forward: records each run's inputs,
 * initial state, state sequence and options, and taps dLoss/dxProj.
 */
export function instrumentRecurrent(layer: Layer): () => void {
  const inner = layer as unknown as RecurrentInternals;
  const list: RecurrentCall[] = [];
  calls.set(layer, list);
  const { projectInputs, run } = inner;
  let lastInputs: Tensor | null = null;
  inner.projectInputs = (x) => {
    lastInputs = x;
    return projectInputs.call(inner, x);
  };
  inner.run = (xProj, initial, options) => {
    const entry: RecurrentCall = {
      x: lastInputs!,
      xProj,
      dxProj: null,
      initial: initial[0]!,
      sequence: null,
      recurrentMask: options.recurrentMask,
      goBackwards: options.goBackwards,
    };
    const tapped = tapGradient(xProj, (dy) => {
      entry.dxProj = addOptional(entry.dxProj, dy);
    });
    const result = run.call(inner, tapped, initial, { ...options, needSequence: true });
    entry.sequence = result.sequence;
    list.push(entry);
    return result;
  };
  return () => {
    delete (inner as Partial<RecurrentInternals>).projectInputs;
    delete (inner as Partial<RecurrentInternals>).run;
  };
}

/** The runs recorded since instrumentRecurrent (cleared as they are read). */
export function takeRecurrentCalls(layer: Layer): RecurrentCall[] {
  const list = calls.get(layer) ?? [];
  calls.delete(layer);
  return list;
}

export const recurrentRule: PerExampleRule = {
  refuses(layer) {
    const proto = Object.getPrototypeOf(layer);
    if (proto !== SimpleRNN.prototype && proto !== LSTM.prototype) return "not a plain SimpleRNN or LSTM";
    return null;
  },
  instrument: instrumentRecurrent,
  compute(layer: Layer, _calls, batch: number): LayerPerExample {
    const rnn = layer as SimpleRNN | LSTM;
    let grads: (Tensor | null)[] = [null, null, null];
    for (const c of takeRecurrentCalls(layer)) {
      if (c.dxProj === null || c.sequence === null) continue;
      const dz = transpose(c.dxProj, [1, 0, 2]); // (B, T, G)
      const gk = matmul(transpose(c.x, [1, 0, 2]), dz, { transposeA: true }); // (B, F, G)
      const gu = matmul(transpose(previousStates(c), [1, 0, 2]), dz, { transposeA: true }); // (B, H, G)
      const gb = rnn.bias === null ? null : sum(dz, [1]); // (B, G)
      grads = [
        addOptional(grads[0] ?? null, gk),
        addOptional(grads[1] ?? null, gu),
        addOptional(grads[2] ?? null, gb),
      ];
    }
    void batch;
    return materialised([rnn.kernel, rnn.recurrentKernel, rnn.bias], grads);
  },
};
