// native/conv: the fused convolution drivers (see conv.h), ungrouped and depthwise. Both algorithms
// walk the flat output pixels r = (n, oh, ow) in blocks sized so one block's patch rows stay in L2:
//   forward   blocks split over the thread pool; each block is written once, epilogue included;
//   backward  whole images per part, 4 parts per thread claimed as threads become free (input-
//             gradient windows overlap only within an image), each part accumulating a private
//             kernel (and bias) gradient, summed at the end.
// GEMMs called from inside a pool task run on that thread alone (thread-pool.h).
#include <algorithm>
#include <cstring>
#include <vector>

#include "conv.h"
#include "cpu-features.h"
#include "gemm.h"
#include "parallel.h"
#include "thread-pool.h"

namespace tessera {
namespace isa_baseline {
#include "conv-direct.h"
}  // namespace isa_baseline

template <typename T>
const ConvDirect<T>& convDirectScalar() {
  return isa_baseline::DirectLoops<T, 16>::table();
}
template const ConvDirect<float>& convDirectScalar<float>();
template const ConvDirect<double>& convDirectScalar<double>();

namespace {

// Patch rows of one block take at most this much scratch (a share of L2; 48 to 768 KiB measured
// within noise of each other on the CNN bench's second layer, 384 KiB a little ahead).
constexpr i64 kBlockBytes = 384 * 1024;
// Output pixels per block of the direct forward loops (a multiple of their 4-pixel register block).
constexpr i64 kDirectBlockRows = 256;
// Below this many flops per thread a pass stays on fewer threads.
constexpr double kMinFlopsPerThread = 1.5e6;

template <typename T>
const ConvDirect<T>& directFor() {
#if TESSERA_X86
  const Isa isa = activeIsa();
  if (isa == Isa::Avx512) return convDirectAvx512<T>();
  if (isa == Isa::Avx2) return convDirectAvx2<T>();
#endif
  return convDirectScalar<T>();
}

/** Output pixels per block: patch rows of `rowLength` elements within kBlockBytes, a multiple of 16. */
template <typename T>
i64 blockRows(i64 rowLength) {
  const i64 rows = kBlockBytes / std::max<i64>(1, rowLength * static_cast<i64>(sizeof(T)));
  return std::max<i64>(16, std::min<i64>(4096, rows / 16 * 16));
}

thread_local AlignedBuffer patchBuffer;
thread_local AlignedBuffer dzBuffer;
thread_local AlignedBuffer productBuffer;
thread_local AlignedBuffer zeroBuffer;

template <typename T>
T* scratch(AlignedBuffer& buffer, i64 count) {
  return static_cast<T*>(buffer.reserve(sizeof(T) * static_cast<std::size_t>(std::max<i64>(count, 1))));
}

template <typename T>
const T* zerosOf(i64 count) {
  T* z = scratch<T>(zeroBuffer, count);
  std::fill(z, z + count, T(0));
  return z;
}

/** Patch rows r0..r1 of x into dst (rows x KH*KW*C), (kh, kw, c) order, padding taps 0. */
template <typename T>
void patchRows(const T* x, const WindowGeometry& g, i64 r0, i64 r1, T* dst) {
  const i64 C = g.channels, cells = g.outH * g.outW;
  const std::size_t bytes = sizeof(T) * static_cast<std::size_t>(C);
  i64 n = r0 / cells, oh = (r0 % cells) / g.outW, ow = r0 % g.outW - 1;  // stepped, not divided, per row
  for (i64 r = r0; r < r1; r++) {
    if (++ow == g.outW) {
      ow = 0;
      if (++oh == g.outH) {
        oh = 0;
        n++;
      }
    }
    for (i64 kh = 0; kh < g.kernelH; kh++) {
      const i64 ih = oh * g.strideH + kh * g.dilationH - g.padTop;
      const bool rowInside = ih >= 0 && ih < g.inH;
      for (i64 kw = 0; kw < g.kernelW; kw++, dst += C) {
        const i64 iw = ow * g.strideW + kw * g.dilationW - g.padLeft;
        if (!rowInside || iw < 0 || iw >= g.inW) std::fill(dst, dst + C, T(0));
        else if (C == 1) *dst = x[(n * g.inH + ih) * g.inW + iw];
        else std::memcpy(dst, x + ((n * g.inH + ih) * g.inW + iw) * C, bytes);
      }
    }
  }
}

/** The adjoint of patchRows: dx += the block's patch rows scattered back (padding taps dropped). */
template <typename T>
void scatterRows(const T* cols, const WindowGeometry& g, i64 r0, i64 r1, T* dx) {
  const i64 C = g.channels, cells = g.outH * g.outW;
  i64 n = r0 / cells, oh = (r0 % cells) / g.outW, ow = r0 % g.outW - 1;  // stepped, not divided, per row
  for (i64 r = r0; r < r1; r++) {
    if (++ow == g.outW) {
      ow = 0;
      if (++oh == g.outH) {
        oh = 0;
        n++;
      }
    }
    for (i64 kh = 0; kh < g.kernelH; kh++) {
      const i64 ih = oh * g.strideH + kh * g.dilationH - g.padTop;
      const bool rowInside = ih >= 0 && ih < g.inH;
      for (i64 kw = 0; kw < g.kernelW; kw++, cols += C) {
        const i64 iw = ow * g.strideW + kw * g.dilationW - g.padLeft;
        if (!rowInside || iw < 0 || iw >= g.inW) continue;
        T* __restrict d = dx + ((n * g.inH + ih) * g.inW + iw) * C;
        const T* __restrict c = cols;
        for (i64 k = 0; k < C; k++) d[k] += c[k];
      }
    }
  }
}

/** Threads worth using for `flops` of work split into `units` independent pieces. */
int threadsFor(double flops, i64 units) {
  const i64 byWork = static_cast<i64>(flops / kMinFlopsPerThread);
  return static_cast<int>(std::max<i64>(1, std::min<i64>({static_cast<i64>(numThreads()), byWork, units})));
}

template <typename T>
void forwardTyped(const T* x, const T* w, const T* bias, T* out, const ConvShape& s, ConvAlgorithm algorithm) {
  const WindowGeometry& g = s.g;
  const i64 F = s.filters, KC = g.kernelH * g.kernelW * (s.depthwise ? 1 : g.channels);
  const i64 R = g.batch * g.outH * g.outW;
  if (R == 0 || F == 0) return;
  if (s.depthwise) algorithm = ConvAlgorithm::Direct;
  // direct blocks need no scratch: small ones balance the threads better
  const i64 block = algorithm == ConvAlgorithm::Direct ? kDirectBlockRows : blockRows<T>(KC);
  const i64 blocks = (R + block - 1) / block;
  const int threads = threadsFor(2.0 * static_cast<double>(R) * static_cast<double>(KC * F), blocks);
  const auto run = [&](i64 b0, i64 b1) {
    for (i64 b = b0; b < b1; b++) {
      const i64 r0 = b * block, r1 = std::min(R, r0 + block), rows = r1 - r0;
      if (algorithm == ConvAlgorithm::Direct) {
        const ConvDirect<T>& direct = directFor<T>();
        (s.depthwise ? direct.depthwiseForward : direct.forward)(x, w, bias, out, s, r0, r1, zerosOf<T>(g.channels));
        if (s.activation == Activation::Sigmoid || s.activation == Activation::Tanh)
          epilogueGeneric<T>(out + r0 * F, F, static_cast<int>(rows), static_cast<int>(F), nullptr, s.activation);
        continue;
      }
      T* patches = scratch<T>(patchBuffer, rows * KC);
      patchRows(x, g, r0, r1, patches);
      gemm<T>(GemmProblem<T>{patches, w, out + r0 * F, 1, rows, F, KC, false, false, 0, 0, bias, s.activation});
    }
  };
  if (threads <= 1) run(0, blocks);
  else parallelChunks(blocks, std::max<i64>(1, blocks / threads), run, 1);
}

/** dz = dy * act'(y) through y, for `count` elements. */
template <typename T>
void activationGradient(const T* __restrict dy, const T* __restrict y, Activation activation, i64 count,
                        T* __restrict dz) {
  if (activation == Activation::Relu) {
    for (i64 i = 0; i < count; i++) {
      const T d = dy[i];  // loaded unconditionally, so the select vectorises (random signs mispredict)
      dz[i] = y[i] > T(0) ? d : T(0);
    }
  } else if (activation == Activation::Sigmoid) {
    for (i64 i = 0; i < count; i++) dz[i] = dy[i] * (y[i] * (T(1) - y[i]));
  } else {
    for (i64 i = 0; i < count; i++) dz[i] = dy[i] * (T(1) - y[i] * y[i]);
  }
}

template <typename T>
void backwardTyped(const T* x, const T* w, const T* y, const T* dy, T* dx, T* dw, T* dbias, const ConvShape& s,
                   ConvAlgorithm inputAlgorithm, ConvAlgorithm filterAlgorithm) {
  const WindowGeometry& g = s.g;
  const i64 F = s.filters, C = g.channels, K = g.kernelH * g.kernelW, KC = K * (s.depthwise ? 1 : C);
  const i64 cells = g.outH * g.outW, R = g.batch * cells, image = g.inH * g.inW * C;
  if (dx != nullptr) std::fill(dx, dx + g.batch * image, T(0));
  if (dw != nullptr) std::fill(dw, dw + KC * F, T(0));
  if (dbias != nullptr) std::fill(dbias, dbias + F, T(0));
  if (R == 0 || F == 0) return;
  const double flops = 2.0 * static_cast<double>(R) * static_cast<double>(KC * F) *
                       ((dx != nullptr ? 1.0 : 0.0) + (dw != nullptr ? 1.0 : 0.0));
  // more parts than threads, claimed as threads become free: a thread the OS deschedules (a
  // loaded machine) holds back a quarter of its share instead of all of it
  const int threads = threadsFor(flops, g.batch);
  const int parts = threads <= 1 ? 1 : static_cast<int>(std::min<i64>(g.batch, 4 * threads));
  std::vector<T> kernelPartials(dw != nullptr ? static_cast<std::size_t>(parts * KC * F) : 0, T(0));
  std::vector<T> biasPartials(dbias != nullptr ? static_cast<std::size_t>(parts * F) : 0, T(0));
  if (s.depthwise) inputAlgorithm = filterAlgorithm = ConvAlgorithm::Direct;
  std::vector<T> wt;  // w per tap as (F, C), for the direct input gradient
  if (dx != nullptr && inputAlgorithm == ConvAlgorithm::Direct && !s.depthwise) {
    wt.resize(static_cast<std::size_t>(KC * F));
    for (i64 t = 0; t < K; t++)
      for (i64 c = 0; c < C; c++)
        for (i64 f = 0; f < F; f++) wt[(t * F + f) * C + c] = w[(t * C + c) * F + f];
  }
  const i64 block = blockRows<T>(std::max(KC, F));
  const ConvDirect<T>& direct = directFor<T>();
  const bool vectorBias = F % direct.lanes == 0 && F <= direct.biasFilters;
  const auto body = [&](int part, int count) {
    const i64 n0 = g.batch * part / count, n1 = g.batch * (part + 1) / count;
    T* dwPart = dw != nullptr ? kernelPartials.data() + part * KC * F : nullptr;
    T* dbPart = dbias != nullptr ? biasPartials.data() + part * F : nullptr;
    const T* zeros = zerosOf<T>(std::max(C, F));
    for (i64 r0 = n0 * cells; r0 < n1 * cells; r0 += block) {
      const i64 r1 = std::min(n1 * cells, r0 + block), rows = r1 - r0;
      const T* dz = dy + r0 * F;
      if (s.activation == Activation::Relu && vectorBias) {
        // the relu mask and the bias sum in one vector pass (same values, same summation order)
        T* buffer = scratch<T>(dzBuffer, rows * F);
        direct.reluBias(dz, y + r0 * F, rows, F, buffer, dbPart);
        dz = buffer;
      } else {
        if (s.activation != Activation::None) {
          T* buffer = scratch<T>(dzBuffer, rows * F);
          activationGradient(dz, y + r0 * F, s.activation, rows * F, buffer);
          dz = buffer;
        }
        if (dbPart != nullptr && vectorBias) {
          direct.biasOnly(dz, rows, F, dbPart);
        } else if (dbPart != nullptr) {
          for (i64 r = 0; r < rows; r++)
            for (i64 f = 0; f < F; f++) dbPart[f] += dz[r * F + f];
        }
      }
      if (dwPart != nullptr) {
        if (s.depthwise) {
          direct.depthwiseFilter(x, dz, dwPart, s, r0, r1, zeros);
        } else if (filterAlgorithm == ConvAlgorithm::Direct) {
          direct.filter(x, dz, dwPart, s, r0, r1, zeros);
        } else {
          T* patches = scratch<T>(patchBuffer, rows * KC);
          T* product = scratch<T>(productBuffer, KC * F);
          patchRows(x, g, r0, r1, patches);
          gemm<T>(GemmProblem<T>{patches, dz, product, 1, KC, F, rows, true, false, 0, 0, nullptr, Activation::None});
          for (i64 i = 0; i < KC * F; i++) dwPart[i] += product[i];
        }
      }
      if (dx != nullptr) {
        if (s.depthwise) {
          direct.depthwiseInput(dz, w, dx, s, r0, r1);
        } else if (inputAlgorithm == ConvAlgorithm::Direct) {
          direct.input(dz, wt.data(), dx, s, r0, r1);
        } else {
          T* patches = scratch<T>(patchBuffer, rows * KC);
          gemm<T>(GemmProblem<T>{dz, w, patches, 1, rows, KC, F, false, true, 0, 0, nullptr, Activation::None});
          scatterRows(patches, g, r0, r1, dx);
        }
      }
    }
  };
  if (parts <= 1) body(0, 1);
  else parallelFor(parts, [&](int part) { body(part, parts); });
  for (int p = 0; p < parts; p++) {
    if (dw != nullptr)
      for (i64 i = 0; i < KC * F; i++) dw[i] += kernelPartials[p * KC * F + i];
    if (dbias != nullptr)
      for (i64 f = 0; f < F; f++) dbias[f] += biasPartials[p * F + f];
  }
}

template <typename T>
T* optional(const Array* a) {
  return a != nullptr ? a->as<T>() : nullptr;
}

}  // namespace

void convForwardKernel(const Array& x, const Array& w, const Array* bias, const Array& out, const ConvShape& s,
                       ConvAlgorithm algorithm) {
  if (x.dtype == DType::Float64)
    forwardTyped<double>(x.as<const double>(), w.as<const double>(), optional<const double>(bias), out.as<double>(), s,
                         algorithm);
  else
    forwardTyped<float>(x.as<const float>(), w.as<const float>(), optional<const float>(bias), out.as<float>(), s,
                        algorithm);
}

void convBackwardKernel(const Array& x, const Array& w, const Array& y, const Array& dy, const Array* dx,
                        const Array* dw, const Array* dbias, const ConvShape& s, ConvAlgorithm inputAlgorithm,
                        ConvAlgorithm filterAlgorithm) {
  if (x.dtype == DType::Float64)
    backwardTyped<double>(x.as<const double>(), w.as<const double>(), y.as<const double>(), dy.as<const double>(),
                          optional<double>(dx), optional<double>(dw), optional<double>(dbias), s, inputAlgorithm,
                          filterAlgorithm);
  else
    backwardTyped<float>(x.as<const float>(), w.as<const float>(), y.as<const float>(), dy.as<const float>(),
                         optional<float>(dx), optional<float>(dw), optional<float>(dbias), s, inputAlgorithm,
                         filterAlgorithm);
}

}  // namespace tessera
