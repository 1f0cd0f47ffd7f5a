// native/norm: dispatch of the norm and GELU kernels to the active ISA path. Rows (GELU: elements)
// are split over the thread pool once a call holds enough work to pay for waking a second thread;
// the backward kernels give each part its own double accumulators for the parameter gradients and
// add the parts up in a fixed order afterwards.
#include "norm.h"

#include <algorithm>
#include <vector>

#include "cpu-features.h"
#include "parallel.h"
#include "thread-pool.h"

namespace tessera {
namespace {

/** Elements a thread should get at least: small calls stay on the caller. */
constexpr i64 kMinElementsPerThread = 32 * 1024;

const NormIsa& activeNorm() {
#if TESSERA_X86
  switch (activeIsa()) {
    case Isa::Avx512: return normAvx512();
    case Isa::Avx2: return normAvx2();
    case Isa::Scalar: break;
  }
#endif
  return normScalar();
}

template <typename T>
const NormRows<T>& rowsFor(const NormIsa& isa);
template <>
const NormRows<float>& rowsFor<float>(const NormIsa& isa) {
  return isa.f32;
}
template <>
const NormRows<double>& rowsFor<double>(const NormIsa& isa) {
  return isa.f64;
}

/** Calls body(r0, r1) over row ranges covering [0, rows). */
template <typename F>
void overRows(const NormShape& s, F&& body) {
  parallelChunks(s.rows, std::max<i64>(1, kMinElementsPerThread / std::max<i64>(1, s.cols)), body, 1);
}

/**
 * Runs body(r0, r1, acc) over parts of the rows, each part with `width` zeroed doubles of its own
 * (its parameter-gradient accumulators), then returns the parts' accumulators added up.
 */
template <typename F>
std::vector<double> overRowsWithSums(const NormShape& s, i64 width, F&& body) {
  const i64 work = s.rows * std::max<i64>(1, s.cols);
  const int wanted = static_cast<int>(std::max<i64>(1, std::min<i64>(numThreads(), work / kMinElementsPerThread)));
  const int parts = static_cast<int>(std::min<i64>(wanted, std::max<i64>(1, s.rows)));
  std::vector<double> partials(static_cast<std::size_t>(parts * width), 0.0);
  int used = 1;
  if (parts <= 1) {
    body(i64{0}, s.rows, partials.data());
  } else {
    parallelTeam(parts, [&](int part, int count) {
      if (part == 0) used = count;
      const i64 r0 = s.rows * part / count, r1 = s.rows * (part + 1) / count;
      if (r0 < r1) body(r0, r1, partials.data() + part * width);
    });
  }
  for (int p = 1; p < used; p++)
    for (i64 c = 0; c < width; c++) partials[c] += partials[p * width + c];
  partials.resize(static_cast<std::size_t>(width));
  return partials;
}

}  // namespace

template <typename T>
void layerNormKernel(const T* x, const T* gamma, const T* beta, T* out, T* mean, T* rstd, const NormShape& s) {
  const auto fn = rowsFor<T>(activeNorm()).layerNorm;
  overRows(s, [&](i64 r0, i64 r1) { fn(x, gamma, beta, out, mean, rstd, s, r0, r1); });
}

template <typename T>
void layerNormBackwardKernel(const T* dy, const T* x, const T* gamma, const T* mean, const T* rstd, T* dx, T* dgamma,
                             T* dbeta, const NormShape& s) {
  const auto fn = rowsFor<T>(activeNorm()).layerNormBackward;
  const i64 n = s.cols;
  // each part's accumulators: [dgamma (cols) | dbeta (cols)], the unwanted ones left out
  const i64 gammaAt = 0, betaAt = dgamma != nullptr ? n : 0;
  const i64 width = (dgamma != nullptr ? n : 0) + (dbeta != nullptr ? n : 0);
  const std::vector<double> sums = overRowsWithSums(s, width, [&](i64 r0, i64 r1, double* acc) {
    fn(dy, x, gamma, mean, rstd, dx, dgamma != nullptr ? acc + gammaAt : nullptr,
       dbeta != nullptr ? acc + betaAt : nullptr, s, r0, r1);
  });
  for (i64 c = 0; c < n; c++) {
    if (dgamma != nullptr) dgamma[c] = static_cast<T>(sums[gammaAt + c]);
    if (dbeta != nullptr) dbeta[c] = static_cast<T>(sums[betaAt + c]);
  }
}

template <typename T>
void rmsNormKernel(const T* x, const T* scale, T* out, T* rstd, const NormShape& s) {
  const auto fn = rowsFor<T>(activeNorm()).rmsNorm;
  overRows(s, [&](i64 r0, i64 r1) { fn(x, scale, out, rstd, s, r0, r1); });
}

template <typename T>
void rmsNormBackwardKernel(const T* dy, const T* x, const T* scale, const T* rstd, T* dx, T* dscale,
                           const NormShape& s) {
  const auto fn = rowsFor<T>(activeNorm()).rmsNormBackward;
  const i64 width = dscale != nullptr ? s.cols : 0;
  const std::vector<double> sums = overRowsWithSums(s, width, [&](i64 r0, i64 r1, double* acc) {
    fn(dy, x, scale, rstd, dx, dscale != nullptr ? acc : nullptr, s, r0, r1);
  });
  if (dscale != nullptr)
    for (i64 c = 0; c < s.cols; c++) dscale[c] = static_cast<T>(sums[c]);
}

template <typename T>
void geluKernel(const T* x, T* out, i64 n, bool approximate) {
  const auto fn = rowsFor<T>(activeNorm()).gelu;
  parallelChunks(n, kMinElementsPerThread / 2, [&](i64 b, i64 e) { fn(x + b, out + b, e - b, approximate); });
}

template <typename T>
void geluBackwardKernel(const T* x, const T* dy, T* dx, i64 n, bool approximate) {
  const auto fn = rowsFor<T>(activeNorm()).geluBackward;
  parallelChunks(n, kMinElementsPerThread / 2,
                 [&](i64 b, i64 e) { fn(x + b, dy + b, dx + b, e - b, approximate); });
}

template <typename T>
void swigluKernel(const T* gate, const T* up, T* out, i64 n) {
  const auto fn = rowsFor<T>(activeNorm()).swiglu;
  parallelChunks(n, kMinElementsPerThread / 2, [&](i64 b, i64 e) { fn(gate + b, up + b, out + b, e - b); });
}

template <typename T>
void swigluBackwardKernel(const T* gate, const T* up, const T* dy, T* dGate, T* dUp, i64 n) {
  const auto fn = rowsFor<T>(activeNorm()).swigluBackward;
  parallelChunks(n, kMinElementsPerThread / 2,
                 [&](i64 b, i64 e) { fn(gate + b, up + b, dy + b, dGate + b, dUp + b, e - b); });
}

#define TESSERA_NORM_INSTANTIATE(T)                                                                              \
  template void layerNormKernel<T>(const T*, const T*, const T*, T*, T*, T*, const NormShape&);                 \
  template void layerNormBackwardKernel<T>(const T*, const T*, const T*, const T*, const T*, T*, T*, T*,        \
                                           const NormShape&);                                                   \
  template void rmsNormKernel<T>(const T*, const T*, T*, T*, const NormShape&);                                 \
  template void rmsNormBackwardKernel<T>(const T*, const T*, const T*, const T*, T*, T*, const NormShape&);     \
  template void geluKernel<T>(const T*, T*, i64, bool);                                                          \
  template void geluBackwardKernel<T>(const T*, const T*, T*, i64, bool);                                        \
  template void swigluKernel<T>(const T*, const T*, T*, i64);                                                    \
  template void swigluBackwardKernel<T>(const T*, const T*, const T*, T*, T*, i64);
TESSERA_NORM_INSTANTIATE(float)
TESSERA_NORM_INSTANTIATE(double)
#undef TESSERA_NORM_INSTANTIATE

}  // namespace tessera
