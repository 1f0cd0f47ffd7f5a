// backend/fused/lstm-cell: the lstmCell fused op: the pointwise part of one LSTM time step, gates
// fused, and its adjoint, as plain loops (the specification of native/src/recurrent-*.cc). The
// recurrent GEMM (h @ U) stays in the matmul kernel; ops/lstm-sequence runs the time loop.
// Shapes: B batch rows, H units, gate blocks [i f g o]. Each kernel resolves its activations once.
import type { FloatArray } from "../../core/dtype.js";
import { type CellParams, cellActivation, cellDerivative, cellTail } from "./cell-shared.js";
import { defineFusedOp } from "./define.js";

/**
 * One LSTM step, pointwise part: pre-activations x + rec (B, 4H), blocks [i f g o], where x is the
 * input part (x W + b) and rec the recurrent part (h U), and c_prev (B, H) give the activated
 * gates (B, 4H), c = f c_prev + i g and h = o act(c), each (B, H).
 */
export type LstmCellKernel = (
  x: FloatArray,
  rec: FloatArray,
  cPrev: FloatArray,
  gates: FloatArray,
  c: FloatArray,
  h: FloatArray,
  params: CellParams,
) => void;

/** The adjoint of lstmCell: from dh, dc (B, H) reaching h and c, writes dz (B, 4H) and dcPrev (B, H). */
export type LstmCellBackwardKernel = (
  gates: FloatArray,
  cPrev: FloatArray,
  c: FloatArray,
  dh: FloatArray,
  dc: FloatArray,
  dz: FloatArray,
  dcPrev: FloatArray,
  params: CellParams,
) => void;

// i = ra(z_i), f = ra(z_f), g = a(z_g), o = ra(z_o) with z = x + rec; c = f c_prev + i g; h = o a(c)
const lstmCellKernel: LstmCellKernel = (x, rec, cPrev, gates, c, h, params) => {
  const { batch: B, units: H } = params;
  const a = cellActivation(params.activation);
  const ra = cellActivation(params.recurrentActivation);
  for (let b = 0; b < B; b++) {
    const zr = b * 4 * H;
    const sr = b * H;
    for (let u = 0; u < H; u++) {
      const pi = zr + u;
      const pf = pi + H;
      const pg = pf + H;
      const po = pg + H;
      const i = ra(x[pi]! + rec[pi]!);
      const f = ra(x[pf]! + rec[pf]!);
      const g = a(x[pg]! + rec[pg]!);
      const o = ra(x[po]! + rec[po]!);
      gates[pi] = i;
      gates[pf] = f;
      gates[pg] = g;
      gates[po] = o;
      const cv = f * cPrev[sr + u]! + i * g;
      c[sr + u] = cv;
      h[sr + u] = o * a(cv);
    }
  }
};

// dc_total = dc + dh o a'(c); dz_i = dc_total g ra'(i); dz_f = dc_total c_prev ra'(f);
// dz_g = dc_total i a'(g); dz_o = dh a(c) ra'(o); dc_prev = dc_total f
const lstmCellBackwardKernel: LstmCellBackwardKernel = (gates, cPrev, c, dh, dc, dz, dcPrev, params) => {
  const { batch: B, units: H } = params;
  const a = cellActivation(params.activation);
  const da = cellDerivative(params.activation);
  const dra = cellDerivative(params.recurrentActivation);
  for (let b = 0; b < B; b++) {
    const zr = b * 4 * H;
    const sr = b * H;
    for (let u = 0; u < H; u++) {
      const pi = zr + u;
      const pf = pi + H;
      const pg = pf + H;
      const po = pg + H;
      const i = gates[pi]!;
      const f = gates[pf]!;
      const g = gates[pg]!;
      const o = gates[po]!;
      const ac = a(c[sr + u]!);
      const dhv = dh[sr + u]!;
      const dct = dc[sr + u]! + dhv * o * da(ac);
      dz[pi] = dct * g * dra(i);
      dz[pf] = dct * cPrev[sr + u]! * dra(f);
      dz[pg] = dct * i * da(g);
      dz[po] = dhv * ac * dra(o);
      dcPrev[sr + u] = dct * f;
    }
  }
};

export const lstmCell = defineFusedOp({
  name: "lstmCell",
  reference: lstmCellKernel,
  vjp: lstmCellBackwardKernel,
  positional: { forward: cellTail, backward: cellTail },
});
