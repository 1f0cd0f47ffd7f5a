// backend/reference/conv: the fused 2-D convolution (ungrouped, and depthwise) and its adjoint as
// plain loops over output pixels, kernel taps, channels and filters: the specification the native
// conv kernels (both algorithms) are checked against. Shapes: x (N, H, W, C), kernel (KH, KW, C, F), y and dy
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
 * Calls visit(pixel, tap, inputBase) for every output pixel and every kernel tap inside the input:
 * pixel indexes (N * OH * OW) rows, tap = kh * KW + kw and inputBase the offset of the tap's
 * C-long row in x.
 */
function forEachInsideTap(
  g: WindowGeometry,
  visit: (pixel: number, tap: number, inputBase: number) => void,
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
            visit(pixel, kh * g.kernelW + kw, ((n * g.inH + ih) * g.inW + iw) * C);
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
  const sums = new Float64Array(g.batch * g.outH * g.outW * F);
  forEachInsideTap(g, (pixel, tap, inputBase) => {
    const o = pixel * F;
    for (let c = 0; c < C; c++) {
      const xv = x[inputBase + c]!;
      const k = (tap * C + c) * F;
      for (let f = 0; f < F; f++) sums[o + f] = sums[o + f]! + xv * kernel[k + f]!;
    }
  });
  finish(sums, bias, out, F, params.activation);
};

/** out = activation(sums + bias) over rows of F. */
function finish(
  sums: Float64Array,
  bias: FloatArray | null,
  out: FloatArray,
  F: number,
  activation: EpilogueActivation,
): void {
  for (let i = 0; i < sums.length; i++) out[i] = activate(sums[i]! + (bias ? bias[i % F]! : 0), activation);
}

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
  const dz = preActivationGradient(dy, y, params.activation);
  const gx = dx ? new Float64Array(dx.length) : null;
  const gk = dKernel ? new Float64Array(dKernel.length) : null;
  forEachInsideTap(g, (pixel, tap, inputBase) => {
    const o = pixel * F;
    for (let c = 0; c < C; c++) {
      const k = (tap * C + c) * F;
      const xv = x[inputBase + c]!;
      let sum = 0;
      for (let f = 0; f < F; f++) {
        sum += dz[o + f]! * kernel[k + f]!;
        if (gk) gk[k + f] = gk[k + f]! + xv * dz[o + f]!;
      }
      if (gx) gx[inputBase + c] = gx[inputBase + c]! + sum;
    }
  });
  copyInto(gx, dx);
  copyInto(gk, dKernel);
  if (dBias) copyInto(biasGradient(dz, F), dBias);
};

/** dz = dy * act'(z) per element, in float64 (the saved output y stands in for z). */
function preActivationGradient(dy: FloatArray, y: FloatArray, activation: EpilogueActivation): Float64Array {
  const dz = new Float64Array(dy.length);
  for (let i = 0; i < dz.length; i++) dz[i] = activationGradient(dy[i]!, y[i]!, activation);
  return dz;
}

/** The bias gradient: dz summed over rows of F, in float64. */
function biasGradient(dz: Float64Array, F: number): Float64Array {
  const gb = new Float64Array(F);
  for (let i = 0; i < dz.length; i++) gb[i % F] = gb[i % F]! + dz[i]!;
  return gb;
}

function copyInto(source: Float64Array | null, target: FloatArray | null): void {
  if (source && target) for (let i = 0; i < source.length; i++) target[i] = source[i]!;
}

/** Depthwise: output channel f = c * M + m reads input channel c only; kernel (KH, KW, C, M) = (K, F). */
export const depthwiseConv2dKernel: Kernels["depthwiseConv2d"] = (
  x,
  kernel,
  bias,
  out,
  params: ConvParams,
) => {
  const g = params.geometry;
  const F = params.filters;
  const M = F / g.channels;
  const sums = new Float64Array(g.batch * g.outH * g.outW * F);
  forEachInsideTap(g, (pixel, tap, inputBase) => {
    for (let f = 0; f < F; f++) {
      sums[pixel * F + f] = sums[pixel * F + f]! + x[inputBase + Math.floor(f / M)]! * kernel[tap * F + f]!;
    }
  });
  finish(sums, bias, out, F, params.activation);
};

export const depthwiseConv2dBackwardKernel: Kernels["depthwiseConv2dBackward"] = (
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
  const M = F / g.channels;
  const dz = preActivationGradient(dy, y, params.activation);
  const gx = dx ? new Float64Array(dx.length) : null;
  const gk = dKernel ? new Float64Array(dKernel.length) : null;
  forEachInsideTap(g, (pixel, tap, inputBase) => {
    for (let f = 0; f < F; f++) {
      const d = dz[pixel * F + f]!;
      const xi = inputBase + Math.floor(f / M);
      if (gx) gx[xi] = gx[xi]! + d * kernel[tap * F + f]!;
      if (gk) gk[tap * F + f] = gk[tap * F + f]! + d * x[xi]!;
    }
  });
  copyInto(gx, dx);
  copyInto(gk, dKernel);
  if (dBias) copyInto(biasGradient(dz, F), dBias);
};
