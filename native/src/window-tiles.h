// native/window-tiles: the loops of max pooling over windows that tile the input (stride = kernel,
// no padding), written once and compiled per ISA: window.cc (baseline), window-avx2.cc and
// window-avx512.cc include this inside their namespace (after window.h and <algorithm>). Plain
// loops over the channels, which the compiler vectorises at the including file's width.

/** 2x2 windows, stride 2, all inside, output rows u0..u1 (u = n * outH + oh): the four taps per channel in registers. */
template <typename T>
void maxPoolRows2x2(const T* x, const WindowGeometry& g, T* out, std::int32_t* argmax, i64 u0, i64 u1) {
  const i64 C = g.channels, rowStride = g.inW * C;
  for (i64 u = u0; u < u1; u++) {
    const i64 n = u / g.outH, oh = u % g.outH;
    for (i64 ow = 0; ow < g.outW; ow++) {
      const i64 i00 = ((n * g.inH + 2 * oh) * g.inW + 2 * ow) * C;
      const T* __restrict p0 = x + i00;
      const T* __restrict p1 = p0 + C;
      const T* __restrict p2 = p0 + rowStride;
      const T* __restrict p3 = p2 + C;
      const std::int32_t a0 = static_cast<std::int32_t>(i00), a1 = a0 + static_cast<std::int32_t>(C),
                         a2 = a0 + static_cast<std::int32_t>(rowStride), a3 = a2 + static_cast<std::int32_t>(C);
      T* __restrict best = out + (u * g.outW + ow) * C;
      std::int32_t* __restrict at = argmax + (u * g.outW + ow) * C;
      // taps in (kh, kw) order, the first maximum winning ties; a NaN anywhere in the cell sends
      // it through the exact rule below (a NaN wins and stays), which the vector loop cannot express
      int nan = 0;
      for (std::int32_t c = 0; c < static_cast<std::int32_t>(C); c++) {
        T b = p0[c];
        std::int32_t a = a0 + c;
        const T v1 = p1[c], v2 = p2[c], v3 = p3[c];
        nan |= (b != b) | (v1 != v1) | (v2 != v2) | (v3 != v3);
        bool take = v1 > b;
        b = take ? v1 : b;
        a = take ? a1 + c : a;
        take = v2 > b;
        b = take ? v2 : b;
        a = take ? a2 + c : a;
        take = v3 > b;
        b = take ? v3 : b;
        a = take ? a3 + c : a;
        best[c] = b;
        at[c] = a;
      }
      if (nan == 0) continue;
      const T* taps[4] = {p0, p1, p2, p3};
      const std::int32_t bases[4] = {a0, a1, a2, a3};
      for (std::int32_t c = 0; c < static_cast<std::int32_t>(C); c++) {
        best[c] = p0[c];
        at[c] = a0 + c;
        for (int t = 1; t < 4; t++) {
          const T v = taps[t][c], current = best[c];
          if (v > current || (v != v && current == current)) {
            best[c] = v;
            at[c] = bases[t] + c;
          }
        }
      }
    }
  }
}

/**
 * Image n when the windows tile the input (tilesWithoutOverlap): every input element lies in at most
 * one window, so each tap is written once, out = (argmax == tap) ? dy : 0, with no zero-fill pass
 * over the covered part and no scatter. Returns false (writing nothing it needs) when some argmax
 * lies outside its own window (then it matches none of its taps), and the caller scatters.
 */
template <typename T>
bool gatherImage(const T* dy, const std::int32_t* argmax, const WindowGeometry& g, i64 n, T* out) {
  const i64 C = g.channels, rowStride = g.inW * C, coveredW = g.outW * g.kernelW * C;
  i64 matched = 0, expected = 0;
  for (i64 oh = 0; oh < g.outH; oh++) {
    for (i64 ow = 0; ow < g.outW; ow++) {
      const i64 o = ((n * g.outH + oh) * g.outW + ow) * C;
      const std::int32_t* __restrict at = argmax + o;
      const T* __restrict d = dy + o;
      std::int32_t valid = 0;
      for (std::int32_t c = 0; c < static_cast<std::int32_t>(C); c++) valid += at[c] != -1;
      expected += valid;
      for (i64 kh = 0; kh < g.kernelH; kh++) {
        for (i64 kw = 0; kw < g.kernelW; kw++) {
          const i64 tap = ((n * g.inH + oh * g.kernelH + kh) * g.inW + ow * g.kernelW + kw) * C;
          T* __restrict dst = out + tap;
          const std::int32_t base = static_cast<std::int32_t>(tap);
          std::int32_t hits = 0;
          for (std::int32_t c = 0; c < static_cast<std::int32_t>(C); c++) {
            const T value = d[c];  // loaded unconditionally, so the select vectorises
            const bool hit = at[c] == base + c;
            dst[c] = hit ? value : T(0);
            hits += hit;
          }
          matched += hits;
        }
      }
    }
  }
  if (matched != expected) return false;
  // the input the windows leave out: columns right of the last window, rows below the last one
  T* image = out + n * g.inH * rowStride;
  for (i64 ih = 0; ih < g.outH * g.kernelH; ih++)
    std::fill(image + ih * rowStride + coveredW, image + (ih + 1) * rowStride, T(0));
  std::fill(image + g.outH * g.kernelH * rowStride, image + g.inH * rowStride, T(0));
  return true;
}

/** The loops above for both element types, as a table. */
inline const TiledPoolIsa& tiledPoolTable() {
  static const TiledPoolIsa table{maxPoolRows2x2<float>, maxPoolRows2x2<double>, gatherImage<float>,
                                  gatherImage<double>};
  return table;
}
