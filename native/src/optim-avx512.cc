// native/optim-avx512: the optimizer update loops on 8 doubles at a time (AVX-512F, compiled
// without contraction, so that no multiply-add is fused and results equal the reference bit for bit).
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

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

using VD = __m512d;
constexpr i64 kLanes = 8;

TESSERA_INLINE VD vset(double x) { return _mm512_set1_pd(x); }
TESSERA_INLINE VD vadd(VD a, VD b) { return _mm512_add_pd(a, b); }
TESSERA_INLINE VD vsub(VD a, VD b) { return _mm512_sub_pd(a, b); }
TESSERA_INLINE VD vmul(VD a, VD b) { return _mm512_mul_pd(a, b); }
TESSERA_INLINE VD vdiv(VD a, VD b) { return _mm512_div_pd(a, b); }
TESSERA_INLINE VD vsqrt(VD a) { return _mm512_sqrt_pd(a); }
/** Math.max: maxpd gives b when either is NaN, so a NaN a is put back. */
TESSERA_INLINE VD vmaxJs(VD a, VD b) {
  return _mm512_mask_blend_pd(_mm512_cmp_pd_mask(a, a, _CMP_UNORD_Q), _mm512_max_pd(a, b), a);
}
TESSERA_INLINE VD vload(const float* p) { return _mm512_cvtps_pd(_mm256_loadu_ps(p)); }
TESSERA_INLINE VD vload(const double* p) { return _mm512_loadu_pd(p); }
TESSERA_INLINE void vstore(float* p, VD v) { _mm256_storeu_ps(p, _mm512_cvtpd_ps(v)); }
TESSERA_INLINE void vstore(double* p, VD v) { _mm512_storeu_pd(p, v); }

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
