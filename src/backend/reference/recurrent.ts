// backend/reference/recurrent: the pointwise part of one LSTM / GRU time step, gates fused, and
// its adjoint. The recurrent GEMMs (h @ U) stay in the matmul kernel; ops/recurrent runs the time
// loop. Shapes: B batch rows, H units; gate blocks are laid out [i f g o] (LSTM) and [z r h] (GRU)
// along the last axis, as Keras stores its kernels.
import type { CellActivation, Kernels } from "../kernels.js";
import { sigmoid } from "./scalar-math.js";

/** act(x) for the fusable cell activations. */
export function cellActivate(kind: CellActivation, x: number): number {
  switch (kind) {
    case "tanh":
      return Math.tanh(x);
    case "sigmoid":
      return sigmoid(x);
    case "relu":
      return x > 0 ? x : 0;
    case "linear":
      return x;
    case "hard_sigmoid":
      // relu6(x + 3) / 6, Keras 3's hard_sigmoid
      return Math.min(Math.max(x / 6 + 0.5, 0), 1);
  }
}

/** act'(x) expressed through y = act(x), which is what the backward pass keeps. */
export function cellDerivative(kind: CellActivation, y: number): number {
  switch (kind) {
    case "tanh":
      return 1 - y * y;
    case "sigmoid":
      return y * (1 - y);
    case "relu":
      return y > 0 ? 1 : 0;
    case "linear":
      return 1;
    case "hard_sigmoid":
      return y > 0 && y < 1 ? 1 / 6 : 0;
  }
}

// i = ra(z_i), f = ra(z_f), g = a(z_g), o = ra(z_o); c = f c_prev + i g; h = o a(c)
export const lstmCellKernel: Kernels["lstmCell"] = (z, cPrev, gates, c, h, params) => {
  const { batch: B, units: H, activation: act, recurrentActivation: rec } = params;
  for (let b = 0; b < B; b++) {
    const zr = b * 4 * H;
    const sr = b * H;
    for (let u = 0; u < H; u++) {
      const i = cellActivate(rec, z[zr + u]!);
      const f = cellActivate(rec, z[zr + H + u]!);
      const g = cellActivate(act, z[zr + 2 * H + u]!);
      const o = cellActivate(rec, z[zr + 3 * H + u]!);
      gates[zr + u] = i;
      gates[zr + H + u] = f;
      gates[zr + 2 * H + u] = g;
      gates[zr + 3 * H + u] = o;
      const cv = f * cPrev[sr + u]! + i * g;
      c[sr + u] = cv;
      h[sr + u] = o * cellActivate(act, cv);
    }
  }
};

// dc_total = dc + dh o a'(c); dz_i = dc_total g ra'(i); dz_f = dc_total c_prev ra'(f);
// dz_g = dc_total i a'(g); dz_o = dh a(c) ra'(o); dc_prev = dc_total f
export const lstmCellBackwardKernel: Kernels["lstmCellBackward"] = (
  gates,
  cPrev,
  c,
  dh,
  dc,
  dz,
  dcPrev,
  params,
) => {
  const { batch: B, units: H, activation: act, recurrentActivation: rec } = params;
  for (let b = 0; b < B; b++) {
    const zr = b * 4 * H;
    const sr = b * H;
    for (let u = 0; u < H; u++) {
      const i = gates[zr + u]!;
      const f = gates[zr + H + u]!;
      const g = gates[zr + 2 * H + u]!;
      const o = gates[zr + 3 * H + u]!;
      const ac = cellActivate(act, c[sr + u]!);
      const dhv = dh[sr + u]!;
      const dct = dc[sr + u]! + dhv * o * cellDerivative(act, ac);
      dz[zr + u] = dct * g * cellDerivative(rec, i);
      dz[zr + H + u] = dct * cPrev[sr + u]! * cellDerivative(rec, f);
      dz[zr + 2 * H + u] = dct * i * cellDerivative(act, g);
      dz[zr + 3 * H + u] = dhv * ac * cellDerivative(rec, o);
      dcPrev[sr + u] = dct * f;
    }
  }
};

// reset-after GRU: z = ra(x_z + r_z), r = ra(x_r + r_r), hh = a(x_h + r * r_h),
// h = z h_prev + (1 - z) hh, where x = x W + b_in and r = h_prev U + b_rec (both (B, 3H))
export const gruCellKernel: Kernels["gruCell"] = (x, rec, hPrev, gates, h, params) => {
  const { batch: B, units: H, activation: act, recurrentActivation: ra } = params;
  for (let b = 0; b < B; b++) {
    const gr = b * 3 * H;
    const sr = b * H;
    for (let u = 0; u < H; u++) {
      const z = cellActivate(ra, x[gr + u]! + rec[gr + u]!);
      const r = cellActivate(ra, x[gr + H + u]! + rec[gr + H + u]!);
      const hh = cellActivate(act, x[gr + 2 * H + u]! + r * rec[gr + 2 * H + u]!);
      gates[gr + u] = z;
      gates[gr + H + u] = r;
      gates[gr + 2 * H + u] = hh;
      h[sr + u] = z * hPrev[sr + u]! + (1 - z) * hh;
    }
  }
};

// dhh = dh (1 - z); da = dhh a'(hh); dz_pre = dh (h_prev - hh) ra'(z); dr_pre = da r_h ra'(r);
// dx = [dz_pre, dr_pre, da], drec = [dz_pre, dr_pre, da r], dh_prev (direct part) = dh z
export const gruCellBackwardKernel: Kernels["gruCellBackward"] = (
  gates,
  rec,
  hPrev,
  dh,
  dx,
  drec,
  dhPrev,
  params,
) => {
  const { batch: B, units: H, activation: act, recurrentActivation: ra } = params;
  for (let b = 0; b < B; b++) {
    const gr = b * 3 * H;
    const sr = b * H;
    for (let u = 0; u < H; u++) {
      const z = gates[gr + u]!;
      const r = gates[gr + H + u]!;
      const hh = gates[gr + 2 * H + u]!;
      const dhv = dh[sr + u]!;
      const hp = hPrev[sr + u]!;
      const da = dhv * (1 - z) * cellDerivative(act, hh);
      const dzPre = dhv * (hp - hh) * cellDerivative(ra, z);
      const drPre = da * rec[gr + 2 * H + u]! * cellDerivative(ra, r);
      dx[gr + u] = dzPre;
      dx[gr + H + u] = drPre;
      dx[gr + 2 * H + u] = da;
      drec[gr + u] = dzPre;
      drec[gr + H + u] = drPre;
      drec[gr + 2 * H + u] = da * r;
      dhPrev[sr + u] = dhv * z;
    }
  }
};
