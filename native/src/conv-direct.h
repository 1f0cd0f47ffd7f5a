// native/conv-direct: the direct convolution loops, written once with GCC vector extensions and
// compiled per ISA: conv.cc (baseline, 16-byte vectors), conv-avx2.cc (32), conv-avx512.cc (64).
// Include it inside a per-ISA namespace (and target pragma) after conv.h, <algorithm>, <cstring>
// and <vector>. Filters (or channels, for the input gradient) are the vector axis; P output pixels
// share each kernel load. A tap outside the input reads from `zeros`, so no loop branches on padding.

#include "conv-direct-bias.h"

/** The direct loops for element type T and VB-byte vectors. */
template <typename T, int VB>
struct DirectLoops {
  typedef T V __attribute__((vector_size(VB)));
  static constexpr int L = VB / static_cast<int>(sizeof(T));  // lanes
  static constexpr int P = 4;                                  // output pixels per register block
  // 32 vector registers (AVX-512): blocks of 4 vectors of filters (16 accumulators) fit too
  static constexpr bool kWide = VB >= 64;

  static TESSERA_INLINE V load(const T* p) {
    V v;
    std::memcpy(&v, p, sizeof(V));
    return v;
  }
  static TESSERA_INLINE void store(T* p, V v) { std::memcpy(p, &v, sizeof(V)); }
  static TESSERA_INLINE V splat(T value) { return V{} + value; }

  /** Offsets in x of each tap's row from the window's top-left input row, (kh * KW + kw) order. */
  static std::vector<i64> tapOffsets(const WindowGeometry& g) {
    std::vector<i64> offsets(static_cast<std::size_t>(g.kernelH * g.kernelW));
    for (i64 kh = 0; kh < g.kernelH; kh++)
      for (i64 kw = 0; kw < g.kernelW; kw++)
        offsets[kh * g.kernelW + kw] = (kh * g.dilationH * g.inW + kw * g.dilationW) * g.channels;
    return offsets;
  }

  /**
   * Input rows of the P pixels from flat pixel r (those at or past r1 read zeros), per tap:
   * taps[t * P + p] is the C-long row of x under tap t of pixel r + p. A window wholly inside the
   * input takes its rows from `offsets` without a bounds check per tap.
   */
  static void gatherTaps(const T* x, const ConvShape& s, const i64* offsets, i64 r, i64 r1, const T* zeros,
                         const T** taps) {
    const WindowGeometry& g = s.g;
    const i64 cells = g.outH * g.outW, C = g.channels, K = g.kernelH * g.kernelW;
    const i64 spanH = (g.kernelH - 1) * g.dilationH, spanW = (g.kernelW - 1) * g.dilationW;
    i64 n = r / cells, oh = (r % cells) / g.outW, ow = r % g.outW;  // then stepped, not divided
    for (int p = 0; p < P; p++) {
      if (r + p >= r1) {
        for (i64 t = 0; t < K; t++) taps[t * P + p] = zeros;
        continue;
      }
      const i64 ih0 = oh * g.strideH - g.padTop, iw0 = ow * g.strideW - g.padLeft;
      if (ih0 >= 0 && ih0 + spanH < g.inH && iw0 >= 0 && iw0 + spanW < g.inW) {
        const T* base = x + ((n * g.inH + ih0) * g.inW + iw0) * C;
        for (i64 t = 0; t < K; t++) taps[t * P + p] = base + offsets[t];
      } else {
        for (i64 kh = 0; kh < g.kernelH; kh++) {
          const i64 ih = ih0 + kh * g.dilationH;
          for (i64 kw = 0; kw < g.kernelW; kw++) {
            const i64 iw = iw0 + kw * g.dilationW;
            const bool inside = ih >= 0 && ih < g.inH && iw >= 0 && iw < g.inW;
            taps[(kh * g.kernelW + kw) * P + p] = inside ? x + ((n * g.inH + ih) * g.inW + iw) * C : zeros;
          }
        }
      }
      if (++ow == g.outW) {
        ow = 0;
        if (++oh == g.outH) {
          oh = 0;
          n++;
        }
      }
    }
  }

