// backend/fused/gru-cell: the gruCell fused op: the pointwise part of one reset-after GRU time step,
// gates fused, and its adjoint, as plain loops (the specification of native/src/recurrent-*.cc).
// Shapes: B batch rows, H units, gate blocks [z r h].
import type { FloatArray } from "../../core/dtype.js";
import { type CellParams, cellActivation, cellDerivative, cellTail } from "./cell-shared.js";
import { defineFusedOp } from "./define.js";

/**
 * One reset-after GRU step, pointwise part: x = x W + b_in and rec = h_prev U + b_rec (B, 3H),
 * blocks [z r h], give gates [z r hh] (B, 3H) and h = z h_prev + (1 - z) hh (B, H).
 */
export type GruCellKernel = (
  x: FloatArray,
  rec: FloatArray,
  hPrev: FloatArray,
  gates: FloatArray,
  h: FloatArray,
  params: CellParams,
) => void;

/**
 * The adjoint of gruCell: from dh (B, H) writes dx (B, 3H), drec (B, 3H) and the direct part
 * of dhPrev (dh z; the caller adds drec U^T).
 */
export type GruCellBackwardKernel = (
  gates: FloatArray,
  rec: FloatArray,
  hPrev: FloatArray,
  dh: FloatArray,
  dx: FloatArray,
  drec: FloatArray,
  dhPrev: FloatArray,
  params: CellParams,
) => void;

// reset-after GRU: z = ra(x_z + r_z), r = ra(x_r + r_r), hh = a(x_h + r * r_h),
// h = z h_prev + (1 - z) hh, where x = x W + b_in and rec = h_prev U + b_rec (both (B, 3H))
const gruCellKernel: GruCellKernel = (x, rec, hPrev, gates, h, params) => {
  const { batch: B, units: H } = params;
  const a = cellActivation(params.activation);
  const ra = cellActivation(params.recurrentActivation);
  for (let b = 0; b < B; b++) {
    const gr = b * 3 * H;
    const sr = b * H;
    for (let u = 0; u < H; u++) {
      const pz = gr + u;
      const pr = pz + H;
      const ph = pr + H;
      const z = ra(x[pz]! + rec[pz]!);
      const r = ra(x[pr]! + rec[pr]!);
      const hh = a(x[ph]! + r * rec[ph]!);
      gates[pz] = z;
      gates[pr] = r;
      gates[ph] = hh;
      h[sr + u] = z * hPrev[sr + u]! + (1 - z) * hh;
    }
  }
};

// dhh = dh (1 - z); da = dhh a'(hh); dz_pre = dh (h_prev - hh) ra'(z); dr_pre = da r_h ra'(r);
// dx = [dz_pre, dr_pre, da], drec = [dz_pre, dr_pre, da r], dh_prev (direct part) = dh z
const gruCellBackwardKernel: GruCellBackwardKernel = (gates, rec, hPrev, dh, dx, drec, dhPrev, params) => {
  const { batch: B, units: H } = params;
  const da = cellDerivative(params.activation);
  const dra = cellDerivative(params.recurrentActivation);
  for (let b = 0; b < B; b++) {
    const gr = b * 3 * H;
    const sr = b * H;
    for (let u = 0; u < H; u++) {
      const pz = gr + u;
      const pr = pz + H;
      const ph = pr + H;
      const z = gates[pz]!;
      const r = gates[pr]!;
      const hh = gates[ph]!;
      const dhv = dh[sr + u]!;
      const dact = dhv * (1 - z) * da(hh);
      const dzPre = dhv * (hPrev[sr + u]! - hh) * dra(z);
      const drPre = dact * rec[ph]! * dra(r);
      dx[pz] = dzPre;
      dx[pr] = drPre;
      dx[ph] = dact;
      drec[pz] = dzPre;
      drec[pr] = drPre;
      drec[ph] = dact * r;
      dhPrev[sr + u] = dhv * z;
    }
  }
};

export const gruCell = defineFusedOp({
  name: "gruCell",
  reference: gruCellKernel,
  vjp: gruCellBackwardKernel,
  positional: { forward: cellTail, backward: cellTail },
});
