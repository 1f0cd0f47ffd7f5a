// native/optim-avx2: the optimizer update loops on 4 doubles at a time (AVX2; no FMA, so that no
// multiply-add is fused and results equal the reference bit for bit).
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

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

using VD = __m256d;
constexpr i64 kLanes = 4;

TESSERA_INLINE VD vset(double x) { return _mm256_set1_pd(x); }
TESSERA_INLINE VD vadd(VD a, VD b) { return _mm256_add_pd(a, b); }
TESSERA_INLINE VD vsub(VD a, VD b) { return _mm256_sub_pd(a, b); }
TESSERA_INLINE VD vmul(VD a, VD b) { return _mm256_mul_pd(a, b); }
TESSERA_INLINE VD vdiv(VD a, VD b) { return _mm256_div_pd(a, b); }
TESSERA_INLINE VD vsqrt(VD a) { return _mm256_sqrt_pd(a); }
/** Math.max: maxpd gives b when either is NaN, so a NaN a is put back. */
TESSERA_INLINE VD vmaxJs(VD a, VD b) {
  return _mm256_blendv_pd(_mm256_max_pd(a, b), a, _mm256_cmp_pd(a, a, _CMP_UNORD_Q));
}
TESSERA_INLINE VD vload(const float* p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }
TESSERA_INLINE VD vload(const double* p) { return _mm256_loadu_pd(p); }
TESSERA_INLINE void vstore(float* p, VD v) { _mm_storeu_ps(p, _mm256_cvtpd_ps(v)); }
TESSERA_INLINE void vstore(double* p, VD v) { _mm256_storeu_pd(p, v); }

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
