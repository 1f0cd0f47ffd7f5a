// native/attention-avx2: the blockwise attention kernels compiled for AVX2 + FMA: 8 float / 4
// double lanes, a 4 x 2-vector register tile, the float32 exp on 8 lanes (float64 exp per lane).
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "attention.h"
#include "parallel.h"

#if TESSERA_X86

#include "isa-target-avx2.h"

#include "attention-avx.h"
#include "simd-math-avx2.h"

namespace tessera {
namespace isa_avx2 {
namespace {

struct VecF {
  using T = float;
  using V = __m256;
  static constexpr int W = 8, R = 4, NC = 2;
  static TESSERA_INLINE V load(const T* p) { return _mm256_loadu_ps(p); }
  static TESSERA_INLINE void store(T* p, V v) { _mm256_storeu_ps(p, v); }
  static TESSERA_INLINE V set1(T v) { return _mm256_set1_ps(v); }
  static TESSERA_INLINE V zero() { return _mm256_setzero_ps(); }
  static TESSERA_INLINE V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static TESSERA_INLINE V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  static TESSERA_INLINE V add(V a, V b) { return _mm256_add_ps(a, b); }
  static TESSERA_INLINE V sub(V a, V b) { return _mm256_sub_ps(a, b); }
  static TESSERA_INLINE V max(V a, V b) { return _mm256_max_ps(a, b); }
  static TESSERA_INLINE T hmax(V v) { return avx::lanesMax(v); }
  static TESSERA_INLINE T hsum(V v) { return avx::lanesSum(v); }
  /**
   * e^x where s > -inf, else 0 (hidden scores give exactly zero probability). x below -87 (e^x under
   * FLT_MIN, negligible next to the row's largest term, 1) gives 0 too: the exp never makes a
   * denormal, whose multiply would take a slow microcode assist on many x86 cores.
   */
  static TESSERA_INLINE V expMasked(V x, V s) {
    const V low = _mm256_set1_ps(-87.0f);
    const V seen = _mm256_and_ps(_mm256_cmp_ps(s, _mm256_set1_ps(-std::numeric_limits<float>::infinity()), _CMP_NEQ_OQ),
                                 _mm256_cmp_ps(x, low, _CMP_GE_OQ));
    return _mm256_and_ps(seen, avx2::expPs(_mm256_max_ps(x, low)));
  }
  /** v in lanes [0, n), fill elsewhere. */
  static TESSERA_INLINE V keepFirst(V v, i64 n, T fill) {
    return _mm256_blendv_ps(_mm256_set1_ps(fill), v, avx::firstLanesPs(n));
  }
  static constexpr int TB = 8;
  static TESSERA_INLINE void transposeBlock(const T* src, i64 rs, T* dst, i64 ld) {
    avx::transpose8x8(src, rs, dst, ld);
  }
};

struct VecD {
  using T = double;
  using V = __m256d;
  static constexpr int W = 4, R = 4, NC = 2;
  static TESSERA_INLINE V load(const T* p) { return _mm256_loadu_pd(p); }
  static TESSERA_INLINE void store(T* p, V v) { _mm256_storeu_pd(p, v); }
  static TESSERA_INLINE V set1(T v) { return _mm256_set1_pd(v); }
  static TESSERA_INLINE V zero() { return _mm256_setzero_pd(); }
  static TESSERA_INLINE V fma(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
  static TESSERA_INLINE V mul(V a, V b) { return _mm256_mul_pd(a, b); }
  static TESSERA_INLINE V add(V a, V b) { return _mm256_add_pd(a, b); }
  static TESSERA_INLINE V sub(V a, V b) { return _mm256_sub_pd(a, b); }
  static TESSERA_INLINE V max(V a, V b) { return _mm256_max_pd(a, b); }
  static TESSERA_INLINE T hmax(V v) { return avx::lanesMax(v); }
  static TESSERA_INLINE T hsum(V v) { return avx::lanesSum(v); }
  static TESSERA_INLINE V expMasked(V x, V s) {
    alignas(32) double xs[4], ss[4];
    _mm256_store_pd(xs, x);
    _mm256_store_pd(ss, s);
    for (int i = 0; i < 4; i++) xs[i] = ss[i] == -std::numeric_limits<double>::infinity() ? 0.0 : std::exp(xs[i]);
    return _mm256_load_pd(xs);
  }
  static TESSERA_INLINE V keepFirst(V v, i64 n, T fill) {
    return _mm256_blendv_pd(_mm256_set1_pd(fill), v, avx::firstLanesPd(n));
  }
  static constexpr int TB = 4;
  static TESSERA_INLINE void transposeBlock(const T* src, i64 rs, T* dst, i64 ld) {
    avx::transpose4x4(src, rs, dst, ld);
  }
};

}  // namespace

#include "attention-isa.inc"

}  // namespace isa_avx2

const AttentionIsa& attentionAvx2() { return isa_avx2::kTable; }

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
