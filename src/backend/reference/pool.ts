// backend/reference/pool: max and average pooling over channels-last windows, and their adjoints.
// Shapes: x (N, H, W, C), pooled (N, OH, OW, C). Taps in the padding never count: a max ignores
// them and an average divides by the number of taps inside the input (TensorFlow's SAME pooling).
// Windows are visited tap by tap (kh, then kw) with the channels innermost, so reads are contiguous.
import type { Kernels, WindowGeometry } from "../kernels.js";

/** First and one-past-last kernel tap of output cell `o` that land inside [0, size). */
function insideTaps(o: number, stride: number, pad: number, kernel: number, size: number): [number, number] {
  const start = o * stride - pad;
  return [Math.max(0, -start), Math.min(kernel, size - start)];
}

/**
 * Calls visit(outOffset, inOffset) for every (output cell, inside tap) pair, cells in output order
 * and taps in (kh, kw) order; offsets point at channel 0. begin(outOffset, count) opens each cell.
 */
function forEachTap(
  g: WindowGeometry,
  begin: (outOffset: number, count: number) => void,
  visit: (outOffset: number, inOffset: number) => void,
): void {
  const { batch, inH, inW, channels: C, kernelH, kernelW, outH, outW } = g;
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const [h0, h1] = insideTaps(oh, g.strideH, g.padTop, kernelH, inH);
      for (let ow = 0; ow < outW; ow++, o += C) {
        const [w0, w1] = insideTaps(ow, g.strideW, g.padLeft, kernelW, inW);
        begin(o, Math.max(h1 - h0, 0) * Math.max(w1 - w0, 0));
        for (let kh = h0; kh < h1; kh++) {
          const row = (n * inH + oh * g.strideH + kh - g.padTop) * inW;
          for (let kw = w0; kw < w1; kw++) visit(o, (row + ow * g.strideW + kw - g.padLeft) * C);
        }
      }
    }
  }
}

export const maxPoolKernel: Kernels["maxPool"] = (x, g, out, argmax) => {
  const C = g.channels;
  forEachTap(
    g,
    (o) => {
      out.fill(Number.NEGATIVE_INFINITY, o, o + C);
      argmax.fill(-1, o, o + C);
    },
    (o, i) => {
      for (let c = 0; c < C; c++) {
        const v = x[i + c]!;
        const best = out[o + c]!;
        // the first maximum wins ties; a NaN wins over everything and stays
        if (argmax[o + c] === -1 || v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
          out[o + c] = v;
          argmax[o + c] = i + c;
        }
      }
    },
  );
};

export const maxPoolBackwardKernel: Kernels["maxPoolBackward"] = (dy, argmax, _geometry, out) => {
  out.fill(0);
  for (let i = 0; i < dy.length; i++) {
    const at = argmax[i]!;
    if (at >= 0) out[at] = out[at]! + dy[i]!;
  }
};

export const avgPoolKernel: Kernels["avgPool"] = (x, g, out) => {
  const C = g.channels;
  const total = new Float64Array(C);
  let cell = -1;
  let taps = 0;
  const flush = (): void => {
    for (let c = 0; c < C; c++) out[cell + c] = taps > 0 ? total[c]! / taps : 0;
  };
  forEachTap(
    g,
    (o, count) => {
      if (cell >= 0) flush();
      cell = o;
      taps = count;
      total.fill(0);
    },
    (_o, i) => {
      for (let c = 0; c < C; c++) total[c] = total[c]! + x[i + c]!;
    },
  );
  if (cell >= 0) flush();
};

export const avgPoolBackwardKernel: Kernels["avgPoolBackward"] = (dy, g, out) => {
  const C = g.channels;
  out.fill(0);
  let taps = 1;
  forEachTap(
    g,
    (_o, count) => {
      taps = count;
    },
    (o, i) => {
      for (let c = 0; c < C; c++) out[i + c] = out[i + c]! + dy[o + c]! / taps;
    },
  );
};
