// backend/native/norm: the layer-norm, RMS-norm and GELU kernels of the addon (native/src/
// norm-napi.cc) as a partial kernel table; an addon built before these kernels existed leaves them
// all to the reference.
import type { FloatArray } from "../../core/dtype.js";
import type { PartialKernels } from "../kernels.js";
import type { NativeAddon } from "./addon.js";

/** The norm exports of the addon (all optional: older builds lack them). */
export interface NormAddon {
  layerNorm?(
    x: FloatArray,
    gamma: FloatArray | null,
    beta: FloatArray | null,
    out: FloatArray,
    mean: FloatArray,
    rstd: FloatArray,
    rows: number,
    cols: number,
    epsilon: number,
  ): void;
  layerNormBackward?(
    dy: FloatArray,
    x: FloatArray,
    gamma: FloatArray | null,
    mean: FloatArray,
    rstd: FloatArray,
    dx: FloatArray,
    dgamma: FloatArray | null,
    dbeta: FloatArray | null,
    rows: number,
    cols: number,
  ): void;
  rmsNorm?(
    x: FloatArray,
    scale: FloatArray | null,
    out: FloatArray,
    rstd: FloatArray,
    rows: number,
    cols: number,
    epsilon: number,
  ): void;
  rmsNormBackward?(
    dy: FloatArray,
    x: FloatArray,
    scale: FloatArray | null,
    rstd: FloatArray,
    dx: FloatArray,
    dscale: FloatArray | null,
    rows: number,
    cols: number,
  ): void;
  gelu?(x: FloatArray, out: FloatArray, approximate: boolean): void;
  geluBackward?(x: FloatArray, dy: FloatArray, dx: FloatArray, approximate: boolean): void;
}

/** The norm kernels this addon exports. */
export function normKernels(nativeAddon: NativeAddon): PartialKernels {
  const addon = nativeAddon as NativeAddon & NormAddon;
  const table: PartialKernels = {};
  const { layerNorm, layerNormBackward, rmsNorm, rmsNormBackward, gelu, geluBackward } = addon;
  if (layerNorm)
    table.layerNorm = (x, gamma, beta, out, mean, rstd, p) =>
      layerNorm.call(addon, x, gamma, beta, out, mean, rstd, p.rows, p.cols, p.epsilon);
  if (layerNormBackward)
    table.layerNormBackward = (dy, x, gamma, mean, rstd, dx, dgamma, dbeta, p) =>
      layerNormBackward.call(addon, dy, x, gamma, mean, rstd, dx, dgamma, dbeta, p.rows, p.cols);
  if (rmsNorm)
    table.rmsNorm = (x, scale, out, rstd, p) =>
      rmsNorm.call(addon, x, scale, out, rstd, p.rows, p.cols, p.epsilon);
  if (rmsNormBackward)
    table.rmsNormBackward = (dy, x, scale, rstd, dx, dscale, p) =>
      rmsNormBackward.call(addon, dy, x, scale, rstd, dx, dscale, p.rows, p.cols);
  if (gelu) table.gelu = (x, out, approximate) => gelu.call(addon, x, out, approximate);
  if (geluBackward)
    table.geluBackward = (x, dy, dx, approximate) => geluBackward.call(addon, x, dy, dx, approximate);
  return table;
}