  /** NV vectors of filters from f0 for the P pixels of `taps`, stored to rows r..r+np of out. */
  template <int NV>
  static TESSERA_INLINE void forwardBlock(const T* w, const T* bias, T* out, i64 C, i64 F, i64 K, const T** taps,
                                          i64 f0, int np, bool relu) {
    V acc[P][NV];
    for (int v = 0; v < NV; v++) {
      const V b = bias != nullptr ? load(bias + f0 + v * L) : V{};
      for (int p = 0; p < P; p++) acc[p][v] = b;
    }
    for (i64 t = 0; t < K; t++) {
      const T* wt = w + t * C * F + f0;
      const T* const* xt = taps + t * P;
      for (i64 c = 0; c < C; c++) {
        V wv[NV];
        for (int v = 0; v < NV; v++) wv[v] = load(wt + c * F + v * L);
        for (int p = 0; p < P; p++) {
          const V xs = splat(xt[p][c]);
          for (int v = 0; v < NV; v++) acc[p][v] += xs * wv[v];
        }
      }
    }
    for (int p = 0; p < np; p++) {
      for (int v = 0; v < NV; v++) {
        if (relu) acc[p][v] = acc[p][v] > V{} ? acc[p][v] : V{};
        store(out + p * F + f0 + v * L, acc[p][v]);
      }
    }
  }

  /** Output pixels per register block of forwardOneChannel3x3 (with its 9 x NV resident kernel vectors). */
  static constexpr int kRowPixels = 6;

  /** PP pixels from p0 of one output row (taps read from three input rows), NV vectors of filters. */
  template <int NV, int PP>
  static TESSERA_INLINE void oneChannelPixels(const T* const* rows, i64 p0, const V (&wv)[9][NV], const V (&b)[NV],
                                              T* o, i64 F, bool relu) {
    V acc[PP][NV];
    for (int p = 0; p < PP; p++)
      for (int v = 0; v < NV; v++) acc[p][v] = b[v];
    for (int kh = 0; kh < 3; kh++)
      for (int kw = 0; kw < 3; kw++)
        for (int p = 0; p < PP; p++) {
          const V xs = splat(rows[kh][p0 + p + kw]);
          for (int v = 0; v < NV; v++) acc[p][v] += xs * wv[kh * 3 + kw][v];
        }
    for (int p = 0; p < PP; p++)
      for (int v = 0; v < NV; v++) {
        V a = acc[p][v];
        if (relu) a = a > V{} ? a : V{};
        store(o + p * F + v * L, a);
      }
  }

  /**
   * The forward pass of a 3x3 stride-1 layer over one input channel whose windows all lie inside the
   * input (a network's first layer, "valid" padding): the 9 taps of NV vectors of filters from f0
   * stay in registers, and the pixels of an output row read their taps straight from three input
   * rows, where the general loop gathers 9 tap pointers per pixel and reloads the kernel every P
   * pixels. The same sums in the same order (bias, then taps (kh, kw)), relu applied here.
   */
  template <int NV>
  static void forwardOneChannel3x3(const T* x, const T* w, const T* bias, T* out, const ConvShape& s, i64 r0, i64 r1,
                                   i64 f0) {
    const WindowGeometry& g = s.g;
    const i64 F = s.filters, cells = g.outH * g.outW;
    const bool relu = s.activation == Activation::Relu;
    V wv[9][NV];
    V b[NV];
    for (int t = 0; t < 9; t++)
      for (int v = 0; v < NV; v++) wv[t][v] = load(w + t * F + f0 + v * L);
    for (int v = 0; v < NV; v++) b[v] = bias != nullptr ? load(bias + f0 + v * L) : V{};
    for (i64 r = r0; r < r1;) {
      const i64 n = r / cells, oh = (r % cells) / g.outW, ow0 = r % g.outW;
      const i64 run = std::min(r1 - r, g.outW - ow0);  // pixels left in this output row
      const T* top = x + (n * g.inH + oh) * g.inW + ow0;
      const T* rows[3] = {top, top + g.inW, top + 2 * g.inW};
      T* o = out + r * F + f0;
      i64 p0 = 0;
      for (; p0 + kRowPixels <= run; p0 += kRowPixels)
        oneChannelPixels<NV, kRowPixels>(rows, p0, wv, b, o + p0 * F, F, relu);
      for (; p0 < run; p0++) oneChannelPixels<NV, 1>(rows, p0, wv, b, o + p0 * F, F, relu);
      r += run;
    }
  }

