// backend/reference/recurrent: the pointwise part of one LSTM / GRU time step, gates fused, and
// its adjoint. The recurrent GEMMs (h @ U) stay in the matmul kernel; ops/*-sequence run the time
// loop. Shapes: B batch rows, H units; gate blocks are laid out [i f g o] (LSTM) and [z r h] (GRU)
// along the last axis, as Keras stores its kernels. Each kernel resolves its activations once and
// runs one loop over B x H.
import type { CellActivation, Kernels } from "../kernels.js";
import { sigmoid } from "./scalar-math.js";

type Scalar = (x: number) => number;

const hardSigmoid: Scalar = (x) => Math.min(Math.max(x / 6 + 0.5, 0), 1);

/** act(x) for the fusable cell activations. */
export function cellActivation(kind: CellActivation): Scalar {
  switch (kind) {
    case "tanh":
      return Math.tanh;
    case "sigmoid":
      return sigmoid;
    case "relu":
      return (x) => Math.max(x, 0);
    case "linear":
      return (x) => x;
    case "hard_sigmoid":
      return hardSigmoid;
  }
}

/** act'(x) expressed through y = act(x), which is what the backward pass keeps. */
export function cellDerivative(kind: CellActivation): Scalar {
  switch (kind) {
    case "tanh":
      return (y) => 1 - y * y;
    case "sigmoid":
      return (y) => y * (1 - y);
    case "relu":
      return (y) => (y > 0 ? 1 : 0);
    case "linear":
      return () => 1;
    case "hard_sigmoid":
      return (y) => (y > 0 && y < 1 ? 1 / 6 : 0);
  }
}

// i = ra(z_i), f = ra(z_f), g = a(z_g), o = ra(z_o) with z = x + rec; c = f c_prev + i g; h = o a(c)
export const lstmCellKernel: Kernels["lstmCell"] = (x, rec, cPrev, gates, c, h, params) => {
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

// reset-after GRU: z = ra(x_z + r_z), r = ra(x_r + r_r), hh = a(x_h + r * r_h),
// h = z h_prev + (1 - z) hh, where x = x W + b_in and rec = h_prev U + b_rec (both (B, 3H))
export const gruCellKernel: Kernels["gruCell"] = (x, rec, hPrev, gates, h, params) => {
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
