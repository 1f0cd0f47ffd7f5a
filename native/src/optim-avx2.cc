// native/optim-avx2: the optimizer update loops on 8 floats or 4 doubles at a time
// (AVX2, compiled without contraction, so that no multiply-add is fused and results
// equal the reference bit for bit).
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#include <cstdint>

#include "optim.h"

#if TESSERA_X86

#pragma GCC optimize("fp-contract=off")
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2")
#endif

namespace tessera {
namespace isa_avx2_optim {

template <typename T>
struct Vec;
template <>
struct Vec<float> {
  using V = __m256;
  static constexpr i64 kLanes = 8;
};
template <>
struct Vec<double> {
  using V = __m256d;
  static constexpr i64 kLanes = 4;
};

TESSERA_INLINE __m256 vset(float x) { return _mm256_set1_ps(x); }
TESSERA_INLINE __m256d vset(double x) { return _mm256_set1_pd(x); }
TESSERA_INLINE __m256 vadd(__m256 a, __m256 b) { return _mm256_add_ps(a, b); }
TESSERA_INLINE __m256d vadd(__m256d a, __m256d b) { return _mm256_add_pd(a, b); }
TESSERA_INLINE __m256 vsub(__m256 a, __m256 b) { return _mm256_sub_ps(a, b); }
TESSERA_INLINE __m256d vsub(__m256d a, __m256d b) { return _mm256_sub_pd(a, b); }
TESSERA_INLINE __m256 vmul(__m256 a, __m256 b) { return _mm256_mul_ps(a, b); }
TESSERA_INLINE __m256d vmul(__m256d a, __m256d b) { return _mm256_mul_pd(a, b); }
TESSERA_INLINE __m256 vdiv(__m256 a, __m256 b) { return _mm256_div_ps(a, b); }
TESSERA_INLINE __m256d vdiv(__m256d a, __m256d b) { return _mm256_div_pd(a, b); }
TESSERA_INLINE __m256 vsqrt(__m256 a) { return _mm256_sqrt_ps(a); }
TESSERA_INLINE __m256d vsqrt(__m256d a) { return _mm256_sqrt_pd(a); }
TESSERA_INLINE __m256 vabs(__m256 a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
TESSERA_INLINE __m256d vabs(__m256d a) { return _mm256_andnot_pd(_mm256_set1_pd(-0.0), a); }
TESSERA_INLINE __m256 vneg(__m256 a) { return _mm256_xor_ps(a, _mm256_set1_ps(-0.0f)); }
TESSERA_INLINE __m256d vneg(__m256d a) { return _mm256_xor_pd(a, _mm256_set1_pd(-0.0)); }
// Math.sign: 1 where a > 0, -1 where a < 0, a itself elsewhere (+-0, NaN).
TESSERA_INLINE __m256 vsign(__m256 a) {
  const __m256 zero = _mm256_setzero_ps();
  const __m256 r = _mm256_blendv_ps(a, _mm256_set1_ps(1.0f), _mm256_cmp_ps(a, zero, _CMP_GT_OQ));
  return _mm256_blendv_ps(r, _mm256_set1_ps(-1.0f), _mm256_cmp_ps(a, zero, _CMP_LT_OQ));
}
TESSERA_INLINE __m256d vsign(__m256d a) {
  const __m256d zero = _mm256_setzero_pd();
  const __m256d r = _mm256_blendv_pd(a, _mm256_set1_pd(1.0), _mm256_cmp_pd(a, zero, _CMP_GT_OQ));
  return _mm256_blendv_pd(r, _mm256_set1_pd(-1.0), _mm256_cmp_pd(a, zero, _CMP_LT_OQ));
}
// Math.max: max gives b when either is NaN, so a NaN a is put back.
TESSERA_INLINE __m256 vmaxJs(__m256 a, __m256 b) { return _mm256_blendv_ps(_mm256_max_ps(a, b), a, _mm256_cmp_ps(a, a, _CMP_UNORD_Q)); }
TESSERA_INLINE __m256d vmaxJs(__m256d a, __m256d b) { return _mm256_blendv_pd(_mm256_max_pd(a, b), a, _mm256_cmp_pd(a, a, _CMP_UNORD_Q)); }
TESSERA_INLINE __m256 vload(const float* p) { return _mm256_loadu_ps(p); }
TESSERA_INLINE __m256d vload(const double* p) { return _mm256_loadu_pd(p); }
TESSERA_INLINE void vstore(float* p, __m256 v) { _mm256_storeu_ps(p, v); }
TESSERA_INLINE void vstore(double* p, __m256d v) { _mm256_storeu_pd(p, v); }

#include "optim-isa.inc"

}  // namespace isa_avx2_optim

OptimRange optimAvx2() { return &isa_avx2_optim::optimRange; }

}  // namespace tessera

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#else  // not x86: the portable loops stand in

namespace tessera {
OptimRange optimAvx2() { return optimScalar(); }
}  // namespace tessera

#endif  // TESSERA_X86