  /** True for the shapes forwardOneChannel3x3 takes. */
  static bool oneChannel3x3Inside(const ConvShape& s) {
    const WindowGeometry& g = s.g;
    return g.channels == 1 && g.kernelH == 3 && g.kernelW == 3 && g.strideH == 1 && g.strideW == 1 &&
           g.dilationH == 1 && g.dilationW == 1 && g.padTop == 0 && g.padLeft == 0 && g.outH + 2 <= g.inH &&
           g.outW + 2 <= g.inW && s.filters % L == 0;
  }

  /** Sigmoid and tanh are left to the caller; relu is applied here. */
  static void forward(const T* x, const T* w, const T* bias, T* out, const ConvShape& s, i64 r0, i64 r1,
                      const T* zeros) {
    const WindowGeometry& g = s.g;
    const i64 C = g.channels, F = s.filters, K = g.kernelH * g.kernelW;
    const bool relu = s.activation == Activation::Relu;
    if (oneChannel3x3Inside(s)) {
      i64 f0 = 0;
      for (; f0 + kResidentVectors * L <= F; f0 += kResidentVectors * L)
        forwardOneChannel3x3<kResidentVectors>(x, w, bias, out, s, r0, r1, f0);
      for (; f0 < F; f0 += L) forwardOneChannel3x3<1>(x, w, bias, out, s, r0, r1, f0);
      return;
    }
    std::vector<const T*> taps(static_cast<std::size_t>(K * P));
    const std::vector<i64> offsets = tapOffsets(g);
    for (i64 r = r0; r < r1; r += P) {
      const int np = static_cast<int>(std::min<i64>(P, r1 - r));
      gatherTaps(x, s, offsets.data(), r, r1, zeros, taps.data());
      T* o = out + r * F;
      i64 f0 = 0;
      if constexpr (kWide)
        for (; f0 + 4 * L <= F; f0 += 4 * L) forwardBlock<4>(w, bias, o, C, F, K, taps.data(), f0, np, relu);
      for (; f0 + 2 * L <= F; f0 += 2 * L) forwardBlock<2>(w, bias, o, C, F, K, taps.data(), f0, np, relu);
      for (; f0 + L <= F; f0 += L) forwardBlock<1>(w, bias, o, C, F, K, taps.data(), f0, np, relu);
      for (; f0 < F; f0++) {
        for (int p = 0; p < np; p++) {
          T sum = bias != nullptr ? bias[f0] : T(0);
          for (i64 t = 0; t < K; t++)
            for (i64 c = 0; c < C; c++) sum += taps[t * P + p][c] * w[(t * C + c) * F + f0];
          o[p * F + f0] = relu ? (sum > T(0) ? sum : T(0)) : sum;
        }
      }
    }
  }

  /** dw rows (t, c), NV vectors of filters from f0, += the P pixels' products. */
  template <int NV>
  static TESSERA_INLINE void filterBlock(const T* dz, T* dw, i64 C, i64 F, i64 K, const T** taps, i64 f0, int np) {
    V d[P][NV];
    for (int p = 0; p < P; p++)
      for (int v = 0; v < NV; v++) d[p][v] = p < np ? load(dz + p * F + f0 + v * L) : V{};
    for (i64 t = 0; t < K; t++) {
      const T* const* xt = taps + t * P;
      for (i64 c = 0; c < C; c++) {
        T* row = dw + (t * C + c) * F + f0;
        V acc[NV];
        for (int v = 0; v < NV; v++) acc[v] = load(row + v * L);
        for (int p = 0; p < P; p++) {
          const V xs = splat(xt[p][c]);
          for (int v = 0; v < NV; v++) acc[v] += xs * d[p][v];
        }
        for (int v = 0; v < NV; v++) store(row + v * L, acc[v]);
      }
    }
  }

