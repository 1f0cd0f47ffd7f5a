// native/noise-avx2: the Gaussian-noise loops compiled for AVX2, 4 counter blocks per vector (one
// per 64-bit lane: Philox's 32 x 32-bit products by vpmuludq, Box-Muller in double).
#pragma GCC optimize("fp-contract=off")
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cstring>

#include "noise.h"

#if TESSERA_X86

#if defined(__clang__)
#pragma clang fp contract(off)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2")
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace tessera {
namespace noise_avx2 {

using VecU = std::uint64_t __attribute__((vector_size(32)));
using VecD = double __attribute__((vector_size(32)));
constexpr int kLanes = 4;
TESSERA_INLINE VecU splatU(std::uint64_t v) { return VecU{} + v; }
TESSERA_INLINE VecD splatD(double v) { return VecD{} + v; }
TESSERA_INLINE VecU iotaU() { return VecU{0, 1, 2, 3}; }
TESSERA_INLINE VecD asD(VecU v) { return reinterpret_cast<VecD>(v); }
TESSERA_INLINE VecU asU(VecD v) { return reinterpret_cast<VecU>(v); }
TESSERA_INLINE VecU mulWide(VecU a, VecU b) { return reinterpret_cast<VecU>(_mm256_mul_epu32(reinterpret_cast<__m256i>(a), reinterpret_cast<__m256i>(b))); }
TESSERA_INLINE VecD sqrtV(VecD v) { return reinterpret_cast<VecD>(_mm256_sqrt_pd(reinterpret_cast<__m256d>(v))); }
/** The 4 x 4 transpose of (z0, z1, z2, z3): block j's four normals at z + 4 j. */
TESSERA_INLINE void storeBlocks(double* z, VecD z0, VecD z1, VecD z2, VecD z3) {
  const __m256d t0 = _mm256_unpacklo_pd(__m256d(z0), __m256d(z1)), t1 = _mm256_unpackhi_pd(__m256d(z0), __m256d(z1));
  const __m256d t2 = _mm256_unpacklo_pd(__m256d(z2), __m256d(z3)), t3 = _mm256_unpackhi_pd(__m256d(z2), __m256d(z3));
  _mm256_store_pd(z, _mm256_permute2f128_pd(t0, t2, 0x20));
  _mm256_store_pd(z + 4, _mm256_permute2f128_pd(t1, t3, 0x20));
  _mm256_store_pd(z + 8, _mm256_permute2f128_pd(t0, t2, 0x31));
  _mm256_store_pd(z + 12, _mm256_permute2f128_pd(t1, t3, 0x31));
}

#include "noise-isa.inc"

}  // namespace noise_avx2

const NoiseIsa& noiseAvx2() { return noise_avx2::kTable; }

}  // namespace tessera

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif  // TESSERA_X86
