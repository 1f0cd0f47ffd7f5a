// native/norm-avx512: the norm and GELU loops compiled for AVX-512 (F, DQ, BW, VL); float32
// GELU on 16 lanes with the vector exp of simd-math-avx512.h.
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#include <cmath>

#include "norm.h"

#if TESSERA_X86

#include "isa-target-avx512.h"

#include "simd-math-avx512.h"

namespace tessera {
namespace norm_avx512 {

#define TESSERA_NORM_VECTOR 1
using VecF = __m512;
constexpr i64 kLanes = 16;
TESSERA_INLINE VecF loadV(const float* p) { return _mm512_loadu_ps(p); }
TESSERA_INLINE void storeV(float* p, VecF v) { _mm512_storeu_ps(p, v); }
TESSERA_INLINE VecF expV(VecF v) { return avx512::expPs(v); }

#include "norm-isa.inc"

#undef TESSERA_NORM_VECTOR

}  // namespace norm_avx512

const NormIsa& normAvx512() { return norm_avx512::kTable; }

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