  /** Vectors of filters the resident path holds per tap: 9 taps x NV accumulators fit the registers. */
  static constexpr int kResidentVectors = kWide ? 2 : 1;

  /**
   * The kernel gradient of a 3x3 layer over one input channel (a network's first layer): its 9 rows
   * of dw for kResidentVectors vectors of filters from f0 stay in registers over every pixel of
   * r0..r1 and are added to dw once, where the general loop loads and stores them every P pixels.
   */
  static void filterOneChannel3x3(const T* x, const T* dz, T* dw, const ConvShape& s, i64 r0, i64 r1,
                                  const T* zeros, const i64* offsets, const T** taps, i64 f0) {
    constexpr int NV = kResidentVectors;
    constexpr int K = 9;
    const i64 F = s.filters;
    V acc[K][NV];
    for (int t = 0; t < K; t++)
      for (int v = 0; v < NV; v++) acc[t][v] = V{};
    for (i64 r = r0; r < r1; r += P) {
      const int np = static_cast<int>(std::min<i64>(P, r1 - r));
      gatherTaps(x, s, offsets, r, r1, zeros, taps);
      const T* d = dz + (r - r0) * F + f0;
      for (int p = 0; p < np; p++) {
        V dv[NV];
        for (int v = 0; v < NV; v++) dv[v] = load(d + p * F + v * L);
        for (int t = 0; t < K; t++) {
          const V xs = splat(taps[t * P + p][0]);
          for (int v = 0; v < NV; v++) acc[t][v] += xs * dv[v];
        }
      }
    }
    for (int t = 0; t < K; t++)
      for (int v = 0; v < NV; v++) store(dw + t * F + f0 + v * L, load(dw + t * F + f0 + v * L) + acc[t][v]);
  }

  static void filter(const T* x, const T* dz, T* dw, const ConvShape& s, i64 r0, i64 r1, const T* zeros) {
    const WindowGeometry& g = s.g;
    const i64 C = g.channels, F = s.filters, K = g.kernelH * g.kernelW;
    std::vector<const T*> taps(static_cast<std::size_t>(K * P));
    const std::vector<i64> offsets = tapOffsets(g);
    if (C == 1 && K == 9 && F % (kResidentVectors * L) == 0) {
      for (i64 f0 = 0; f0 < F; f0 += kResidentVectors * L)
        filterOneChannel3x3(x, dz, dw, s, r0, r1, zeros, offsets.data(), taps.data(), f0);
      return;
    }
    for (i64 r = r0; r < r1; r += P) {
      const int np = static_cast<int>(std::min<i64>(P, r1 - r));
      gatherTaps(x, s, offsets.data(), r, r1, zeros, taps.data());
      const T* d = dz + (r - r0) * F;
      i64 f0 = 0;
      if constexpr (kWide)
        for (; f0 + 4 * L <= F; f0 += 4 * L) filterBlock<4>(d, dw, C, F, K, taps.data(), f0, np);
      for (; f0 + 2 * L <= F; f0 += 2 * L) filterBlock<2>(d, dw, C, F, K, taps.data(), f0, np);
      for (; f0 + L <= F; f0 += L) filterBlock<1>(d, dw, C, F, K, taps.data(), f0, np);
      for (; f0 < F; f0++) {
        for (i64 t = 0; t < K; t++)
          for (i64 c = 0; c < C; c++) {
            T sum = dw[(t * C + c) * F + f0];
            for (int p = 0; p < np; p++) sum += taps[t * P + p][c] * d[p * F + f0];
            dw[(t * C + c) * F + f0] = sum;
          }
      }
    }
  }

