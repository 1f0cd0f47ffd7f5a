// ops/lstm-cell-composed: the lstmCell / lstmCellBackward kernels' contract for the default
// activations (tanh, sigmoid), computed with a backend's vectorised elementwise kernels: sigmoid
// and tanh over the (B, 4H) pre-activations, strided products over the gate blocks, tanh of c
// and the backward pass's products likewise, each gate block written through a strided copy. A backend with fast elementwise kernels but no fused cell kernel runs
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
  const rows = [B, H];
  const block = [4 * H, 1]; // strides of one gate block viewed as (B, H)
  const flat = [H, 1]; // strides of a contiguous (B, H) state
  const view = (a: FloatArray, gate: number) => a.subarray(gate * H);
  k.binary.add(x, [1], rec, [1], tanh, [B * 4 * H]); // z = x + rec
  k.unary.sigmoid(tanh, gates); // i, f, o (the g block is replaced next)
  k.unary.tanh(tanh, sig);
  k.stridedCopy(sig, { offset: 2 * H, strides: block }, gates, { offset: 2 * H, strides: block }, rows);
  // c = f c_prev + i g; h = o tanh(c)
  k.binary.mul(view(gates, 1), block, cPrev, flat, c, rows);
  k.binary.mul(gates, block, view(gates, 2), block, state, rows);
  k.binary.add(c, flat, state, flat, c, rows);
  k.unary.tanh(c, state);
  k.binary.mul(view(gates, 3), block, state, flat, h, rows);
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
  const N = B * H;
  const rows = [B, H];
  const block = [4 * H, 1];
  const flat = [H, 1];
  const scalar = [0, 0];
  const one = gates instanceof Float64Array ? new Float64Array([1]) : new Float32Array([1]);
  const gate = (g: number) => gates.subarray(g * H);
  const a = scratch.state; // tanh(c)
  const dct = scratch.sig.subarray(0, N); // dc + dh o (1 - tanh(c)^2)
  const t = scratch.sig.subarray(N, 2 * N);
  k.unary.tanh(c, a);
  k.binary.mul(a, flat, a, flat, t, rows);
  k.binary.sub(one, scalar, t, flat, t, rows);
  k.binary.mul(t, flat, gate(3), block, t, rows);
  k.binary.mul(t, flat, dh, flat, t, rows);
  k.binary.add(dc, flat, t, flat, dct, rows);
  k.binary.mul(dct, flat, gate(1), block, dcPrev, rows);
  // dz block = product of the factors, written into its (B, H) view of dz
  const put = (g: number) =>
    k.stridedCopy(t, { offset: 0, strides: flat }, dz, { offset: g * H, strides: block }, rows);
  const sigmoidSlope = (g: number) => {
    // t = s (1 - s) for the gate's sigmoid output s
    k.binary.sub(one, scalar, gate(g), block, t, rows);
    k.binary.mul(t, flat, gate(g), block, t, rows);
  };
  sigmoidSlope(0); // dz_i = dct g i (1 - i)
  k.binary.mul(t, flat, gate(2), block, t, rows);
  k.binary.mul(t, flat, dct, flat, t, rows);
  put(0);
  sigmoidSlope(1); // dz_f = dct c_prev f (1 - f)
  k.binary.mul(t, flat, cPrev, flat, t, rows);
  k.binary.mul(t, flat, dct, flat, t, rows);
  put(1);
  k.binary.mul(gate(2), block, gate(2), block, t, rows); // dz_g = dct i (1 - g^2)
  k.binary.sub(one, scalar, t, flat, t, rows);
  k.binary.mul(t, flat, gate(0), block, t, rows);
  k.binary.mul(t, flat, dct, flat, t, rows);
  put(2);
  sigmoidSlope(3); // dz_o = dh tanh(c) o (1 - o)
  k.binary.mul(t, flat, a, flat, t, rows);
  k.binary.mul(t, flat, dh, flat, t, rows);
  put(3);
}
