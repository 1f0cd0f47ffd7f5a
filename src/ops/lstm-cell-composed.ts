// ops/lstm-cell-composed: the lstmCell / lstmCellBackward kernels' contract for the default
// activations (tanh, sigmoid), computed with a backend's vectorised elementwise kernels: one
// sigmoid and one tanh pass over the (B, 4H) pre-activations, one tanh over c, and the remaining
// products in plain loops. A backend with fast elementwise kernels but no fused cell kernel runs
// this instead of the scalar reference loop (whose Math.tanh / Math.exp calls dominate an LSTM).
// Shapes: B batch rows, H units, gate blocks [i f g o].
import type { Kernels } from "../backend/kernels.js";
import type { FloatArray } from "../core/dtype.js";

/** Scratch buffers of one sequence run: (B, 4H) twice and (B, H). */
export interface CellScratch {
  sig: FloatArray;
  tanh: FloatArray;
  state: FloatArray;
}

/** Forward: gates (B, 4H), c and h (B, H) exactly as the lstmCell kernel specifies. */
export function lstmCellComposed(
  k: Kernels,
  x: FloatArray,
  rec: FloatArray,
  cPrev: FloatArray,
  gates: FloatArray,
  c: FloatArray,
  h: FloatArray,
  B: number,
  H: number,
  scratch: CellScratch,
): void {
  const { sig, tanh, state } = scratch;
  const n = B * 4 * H;
  k.binary.add(x, [1], rec, [1], gates, [n]); // z = x + rec
  k.unary.sigmoid(gates, sig);
  k.unary.tanh(gates, tanh);
  for (let b = 0; b < B; b++) {
    const zr = b * 4 * H;
    const sr = b * H;
    for (let u = 0; u < H; u++) {
      const pi = zr + u;
      const i = sig[pi]!;
      const f = sig[pi + H]!;
      const g = tanh[pi + 2 * H]!;
      gates[pi] = i;
      gates[pi + H] = f;
      gates[pi + 2 * H] = g;
      gates[pi + 3 * H] = sig[pi + 3 * H]!;
      c[sr + u] = f * cPrev[sr + u]! + i * g;
    }
  }
  k.unary.tanh(c, state);
  for (let b = 0; b < B; b++) {
    const o = b * 4 * H + 3 * H;
    const sr = b * H;
    for (let u = 0; u < H; u++) h[sr + u] = gates[o + u]! * state[sr + u]!;
  }
}

/** Backward: dz (B, 4H) and dcPrev (B, H) exactly as the lstmCellBackward kernel specifies. */
export function lstmCellBackwardComposed(
  k: Kernels,
  gates: FloatArray,
  cPrev: FloatArray,
  c: FloatArray,
  dh: FloatArray,
  dc: FloatArray,
  dz: FloatArray,
  dcPrev: FloatArray,
  B: number,
  H: number,
  scratch: CellScratch,
): void {
  const tc = scratch.state;
  k.unary.tanh(c, tc);
  for (let b = 0; b < B; b++) {
    const zr = b * 4 * H;
    const sr = b * H;
    for (let u = 0; u < H; u++) {
      const pi = zr + u;
      const i = gates[pi]!;
      const f = gates[pi + H]!;
      const g = gates[pi + 2 * H]!;
      const o = gates[pi + 3 * H]!;
      const a = tc[sr + u]!;
      const dhv = dh[sr + u]!;
      // dc_total = dc + dh o (1 - tanh(c)^2)
      const dct = dc[sr + u]! + dhv * o * (1 - a * a);
      dz[pi] = dct * g * i * (1 - i);
      dz[pi + H] = dct * cPrev[sr + u]! * f * (1 - f);
      dz[pi + 2 * H] = dct * i * (1 - g * g);
      dz[pi + 3 * H] = dhv * a * o * (1 - o);
      dcPrev[sr + u] = dct * f;
    }
  }
}