  /** dx row += dz row @ wt[t] (F x C), NV vectors of channels from c0; 4 chains over f hide the FMA latency. */
  template <int NV>
  static TESSERA_INLINE void inputBlock(const T* dz, const T* wt, T* dxRow, i64 C, i64 F, i64 c0) {
    V acc[4][NV] = {};
    i64 f = 0;
    for (; f + 4 <= F; f += 4) {
      for (int u = 0; u < 4; u++) {
        const V d = splat(dz[f + u]);
        for (int v = 0; v < NV; v++) acc[u][v] += d * load(wt + (f + u) * C + c0 + v * L);
      }
    }
    for (; f < F; f++) {
      const V d = splat(dz[f]);
      for (int v = 0; v < NV; v++) acc[0][v] += d * load(wt + f * C + c0 + v * L);
    }
    for (int v = 0; v < NV; v++)
      store(dxRow + c0 + v * L, load(dxRow + c0 + v * L) + ((acc[0][v] + acc[1][v]) + (acc[2][v] + acc[3][v])));
  }

  static void input(const T* dz, const T* wt, T* dx, const ConvShape& s, i64 r0, i64 r1) {
    const WindowGeometry& g = s.g;
    const i64 C = g.channels, F = s.filters, cells = g.outH * g.outW;
    i64 n = r0 / cells, oh = (r0 % cells) / g.outW, ow = r0 % g.outW - 1;
    for (i64 r = r0; r < r1; r++) {
      if (++ow == g.outW) {
        ow = 0;
        if (++oh == g.outH) {
          oh = 0;
          n++;
        }
      }
      const T* d = dz + (r - r0) * F;
      for (i64 kh = 0; kh < g.kernelH; kh++) {
        const i64 ih = oh * g.strideH + kh * g.dilationH - g.padTop;
        if (ih < 0 || ih >= g.inH) continue;
        for (i64 kw = 0; kw < g.kernelW; kw++) {
          const i64 iw = ow * g.strideW + kw * g.dilationW - g.padLeft;
          if (iw < 0 || iw >= g.inW) continue;
          T* row = dx + ((n * g.inH + ih) * g.inW + iw) * C;
          const T* wtt = wt + (kh * g.kernelW + kw) * F * C;
          i64 c0 = 0;
          for (; c0 + 2 * L <= C; c0 += 2 * L) inputBlock<2>(d, wtt, row, C, F, c0);
          for (; c0 + L <= C; c0 += L) inputBlock<1>(d, wtt, row, C, F, c0);
          for (; c0 < C; c0++) {
            T sum = row[c0];
            for (i64 f = 0; f < F; f++) sum += d[f] * wtt[f * C + c0];
            row[c0] = sum;
          }
        }
      }
    }
  }

  // Depthwise: output channel f = c * M + m reads input channel c only, kernel (K, F). With M = 1
  // the channels are the vector axis on both sides; other multipliers take the scalar loops.

  /** Depthwise out rows r0..r1 = sum over taps + bias, relu applied (not sigmoid/tanh). */
  static void depthwiseForward(const T* x, const T* w, const T* bias, T* out, const ConvShape& s, i64 r0, i64 r1,
                               const T* zeros) {
    const WindowGeometry& g = s.g;
    const i64 F = s.filters, K = g.kernelH * g.kernelW, M = F / g.channels;
    const bool relu = s.activation == Activation::Relu;
    std::vector<const T*> taps(static_cast<std::size_t>(K * P));
    const std::vector<i64> offsets = tapOffsets(g);
    for (i64 r = r0; r < r1; r += P) {
      const int np = static_cast<int>(std::min<i64>(P, r1 - r));
      gatherTaps(x, s, offsets.data(), r, r1, zeros, taps.data());
      T* o = out + r * F;
      i64 f0 = 0;
      for (; M == 1 && f0 + L <= F; f0 += L) {
        V acc[P];
        const V b = bias != nullptr ? load(bias + f0) : V{};
        for (int p = 0; p < P; p++) acc[p] = b;
        for (i64 t = 0; t < K; t++) {
          const V wv = load(w + t * F + f0);
          for (int p = 0; p < P; p++) acc[p] += load(taps[t * P + p] + f0) * wv;
        }
        for (int p = 0; p < np; p++) {
          if (relu) acc[p] = acc[p] > V{} ? acc[p] : V{};
          store(o + p * F + f0, acc[p]);
        }
      }
      for (; f0 < F; f0++) {
        const i64 c = f0 / M;
        for (int p = 0; p < np; p++) {
          T sum = bias != nullptr ? bias[f0] : T(0);
          for (i64 t = 0; t < K; t++) sum += taps[t * P + p][c] * w[t * F + f0];
          o[p * F + f0] = relu ? (sum > T(0) ? sum : T(0)) : sum;
        }
      }
    }
  }

