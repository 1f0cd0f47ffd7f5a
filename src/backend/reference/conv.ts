// backend/reference/conv: the fused, ungrouped 2-D convolution and its adjoint as plain loops over
// output pixels, kernel taps, channels and filters: the specification the native conv kernels
// (both algorithms) are checked against. Shapes: x (N, H, W, C), kernel (KH, KW, C, F), y and dy
// (N, OH, OW, F); tap (kh, kw) of output (oh, ow) reads input row oh * strideH + kh * dilationH -
// padTop and column ow * strideW + kw * dilationW - padLeft, taps outside the input read 0.
import type { FloatArray } from "../../core/dtype.js";
import type { ConvParams, EpilogueActivation, Kernels, WindowGeometry } from "../kernels.js";
import { sigmoid } from "./scalar-math.js";

function activate(v: number, activation: EpilogueActivation): number {
  if (activation === "relu") return Math.max(v, 0);
  if (activation === "sigmoid") return sigmoid(v);
  if (activation === "tanh") return Math.tanh(v);
  return v;
}

/** dy * act'(z) expressed through y = act(z). */
function activationGradient(dy: number, y: number, activation: EpilogueActivation): number {
  if (activation === "relu") return y > 0 ? dy : 0;
  if (activation === "sigmoid") return dy * y * (1 - y);
  if (activation === "tanh") return dy * (1 - y * y);
  return dy;
}

/**
 * Calls visit(pixel, tapBase, inputBase) for every output pixel and every kernel tap inside the
 * input: pixel indexes (N * OH * OW) rows, tapBase = (kh * KW + kw) * C and inputBase the offset
 * of the tap's C-long row in x.
 */
function forEachInsideTap(
  g: WindowGeometry,
  visit: (pixel: number, tapBase: number, inputBase: number) => void,
): void {
  const C = g.channels;
  let pixel = 0;
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++, pixel++) {
        for (let kh = 0; kh < g.kernelH; kh++) {
          const ih = oh * g.strideH + kh * g.dilationH - g.padTop;
          if (ih < 0 || ih >= g.inH) continue;
          for (let kw = 0; kw < g.kernelW; kw++) {
            const iw = ow * g.strideW + kw * g.dilationW - g.padLeft;
            if (iw < 0 || iw >= g.inW) continue;
            visit(pixel, (kh * g.kernelW + kw) * C, ((n * g.inH + ih) * g.inW + iw) * C);
          }
        }
      }
    }
  }
}

export const conv2dKernel: Kernels["conv2d"] = (x, kernel, bias, out, params: ConvParams) => {
  const g = params.geometry;
  const F = params.filters;
  const C = g.channels;
  const pixels = g.batch * g.outH * g.outW;
  const sums = new Float64Array(pixels * F);
  forEachInsideTap(g, (pixel, tapBase, inputBase) => {
    const o = pixel * F;
    for (let c = 0; c < C; c++) {
      const xv = x[inputBase + c]!;
      const k = (tapBase + c) * F;
      for (let f = 0; f < F; f++) sums[o + f] = sums[o + f]! + xv * kernel[k + f]!;
    }
  });
  for (let p = 0; p < pixels; p++) {
    for (let f = 0; f < F; f++) {
      out[p * F + f] = activate(sums[p * F + f]! + (bias ? bias[f]! : 0), params.activation);
    }
  }
};

export const conv2dBackwardKernel: Kernels["conv2dBackward"] = (
  x,
  kernel,
  y,
  dy,
  dx,
  dKernel,
  dBias,
  params: ConvParams,
) => {
  const g = params.geometry;
  const F = params.filters;
  const C = g.channels;
  const dz = new Float64Array(dy.length);
  for (let i = 0; i < dz.length; i++) dz[i] = activationGradient(dy[i]!, y[i]!, params.activation);
  const gx = dx ? new Float64Array(dx.length) : null;
  const gk = dKernel ? new Float64Array(dKernel.length) : null;
  forEachInsideTap(g, (pixel, tapBase, inputBase) => {
    const o = pixel * F;
    for (let c = 0; c < C; c++) {
      const k = (tapBase + c) * F;
      const xv = x[inputBase + c]!;
      let sum = 0;
      for (let f = 0; f < F; f++) {
        sum += dz[o + f]! * kernel[k + f]!;
        if (gk) gk[k + f] = gk[k + f]! + xv * dz[o + f]!;
      }
      if (gx) gx[inputBase + c] = gx[inputBase + c]! + sum;
    }
  });
  const gb = dBias ? new Float64Array(F) : null;
  if (gb) for (let i = 0; i < dz.length; i++) gb[i % F] = gb[i % F]! + dz[i]!;
  copyInto(gx, dx);
  copyInto(gk, dKernel);
  copyInto(gb, dBias);
};

function copyInto(source: Float64Array | null, target: FloatArray | null): void {
  if (source && target) for (let i = 0; i < source.length; i++) target[i] = source[i]!;
}
