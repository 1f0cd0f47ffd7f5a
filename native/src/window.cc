// native/window: the window kernels. Forward kernels split the output rows (n, oh) over the thread
// pool; the scatter-adds (col2im and both pooling adjoints) split by image, since windows of one
// image may overlap but never reach another image. Channels are innermost, so every tap is a
// contiguous run of C values.
#include "window.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "cpu-features.h"
#include "parallel.h"

namespace tessera {
namespace isa_baseline {
#include "window-tiles.h"
}  // namespace isa_baseline

namespace {

constexpr i64 kMinPerThread = 1 << 14;

const TiledPoolIsa& activeTiledPool() {
#if TESSERA_X86
  switch (activeIsa()) {
    case Isa::Avx512: return tiledPoolAvx512();
    case Isa::Avx2: return tiledPoolAvx2();
    case Isa::Scalar: break;
  }
#endif
  return isa_baseline::tiledPoolTable();
}

/** First and one-past-last kernel tap of output cell o whose input index lies in [0, size). */
TESSERA_INLINE void insideTaps(i64 o, i64 stride, i64 pad, i64 kernel, i64 size, i64* t0, i64* t1) {
  const i64 start = o * stride - pad;
  *t0 = std::max<i64>(0, -start);
  *t1 = std::min<i64>(kernel, size - start);
}

template <typename T>
void im2colTyped(const T* x, const WindowGeometry& g, T* out) {
  const i64 C = g.channels, rowLength = g.kernelH * g.kernelW * C;
  const i64 units = g.batch * g.outH;
  parallelChunks(units, std::max<i64>(1, kMinPerThread / std::max<i64>(g.outW * rowLength, 1)), [&](i64 u0, i64 u1) {
    for (i64 u = u0; u < u1; u++) {
      const i64 n = u / g.outH, oh = u % g.outH;
      const T* xImage = x + n * g.inH * g.inW * C;
      T* o = out + u * g.outW * rowLength;
      for (i64 ow = 0; ow < g.outW; ow++) {
        for (i64 kh = 0; kh < g.kernelH; kh++) {
          const i64 ih = oh * g.strideH + kh * g.dilationH - g.padTop;
          const bool rowInside = ih >= 0 && ih < g.inH;
          for (i64 kw = 0; kw < g.kernelW; kw++, o += C) {
            const i64 iw = ow * g.strideW + kw * g.dilationW - g.padLeft;
            if (!rowInside || iw < 0 || iw >= g.inW) {
              std::memset(o, 0, sizeof(T) * static_cast<std::size_t>(C));
              continue;
            }
            const T* src = xImage + (ih * g.inW + iw) * C;
            if (C == 1) *o = *src;
            else std::memcpy(o, src, sizeof(T) * static_cast<std::size_t>(C));
          }
        }
      }
    }
  }, 1);
}

template <typename T>
void col2imTyped(const T* cols, const WindowGeometry& g, T* out) {
  const i64 C = g.channels, rowLength = g.kernelH * g.kernelW * C, image = g.inH * g.inW * C;
  const i64 perImage = std::max<i64>(1, g.outH * g.outW * rowLength);
  parallelChunks(g.batch, std::max<i64>(1, kMinPerThread / perImage), [&](i64 n0, i64 n1) {
    for (i64 n = n0; n < n1; n++) {
      T* xImage = out + n * image;
      std::fill(xImage, xImage + image, T(0));
      const T* c = cols + n * g.outH * g.outW * rowLength;
      for (i64 oh = 0; oh < g.outH; oh++) {
        for (i64 ow = 0; ow < g.outW; ow++) {
          for (i64 kh = 0; kh < g.kernelH; kh++) {
            const i64 ih = oh * g.strideH + kh * g.dilationH - g.padTop;
            const bool rowInside = ih >= 0 && ih < g.inH;
            for (i64 kw = 0; kw < g.kernelW; kw++, c += C) {
              const i64 iw = ow * g.strideW + kw * g.dilationW - g.padLeft;
              if (!rowInside || iw < 0 || iw >= g.inW) continue;
              T* dst = xImage + (ih * g.inW + iw) * C;
              for (i64 k = 0; k < C; k++) dst[k] += c[k];
            }
          }
        }
      }
    }
  }, 1);
}

/** For output row u = (n, oh): per cell begin(outOffset, taps), visit(outOffset, inOffset) per inside tap, end(outOffset, taps). */
template <typename Begin, typename Visit, typename End>
TESSERA_INLINE void forEachTap(const WindowGeometry& g, i64 u, Begin&& begin, Visit&& visit, End&& end) {
  const i64 C = g.channels;
  const i64 n = u / g.outH, oh = u % g.outH;
  i64 h0, h1;
  insideTaps(oh, g.strideH, g.padTop, g.kernelH, g.inH, &h0, &h1);
  for (i64 ow = 0; ow < g.outW; ow++) {
    i64 w0, w1;
    insideTaps(ow, g.strideW, g.padLeft, g.kernelW, g.inW, &w0, &w1);
    const i64 o = (u * g.outW + ow) * C;
    const i64 count = std::max<i64>(h1 - h0, 0) * std::max<i64>(w1 - w0, 0);
    begin(o, count);
    for (i64 kh = h0; kh < h1; kh++) {
      const i64 row = (n * g.inH + oh * g.strideH + kh - g.padTop) * g.inW;
      for (i64 kw = w0; kw < w1; kw++) visit(o, (row + ow * g.strideW + kw - g.padLeft) * C);
    }
    end(o, count);
  }
}

/** Windows that tile the input without overlap or padding: stride = kernel, every tap inside. */
bool tilesWithoutOverlap(const WindowGeometry& g) {
  return g.strideH == g.kernelH && g.strideW == g.kernelW && g.dilationH == 1 && g.dilationW == 1 && g.padTop == 0 &&
         g.padLeft == 0 && g.outH * g.kernelH <= g.inH && g.outW * g.kernelW <= g.inW;
}

/** 2x2 windows, stride 2, all inside: rows split over the pool, the active ISA's loops. */
template <typename T>
void maxPool2x2(const T* x, const WindowGeometry& g, T* out, std::int32_t* argmax) {
  const TiledPoolIsa& isa = activeTiledPool();
  void (*const rows)(const T*, const WindowGeometry&, T*, std::int32_t*, i64, i64) = [&isa]() {
    if constexpr (std::is_same_v<T, float>) return isa.maxPoolRowsF32;
    else return isa.maxPoolRowsF64;
  }();
  parallelChunks(g.batch * g.outH, std::max<i64>(1, kMinPerThread / std::max<i64>(1, 4 * g.outW * g.channels)),
                 [&](i64 u0, i64 u1) { rows(x, g, out, argmax, u0, u1); }, 1);
}

template <typename T>
void maxPoolTyped(const T* x, const WindowGeometry& g, T* out, std::int32_t* argmax) {
  const i64 C = g.channels;
  if (g.kernelH == 2 && g.kernelW == 2 && tilesWithoutOverlap(g)) return maxPool2x2(x, g, out, argmax);
  const i64 perUnit = std::max<i64>(1, g.outW * g.kernelH * g.kernelW * C);
  parallelChunks(g.batch * g.outH, std::max<i64>(1, kMinPerThread / perUnit), [&](i64 u0, i64 u1) {
    for (i64 u = u0; u < u1; u++) {
      bool first = true;
      forEachTap(
          g, u,
          [&](i64 o, i64 count) {
            first = true;
            if (count == 0) {
              std::fill(out + o, out + o + C, -std::numeric_limits<T>::infinity());
              std::fill(argmax + o, argmax + o + C, -1);
            }
          },
          [&](i64 o, i64 i) {
            T* __restrict best = out + o;
            std::int32_t* __restrict at = argmax + o;
            const T* __restrict v = x + i;
            const std::int32_t base = static_cast<std::int32_t>(i);
            if (first) {
              for (i64 c = 0; c < C; c++) {
                best[c] = v[c];
                at[c] = base + static_cast<std::int32_t>(c);
              }
              first = false;
              return;
            }
            // branchless (random data mispredicts): the first maximum wins ties; a NaN wins and stays
            for (i64 c = 0; c < C; c++) {
              const T value = v[c], current = best[c];
              const bool take = (value > current) | ((value != value) & (current == current));
              best[c] = take ? value : current;
              at[c] = take ? base + static_cast<std::int32_t>(c) : at[c];
            }
          },
          [](i64, i64) {});
    }
  }, 1);
}

/** out = 0, then out[argmax[i]] += dy[i], for the cells of image n. */
template <typename T>
void scatterImage(const T* dy, const std::int32_t* argmax, i64 n, i64 image, i64 cells, T* out) {
  std::fill(out + n * image, out + (n + 1) * image, T(0));
  for (i64 i = n * cells; i < (n + 1) * cells; i++)
    if (argmax[i] >= 0) out[argmax[i]] += dy[i];
}

template <typename T>
void maxPoolBackwardTyped(const T* dy, const std::int32_t* argmax, const WindowGeometry& g, T* out) {
  const i64 image = g.inH * g.inW * g.channels, cells = g.outH * g.outW * g.channels;
  const bool tiles = tilesWithoutOverlap(g);
  const TiledPoolIsa& isa = activeTiledPool();
  bool (*const gatherImage)(const T*, const std::int32_t*, const WindowGeometry&, i64, T*) = [&isa]() {
    if constexpr (std::is_same_v<T, float>) return isa.gatherImageF32;
    else return isa.gatherImageF64;
  }();
  parallelChunks(g.batch, std::max<i64>(1, kMinPerThread / std::max<i64>(cells, 1)), [&](i64 n0, i64 n1) {
    for (i64 n = n0; n < n1; n++)
      if (!tiles || !gatherImage(dy, argmax, g, n, out)) scatterImage(dy, argmax, n, image, cells, out);
  }, 1);
}

template <typename T>
void avgPoolTyped(const T* x, const WindowGeometry& g, T* out) {
  const i64 C = g.channels;
  const i64 perUnit = std::max<i64>(1, g.outW * g.kernelH * g.kernelW * C);
  parallelChunks(g.batch * g.outH, std::max<i64>(1, kMinPerThread / perUnit), [&](i64 u0, i64 u1) {
    std::vector<double> total(static_cast<std::size_t>(C));
    for (i64 u = u0; u < u1; u++) {
      forEachTap(
          g, u, [&](i64, i64) { std::fill(total.begin(), total.end(), 0.0); },
          [&](i64, i64 i) {
            for (i64 c = 0; c < C; c++) total[c] += static_cast<double>(x[i + c]);
          },
          [&](i64 o, i64 count) {
            for (i64 c = 0; c < C; c++) out[o + c] = count > 0 ? static_cast<T>(total[c] / count) : T(0);
          });
    }
  }, 1);
}

template <typename T>
void avgPoolBackwardTyped(const T* dy, const WindowGeometry& g, T* out) {
  const i64 C = g.channels, image = g.inH * g.inW * C;
  const i64 perImage = std::max<i64>(1, g.outH * g.outW * g.kernelH * g.kernelW * C);
  parallelChunks(g.batch, std::max<i64>(1, kMinPerThread / perImage), [&](i64 n0, i64 n1) {
    for (i64 n = n0; n < n1; n++) {
      std::fill(out + n * image, out + (n + 1) * image, T(0));
      i64 taps = 1;
      for (i64 u = n * g.outH; u < (n + 1) * g.outH; u++) {
        forEachTap(
            g, u, [&](i64, i64 count) { taps = count; },
            [&](i64 o, i64 i) {
              for (i64 c = 0; c < C; c++) out[i + c] += dy[o + c] / static_cast<T>(taps);
            },
            [](i64, i64) {});
      }
    }
  }, 1);
}

template <typename F>
void withFloat(DType dtype, F&& f) {
  if (dtype == DType::Float64) f(double{});
  else f(float{});
}

}  // namespace

void im2colKernel(const Array& x, const WindowGeometry& g, const Array& out) {
  withFloat(x.dtype, [&](auto tag) {
    using T = decltype(tag);
    im2colTyped<T>(x.as<const T>(), g, out.as<T>());
  });
}

void col2imKernel(const Array& cols, const WindowGeometry& g, const Array& out) {
  withFloat(cols.dtype, [&](auto tag) {
    using T = decltype(tag);
    col2imTyped<T>(cols.as<const T>(), g, out.as<T>());
  });
}

void maxPoolKernel(const Array& x, const WindowGeometry& g, const Array& out, std::int32_t* argmax) {
  withFloat(x.dtype, [&](auto tag) {
    using T = decltype(tag);
    maxPoolTyped<T>(x.as<const T>(), g, out.as<T>(), argmax);
  });
}

void maxPoolBackwardKernel(const Array& dy, const std::int32_t* argmax, const WindowGeometry& g, const Array& out) {
  withFloat(dy.dtype, [&](auto tag) {
    using T = decltype(tag);
    maxPoolBackwardTyped<T>(dy.as<const T>(), argmax, g, out.as<T>());
  });
}

void avgPoolKernel(const Array& x, const WindowGeometry& g, const Array& out) {
  withFloat(x.dtype, [&](auto tag) {
    using T = decltype(tag);
    avgPoolTyped<T>(x.as<const T>(), g, out.as<T>());
  });
}

void avgPoolBackwardKernel(const Array& dy, const WindowGeometry& g, const Array& out) {
  withFloat(dy.dtype, [&](auto tag) {
    using T = decltype(tag);
    avgPoolBackwardTyped<T>(dy.as<const T>(), g, out.as<T>());
  });
}

}  // namespace tessera
