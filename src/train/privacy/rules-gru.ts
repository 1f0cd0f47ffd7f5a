// train/privacy/rules-gru: per-example gradients of GRU, summed over time steps, from the same
// recording as SimpleRNN/LSTM (rules-recurrent: inputs, dLoss/dxProj, the states). Gates z, r and
// the candidate h~ (Keras order) with xProj = x W + b_in split as [x_z, x_r, x_h]:
// - resetAfter (default): inner = h U + b_rec; z = s(x_z + inner_z), r = s(x_r + inner_r),
//   h~ = act(x_h + r * inner_h). So d inner = [dx_z, dx_r, r * dx_h], and per example
//   dU_b = sum_t h_{t-1}^T d inner_t, db_rec_b = sum_t d inner_t.
// - resetAfter false: z and r as above without a recurrent bias, h~ = act(x_h + (r * h) U_h), so
//   dU_b = [sum_t h_{t-1}^T dx_zr | sum_t (r * h_{t-1})^T dx_h].
// In both, dW_b = sum_t x_t^T dxProj_t and db_in_b = sum_t dxProj_t. r is recomputed from xProj,
// h_{t-1} and U (one GEMM over all steps).
import type { Layer } from "../../nn/layer.js";
import { GRU } from "../../nn/layers/gru.js";
import { add, mul } from "../../ops/binary.js";
import { slice } from "../../ops/indexing.js";
import { concat, stack } from "../../ops/join.js";
import { matmul } from "../../ops/linalg.js";
import { sum } from "../../ops/reduce.js";
import { reshape, transpose } from "../../ops/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { addOptional, type LayerPerExample, materialised, type PerExampleRule } from "./per-example-rule.js";
import { instrumentRecurrent, previousStates, takeRecurrentCalls } from "./rules-recurrent.js";

/** (T, B, n) time-major -> (B, T, n). */
const batchMajor = (t: Tensor) => transpose(t, [1, 0, 2]);

/** Columns [from, to) of the last axis of a (T, B, n) tensor. */
const columns = (t: Tensor, from: number, to: number) => slice(t, [null, null, [from, to]]);

/** sum over t of a_t^T b_t per example: (T, B, m) and (T, B, n) -> (B, m, n). */
const perExampleProduct = (a: Tensor, b: Tensor) =>
  matmul(batchMajor(a), batchMajor(b), { transposeA: true });

export const gruRule: PerExampleRule = {
  refuses: (layer) => (Object.getPrototypeOf(layer) === GRU.prototype ? null : "not a plain GRU"),
  instrument: instrumentRecurrent,
  compute(layer: Layer, _calls, _batch: number): LayerPerExample {
    const gru = layer as GRU;
    const H = gru.units;
    const U = gru.recurrentKernel!; // (H, 3H)
    const recurrentBias = gru.resetAfter && gru.bias !== null ? reshape(slice(gru.bias, [1]), [3 * H]) : null;
    let grads: (Tensor | null)[] = [null, null, null];
    for (const c of takeRecurrentCalls(layer)) {
      if (c.dxProj === null || c.sequence === null) continue;
      const dx = c.dxProj; // (T, B, 3H)
      const hPrev = previousStates(c); // (T, B, H), recurrent dropout applied
      let gu: Tensor;
      let gbRec: Tensor | null = null;
      if (gru.resetAfter) {
        let inner = matmul(hPrev, U);
        if (recurrentBias !== null) inner = add(inner, recurrentBias);
        const r = gru.recurrentActivation.fn(add(columns(c.xProj, H, 2 * H), columns(inner, H, 2 * H)));
        const dInner = concat([columns(dx, 0, 2 * H), mul(r, columns(dx, 2 * H, 3 * H))], 2);
        gu = perExampleProduct(hPrev, dInner);
        gbRec = sum(batchMajor(dInner), [1]);
      } else {
        const r = gru.recurrentActivation.fn(
          add(columns(c.xProj, H, 2 * H), matmul(hPrev, slice(U, [null, [H, 2 * H]]))),
        );
        gu = concat(
          [
            perExampleProduct(hPrev, columns(dx, 0, 2 * H)),
            perExampleProduct(mul(r, hPrev), columns(dx, 2 * H, 3 * H)),
          ],
          2,
        );
      }
      const gk = perExampleProduct(c.x, dx); // (B, F, 3H)
      const gbIn = sum(batchMajor(dx), [1]); // (B, 3H)
      const gb = gru.bias === null ? null : gbRec === null ? gbIn : stack([gbIn, gbRec], 1); // (B, [2,] 3H)
      grads = [
        addOptional(grads[0] ?? null, gk),
        addOptional(grads[1] ?? null, gu),
        addOptional(grads[2] ?? null, gb),
      ];
    }
    return materialised([gru.kernel, gru.recurrentKernel, gru.bias], grads);
  },
};
