// native/attention-scalar: the blockwise attention kernels for the portable path (baseline ISA):
// one lane, exp in double as the reference computes it.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "attention.h"
#include "parallel.h"

namespace tessera {
namespace isa_scalar {
namespace {

template <typename Tp>
struct VecScalar {
  using T = Tp;
  using V = Tp;
  static constexpr int W = 1, R = 4, NC = 4;
  static TESSERA_INLINE V load(const T* p) { return *p; }
  static TESSERA_INLINE void store(T* p, V v) { *p = v; }
  static TESSERA_INLINE V set1(T v) { return v; }
  static TESSERA_INLINE V zero() { return T(0); }
  static TESSERA_INLINE V fma(V a, V b, V c) { return a * b + c; }
  static TESSERA_INLINE V mul(V a, V b) { return a * b; }
  static TESSERA_INLINE V add(V a, V b) { return a + b; }
  static TESSERA_INLINE V sub(V a, V b) { return a - b; }
  static TESSERA_INLINE V max(V a, V b) { return a > b ? a : b; }
  static TESSERA_INLINE T hmax(V v) { return v; }
  static TESSERA_INLINE T hsum(V v) { return v; }
  static TESSERA_INLINE V expMasked(V x, V s) {
    return s == -std::numeric_limits<T>::infinity() ? T(0) : static_cast<T>(std::exp(static_cast<double>(x)));
  }
  static TESSERA_INLINE V keepFirst(V v, i64 n, T fill) { return n > 0 ? v : fill; }
  static constexpr int TB = 0;  // no block transpose: packTransposed's plain loop
  static void transposeBlock(const T*, i64, T*, i64) {}
};

using VecF = VecScalar<float>;
using VecD = VecScalar<double>;

}  // namespace

#include "attention-isa.inc"

}  // namespace isa_scalar

const AttentionIsa& attentionScalar() { return isa_scalar::kTable; }

}  // namespace tessera
