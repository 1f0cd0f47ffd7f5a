// native/norm-avx2: the norm and GELU loops compiled for AVX2 + FMA; float32 GELU on 8 lanes
// with the vector exp of simd-math-avx2.h.
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#include <cmath>

#include "norm.h"

#if TESSERA_X86

#include "isa-target-avx2.h"

#include "simd-math-avx2.h"

namespace tessera {
namespace norm_avx2 {

#define TESSERA_NORM_VECTOR 1
using VecF = __m256;
constexpr i64 kLanes = 8;
TESSERA_INLINE VecF loadV(const float* p) { return _mm256_loadu_ps(p); }
TESSERA_INLINE void storeV(float* p, VecF v) { _mm256_storeu_ps(p, v); }
TESSERA_INLINE VecF expV(VecF v) { return avx2::expPs(v); }

#include "norm-isa.inc"

#undef TESSERA_NORM_VECTOR

}  // namespace norm_avx2

const NormIsa& normAvx2() { return norm_avx2::kTable; }

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
