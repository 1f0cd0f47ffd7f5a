// backend/reference/pool: max and average pooling over channels-last windows, and their adjoints.
// Shapes: x (N, H, W, C), pooled (N, OH, OW, C). Taps in the padding never count: a max ignores
// them and an average divides by the number of taps inside the input (TensorFlow's SAME pooling).
import type { Kernels, WindowGeometry } from "../kernels.js";

/** First and one-past-last kernel tap of output cell `o` that land inside [0, size). */
function insideTaps(o: number, stride: number, pad: number, kernel: number, size: number): [number, number] {
  const start = o * stride - pad;
  return [Math.max(0, -start), Math.min(kernel, size - start)];
}

/** Calls visit(outOffset, taps, count) per output cell; taps are the x offsets (channel 0) of its inside taps. */
function forEachWindow(
  g: WindowGeometry,
  visit: (cell: number, taps: readonly number[], count: number) => void,
): void {
  const { batch, inH, inW, channels: C, kernelH, kernelW, outH, outW } = g;
  const taps: number[] = [];
  let cell = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const [h0, h1] = insideTaps(oh, g.strideH, g.padTop, kernelH, inH);
      for (let ow = 0; ow < outW; ow++, cell++) {
        const [w0, w1] = insideTaps(ow, g.strideW, g.padLeft, kernelW, inW);
        taps.length = 0;
        for (let kh = h0; kh < h1; kh++) {
          const ih = oh * g.strideH + kh - g.padTop;
          for (let kw = w0; kw < w1; kw++) {
            const iw = ow * g.strideW + kw - g.padLeft;
            taps.push(((n * inH + ih) * inW + iw) * C);
          }
        }
        visit(cell * C, taps, taps.length);
      }
    }
  }
}

export const maxPoolKernel: Kernels["maxPool"] = (x, g, out, argmax) => {
  const C = g.channels;
  forEachWindow(g, (o, taps) => {
    for (let c = 0; c < C; c++) {
      let best = Number.NEGATIVE_INFINITY;
      let at = -1;
      for (const base of taps) {
        const v = x[base + c]!;
        // the first maximum wins ties; a NaN wins over everything and stays
        if (at === -1 || v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
          best = v;
          at = base + c;
        }
      }
      out[o + c] = best;
      argmax[o + c] = at;
    }
  });
};

export const maxPoolBackwardKernel: Kernels["maxPoolBackward"] = (dy, argmax, out) => {
  out.fill(0);
  for (let i = 0; i < dy.length; i++) {
    const at = argmax[i]!;
    if (at >= 0) out[at] = out[at]! + dy[i]!;
  }
};

export const avgPoolKernel: Kernels["avgPool"] = (x, g, out) => {
  const C = g.channels;
  forEachWindow(g, (o, taps, count) => {
    for (let c = 0; c < C; c++) {
      let total = 0;
      for (const base of taps) total += x[base + c]!;
      out[o + c] = count > 0 ? total / count : 0;
    }
  });
};

export const avgPoolBackwardKernel: Kernels["avgPoolBackward"] = (dy, g, out) => {
  const C = g.channels;
  out.fill(0);
  forEachWindow(g, (o, taps, count) => {
    for (let c = 0; c < C; c++) {
      const share = dy[o + c]! / count;
      for (const base of taps) out[base + c] = out[base + c]! + share;
    }
  });
};
