// native/optim-avx512: the optimizer update loops on 16 floats or 8 doubles at a time
// (AVX-512F, compiled without contraction, so that no multiply-add is fused and results
// equal the reference bit for bit).
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#include <cstdint>

#include "optim.h"

#if TESSERA_X86

#pragma GCC optimize("fp-contract=off")
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f")
#endif

namespace tessera {
namespace isa_avx512_optim {

template <typename T>
struct Vec;
template <>
struct Vec<float> {
  using V = __m512;
  static constexpr i64 kLanes = 16;
};
template <>
struct Vec<double> {
  using V = __m512d;
  static constexpr i64 kLanes = 8;
};

TESSERA_INLINE __m512 vset(float x) { return _mm512_set1_ps(x); }
TESSERA_INLINE __m512d vset(double x) { return _mm512_set1_pd(x); }
TESSERA_INLINE __m512 vadd(__m512 a, __m512 b) { return _mm512_add_ps(a, b); }
TESSERA_INLINE __m512d vadd(__m512d a, __m512d b) { return _mm512_add_pd(a, b); }
TESSERA_INLINE __m512 vsub(__m512 a, __m512 b) { return _mm512_sub_ps(a, b); }
TESSERA_INLINE __m512d vsub(__m512d a, __m512d b) { return _mm512_sub_pd(a, b); }
TESSERA_INLINE __m512 vmul(__m512 a, __m512 b) { return _mm512_mul_ps(a, b); }
TESSERA_INLINE __m512d vmul(__m512d a, __m512d b) { return _mm512_mul_pd(a, b); }
TESSERA_INLINE __m512 vdiv(__m512 a, __m512 b) { return _mm512_div_ps(a, b); }
TESSERA_INLINE __m512d vdiv(__m512d a, __m512d b) { return _mm512_div_pd(a, b); }
TESSERA_INLINE __m512 vsqrt(__m512 a) { return _mm512_sqrt_ps(a); }
TESSERA_INLINE __m512d vsqrt(__m512d a) { return _mm512_sqrt_pd(a); }
TESSERA_INLINE __m512 vabs(__m512 a) { return _mm512_abs_ps(a); }
TESSERA_INLINE __m512d vabs(__m512d a) { return _mm512_abs_pd(a); }
// sign flips through integer xor (the float xor needs AVX-512DQ)
TESSERA_INLINE __m512 vneg(__m512 a) {
  return _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(a), _mm512_set1_epi32(INT32_MIN)));
}
TESSERA_INLINE __m512d vneg(__m512d a) {
  return _mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(a), _mm512_set1_epi64(INT64_MIN)));
}
// Math.max: max gives b when either is NaN, so a NaN a is put back.
// Math.sign: 1 where a > 0, -1 where a < 0, a itself elsewhere (+-0, NaN).
TESSERA_INLINE __m512 vsign(__m512 a) {
  const __m512 zero = _mm512_setzero_ps();
  const __m512 r = _mm512_mask_mov_ps(a, _mm512_cmp_ps_mask(a, zero, _CMP_GT_OQ), _mm512_set1_ps(1.0f));
  return _mm512_mask_mov_ps(r, _mm512_cmp_ps_mask(a, zero, _CMP_LT_OQ), _mm512_set1_ps(-1.0f));
}
TESSERA_INLINE __m512d vsign(__m512d a) {
  const __m512d zero = _mm512_setzero_pd();
  const __m512d r = _mm512_mask_mov_pd(a, _mm512_cmp_pd_mask(a, zero, _CMP_GT_OQ), _mm512_set1_pd(1.0));
  return _mm512_mask_mov_pd(r, _mm512_cmp_pd_mask(a, zero, _CMP_LT_OQ), _mm512_set1_pd(-1.0));
}
TESSERA_INLINE __m512 vmaxJs(__m512 a, __m512 b) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q), _mm512_max_ps(a, b), a); }
TESSERA_INLINE __m512d vmaxJs(__m512d a, __m512d b) { return _mm512_mask_blend_pd(_mm512_cmp_pd_mask(a, a, _CMP_UNORD_Q), _mm512_max_pd(a, b), a); }
TESSERA_INLINE __m512 vload(const float* p) { return _mm512_loadu_ps(p); }
TESSERA_INLINE __m512d vload(const double* p) { return _mm512_loadu_pd(p); }
TESSERA_INLINE void vstore(float* p, __m512 v) { _mm512_storeu_ps(p, v); }
TESSERA_INLINE void vstore(double* p, __m512d v) { _mm512_storeu_pd(p, v); }

#include "optim-isa.inc"

}  // namespace isa_avx512_optim

OptimRange optimAvx512() { return &isa_avx512_optim::optimRange; }

}  // namespace tessera

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#else  // not x86: the portable loops stand in

namespace tessera {
OptimRange optimAvx512() { return optimScalar(); }
}  // namespace tessera

#endif  // TESSERA_X86
