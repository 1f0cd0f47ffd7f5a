// test/helpers/window-geometry: builds a WindowGeometry whose output size follows the window rule
// for the pads chosen (bottom/right pads given too), for the native window and conv kernel tests.
import type { WindowGeometry } from "../../src/backend/kernels.js";

/** A geometry for the given sizes, strides, dilations and pads, its output size computed. */
export function windowGeometry(
  batch: number,
  [inH, inW]: [number, number],
  channels: number,
  [kernelH, kernelW]: [number, number],
  [strideH, strideW]: [number, number],
  [dilationH, dilationW]: [number, number],
  [padTop, padLeft]: [number, number],
  [padBottom, padRight]: [number, number],
): WindowGeometry {
  const out = (size: number, k: number, s: number, d: number, before: number, after: number) =>
    Math.floor((size + before + after - ((k - 1) * d + 1)) / s) + 1;
  return {
    batch,
    inH,
    inW,
    channels,
    kernelH,
    kernelW,
    strideH,
    strideW,
    dilationH,
    dilationW,
    padTop,
    padLeft,
    outH: out(inH, kernelH, strideH, dilationH, padTop, padBottom),
    outW: out(inW, kernelW, strideW, dilationW, padLeft, padRight),
  };
}
