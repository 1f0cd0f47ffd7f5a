// backend/reference/im2col: the patch matrix of a channels-last convolution and its adjoint.
// Shapes: x (N, H, W, C); cols (N * OH * OW, KH * KW * C) with each row ordered (kh, kw, c), so a
// kernel stored (KH, KW, C, F) reshaped to (KH * KW * C, F) multiplies it directly.
import type { Kernels } from "../kernels.js";

export const im2colKernel: Kernels["im2col"] = (x, g, out) => {
  const { batch, inH, inW, channels: C, kernelH, kernelW, outH, outW } = g;
  const rowLength = kernelH * kernelW * C;
  let r = 0;
  for (let n = 0; n < batch; n++) {
    const xBatch = n * inH * inW * C;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, r++) {
        let o = r * rowLength;
        for (let kh = 0; kh < kernelH; kh++) {
          const ih = oh * g.strideH + kh * g.dilationH - g.padTop;
          for (let kw = 0; kw < kernelW; kw++, o += C) {
            const iw = ow * g.strideW + kw * g.dilationW - g.padLeft;
            if (ih < 0 || ih >= inH || iw < 0 || iw >= inW) {
              out.fill(0, o, o + C);
              continue;
            }
            const src = xBatch + (ih * inW + iw) * C;
            for (let c = 0; c < C; c++) out[o + c] = x[src + c]!;
          }
        }
      }
    }
  }
};

export const col2imKernel: Kernels["col2im"] = (cols, g, out) => {
  const { batch, inH, inW, channels: C, kernelH, kernelW, outH, outW } = g;
  const rowLength = kernelH * kernelW * C;
  out.fill(0);
  let r = 0;
  for (let n = 0; n < batch; n++) {
    const xBatch = n * inH * inW * C;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, r++) {
        let o = r * rowLength;
        for (let kh = 0; kh < kernelH; kh++) {
          const ih = oh * g.strideH + kh * g.dilationH - g.padTop;
          for (let kw = 0; kw < kernelW; kw++, o += C) {
            const iw = ow * g.strideW + kw * g.dilationW - g.padLeft;
            if (ih < 0 || ih >= inH || iw < 0 || iw >= inW) continue;
            const dst = xBatch + (ih * inW + iw) * C;
            for (let c = 0; c < C; c++) out[dst + c] = out[dst + c]! + cols[o + c]!;
          }
        }
      }
    }
  }
};
