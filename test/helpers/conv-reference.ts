// test/helpers/conv-reference: direct (no im2col, no GEMM) float64 loops for channels-last
// convolution, transposed convolution and pooling, written from the definitions so the ops can be
// checked against an independent computation. Padding amounts are passed in explicitly.

export interface Conv2dSpec {
  x: ArrayLike<number>;
  xShape: readonly [number, number, number, number]; // (N, H, W, C)
  w: ArrayLike<number>;
  wShape: readonly [number, number, number, number]; // (KH, KW, C / G, F)
  strides: readonly [number, number];
  dilation: readonly [number, number];
  pads: readonly [number, number]; // top, left
  out: readonly [number, number]; // OH, OW
}

/** out[n, oh, ow, f] = sum over kh, kw, j of x[n, oh*s + kh*d - pad, ..., g*Cg + j] * w[kh, kw, j, f], g = f / (F / G). */
export function directConv2d(spec: Conv2dSpec): number[] {
  const [N, H, W, C] = spec.xShape;
  const [KH, KW, Cg, F] = spec.wShape;
  const G = C / Cg;
  const Fg = F / G;
  const [OH, OW] = spec.out;
  const out: number[] = [];
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let f = 0; f < F; f++) {
          const group = Math.floor(f / Fg);
          let acc = 0;
          for (let kh = 0; kh < KH; kh++)
            for (let kw = 0; kw < KW; kw++) {
              const ih = oh * spec.strides[0] + kh * spec.dilation[0] - spec.pads[0];
              const iw = ow * spec.strides[1] + kw * spec.dilation[1] - spec.pads[1];
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              for (let j = 0; j < Cg; j++) {
                const c = group * Cg + j;
                acc += spec.x[((n * H + ih) * W + iw) * C + c]! * spec.w[((kh * KW + kw) * Cg + j) * F + f]!;
              }
            }
          out.push(acc);
        }
  return out;
}

/**
 * Transposed convolution by scattering: every input pixel adds x[n, h, w, c] * w[kh, kw, f, c] at
 * output (h*s + kh*d - pad, w*s + kw*d - pad); positions outside (OH, OW) are dropped.
 */
export function directConv2dTranspose(
  x: ArrayLike<number>,
  xShape: readonly [number, number, number, number],
  w: ArrayLike<number>,
  wShape: readonly [number, number, number, number], // (KH, KW, F, C)
  strides: readonly [number, number],
  dilation: readonly [number, number],
  pads: readonly [number, number],
  outSize: readonly [number, number],
): number[] {
  const [N, H, W, C] = xShape;
  const [KH, KW, F] = wShape;
  const [OH, OW] = outSize;
  const out = new Array<number>(N * OH * OW * F).fill(0);
  for (let n = 0; n < N; n++)
    for (let h = 0; h < H; h++)
      for (let wi = 0; wi < W; wi++)
        for (let kh = 0; kh < KH; kh++)
          for (let kw = 0; kw < KW; kw++) {
            const oh = h * strides[0] + kh * dilation[0] - pads[0];
            const ow = wi * strides[1] + kw * dilation[1] - pads[1];
            if (oh < 0 || oh >= OH || ow < 0 || ow >= OW) continue;
            for (let f = 0; f < F; f++)
              for (let c = 0; c < C; c++)
                out[((n * OH + oh) * OW + ow) * F + f]! +=
                  x[((n * H + h) * W + wi) * C + c]! * w[((kh * KW + kw) * F + f) * C + c]!;
          }
  return out;
}

/** Max or mean over (poolH, poolW) windows of x (N, H, W, C), skipping taps outside the input. */
export function directPool2d(
  kind: "max" | "avg",
  x: ArrayLike<number>,
  xShape: readonly [number, number, number, number],
  pool: readonly [number, number],
  strides: readonly [number, number],
  pads: readonly [number, number],
  outSize: readonly [number, number],
): number[] {
  const [N, H, W, C] = xShape;
  const out: number[] = [];
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < outSize[0]; oh++)
      for (let ow = 0; ow < outSize[1]; ow++)
        for (let c = 0; c < C; c++) {
          const values: number[] = [];
          for (let ph = 0; ph < pool[0]; ph++)
            for (let pw = 0; pw < pool[1]; pw++) {
              const ih = oh * strides[0] + ph - pads[0];
              const iw = ow * strides[1] + pw - pads[1];
              if (ih >= 0 && ih < H && iw >= 0 && iw < W) values.push(x[((n * H + ih) * W + iw) * C + c]!);
            }
          out.push(kind === "max" ? Math.max(...values) : values.reduce((a, b) => a + b, 0) / values.length);
        }
  return out;
}
