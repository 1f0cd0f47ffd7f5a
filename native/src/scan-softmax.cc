// native/scan-softmax: cumulative sums and softmax / log-softmax along the middle axis of
// [outer, size, inner]. Contiguous softmax rows (inner == 1) use the ISA's vectorized row
// kernel; strided ones, and every cumsum, run in double exactly as the reference does.
#include <algorithm>
#include <cmath>
#include <limits>

#include "cpu-features.h"
#include "elementwise.h"
#include "parallel.h"
#include "reduce.h"

namespace tessera {
namespace {

constexpr i64 kMinPerThread = 1 << 14;
constexpr i64 kColumnBlock = 256;

const ElementwiseIsa& isaTable() {
#if TESSERA_X86
  switch (activeIsa()) {
    case Isa::Avx512: return elementwiseAvx512();
    case Isa::Avx2: return elementwiseAvx2();
    case Isa::Scalar: break;
  }
#endif
  return elementwiseScalar();
}

/** Running sums of columns [j0, j1) of block o, in double, in the reference's order. */
template <typename In, typename Out>
void cumsumColumns(const In* x, Out* out, i64 size, i64 inner, i64 o, i64 j0, i64 j1, bool reverse) {
  double acc[kColumnBlock];
  const i64 width = j1 - j0;
  for (i64 j = 0; j < width; j++) acc[j] = 0;
  for (i64 step = 0; step < size; step++) {
    const i64 t = reverse ? size - 1 - step : step;
    const i64 at = (o * size + t) * inner + j0;
    for (i64 j = 0; j < width; j++) {
      acc[j] += static_cast<double>(x[at + j]);
      out[at + j] = storeJs<Out>(acc[j]);
    }
  }
}

/** Softmax along t for column j of block o (inner > 1), in double like the reference. */
template <typename T>
void softmaxStrided(const T* x, T* out, i64 size, i64 inner, i64 o, i64 j, bool log) {
  const i64 base = o * size * inner + j;
  double max = -std::numeric_limits<double>::infinity();
  for (i64 t = 0; t < size; t++) {
    const double v = static_cast<double>(x[base + t * inner]);
    if (v > max || v != v) max = v;
  }
  if (max == -std::numeric_limits<double>::infinity()) max = 0;
  double sum = 0;
  for (i64 t = 0; t < size; t++) sum += std::exp(static_cast<double>(x[base + t * inner]) - max);
  if (log) {
    const double logSum = std::log(sum) + max;
    for (i64 t = 0; t < size; t++) out[base + t * inner] = static_cast<T>(static_cast<double>(x[base + t * inner]) - logSum);
  } else {
    for (i64 t = 0; t < size; t++)
      out[base + t * inner] = static_cast<T>(std::exp(static_cast<double>(x[base + t * inner]) - max) / sum);
  }
}

}  // namespace

void cumsumKernel(const Array& x, i64 outer, i64 size, i64 inner, bool reverse, const Array& out) {
  if (outer == 0 || inner == 0 || size == 0) return;
  const i64 blocks = (inner + kColumnBlock - 1) / kColumnBlock;
  const i64 perUnit = size * std::min(inner, kColumnBlock);
  withDType(x.dtype, [&](auto inTag) {
    using In = decltype(inTag);
    withDType(out.dtype, [&](auto outTag) {
      using Out = decltype(outTag);
      parallelChunks(outer * blocks, std::max<i64>(1, kMinPerThread / perUnit), [&](i64 u0, i64 u1) {
        for (i64 u = u0; u < u1; u++) {
          const i64 o = u / blocks, j0 = (u % blocks) * kColumnBlock;
          cumsumColumns(x.as<const In>(), out.as<Out>(), size, inner, o, j0, std::min(inner, j0 + kColumnBlock),
                        reverse);
        }
      }, 1);
    });
  });
}

void softmaxKernel(const Array& x, i64 outer, i64 size, i64 inner, bool log, const Array& out) {
  if (outer == 0 || inner == 0 || size == 0) return;
  const ElementwiseIsa& isa = isaTable();
  const auto run = [&](auto tag) {
    using T = decltype(tag);
    const T* px = x.as<const T>();
    T* po = out.as<T>();
    if (inner == 1) {
      parallelChunks(outer, std::max<i64>(1, kMinPerThread / size), [&](i64 o0, i64 o1) {
        for (i64 o = o0; o < o1; o++) {
          if constexpr (sizeof(T) == 4) isa.softmaxRowF32(px + o * size, po + o * size, size, log);
          else isa.softmaxRowF64(px + o * size, po + o * size, size, log);
        }
      }, 1);
      return;
    }
    parallelChunks(outer * inner, std::max<i64>(1, kMinPerThread / size), [&](i64 u0, i64 u1) {
      for (i64 u = u0; u < u1; u++) softmaxStrided(px, po, size, inner, u / inner, u % inner, log);
    }, 1);
  };
  if (x.dtype == DType::Float32) run(float{});
  else run(double{});
}

}  // namespace tessera