  /** Depthwise dw (K, F) += the rows' taps times dz, dz holding rows r0..r1. */
  static void depthwiseFilter(const T* x, const T* dz, T* dw, const ConvShape& s, i64 r0, i64 r1, const T* zeros) {
    const WindowGeometry& g = s.g;
    const i64 F = s.filters, K = g.kernelH * g.kernelW, M = F / g.channels;
    std::vector<const T*> taps(static_cast<std::size_t>(K * P));
    const std::vector<i64> offsets = tapOffsets(g);
    for (i64 r = r0; r < r1; r += P) {
      const int np = static_cast<int>(std::min<i64>(P, r1 - r));
      gatherTaps(x, s, offsets.data(), r, r1, zeros, taps.data());
      const T* d = dz + (r - r0) * F;
      i64 f0 = 0;
      for (; M == 1 && f0 + L <= F; f0 += L) {
        V dv[P];
        for (int p = 0; p < P; p++) dv[p] = p < np ? load(d + p * F + f0) : V{};
        for (i64 t = 0; t < K; t++) {
          V acc = load(dw + t * F + f0);
          for (int p = 0; p < P; p++) acc += load(taps[t * P + p] + f0) * dv[p];
          store(dw + t * F + f0, acc);
        }
      }
      for (; f0 < F; f0++) {
        const i64 c = f0 / M;
        for (i64 t = 0; t < K; t++) {
          T sum = dw[t * F + f0];
          for (int p = 0; p < np; p++) sum += taps[t * P + p][c] * d[p * F + f0];
          dw[t * F + f0] = sum;
        }
      }
    }
  }

  /** Depthwise dx += each row's dz times the kernel, scattered to its taps (rows r0..r1). */
  static void depthwiseInput(const T* dz, const T* w, T* dx, const ConvShape& s, i64 r0, i64 r1) {
    const WindowGeometry& g = s.g;
    const i64 C = g.channels, F = s.filters, M = F / C, cells = g.outH * g.outW;
    i64 n = r0 / cells, oh = (r0 % cells) / g.outW, ow = r0 % g.outW - 1;
    for (i64 r = r0; r < r1; r++) {
      if (++ow == g.outW) {
        ow = 0;
        if (++oh == g.outH) {
          oh = 0;
          n++;
        }
      }
      const T* d = dz + (r - r0) * F;
      for (i64 kh = 0; kh < g.kernelH; kh++) {
        const i64 ih = oh * g.strideH + kh * g.dilationH - g.padTop;
        if (ih < 0 || ih >= g.inH) continue;
        for (i64 kw = 0; kw < g.kernelW; kw++) {
          const i64 iw = ow * g.strideW + kw * g.dilationW - g.padLeft;
          if (iw < 0 || iw >= g.inW) continue;
          T* row = dx + ((n * g.inH + ih) * g.inW + iw) * C;
          const T* wt = w + (kh * g.kernelW + kw) * F;
          i64 f0 = 0;
          for (; M == 1 && f0 + L <= F; f0 += L) store(row + f0, load(row + f0) + load(d + f0) * load(wt + f0));
          for (; f0 < F; f0++) row[f0 / M] += d[f0] * wt[f0];
        }
      }
    }
  }

  static const ConvDirect<T>& table() {
    typedef BiasLoops<T, VB> B;
    static const ConvDirect<T> t{&forward,         &filter,          &input,      &depthwiseForward, &depthwiseFilter,
                                 &depthwiseInput,  &B::reluBias,     &B::biasOnly, L,                B::kBiasVectors * L};
    return t;
  }
};
