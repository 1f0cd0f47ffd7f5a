// native/noise-avx512: the Gaussian-noise loops compiled for AVX-512, 8 counter blocks per vector
// (one per 64-bit lane: Philox's 32 x 32-bit products by vpmuludq, Box-Muller in double).
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
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma")
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace tessera {
namespace noise_avx512 {

using VecU = std::uint64_t __attribute__((vector_size(64)));
using VecD = double __attribute__((vector_size(64)));
constexpr int kLanes = 8;
TESSERA_INLINE VecU splatU(std::uint64_t v) { return VecU{} + v; }
TESSERA_INLINE VecD splatD(double v) { return VecD{} + v; }
TESSERA_INLINE VecU iotaU() { return VecU{0, 1, 2, 3, 4, 5, 6, 7}; }
TESSERA_INLINE VecD asD(VecU v) { return reinterpret_cast<VecD>(v); }
TESSERA_INLINE VecU asU(VecD v) { return reinterpret_cast<VecU>(v); }
TESSERA_INLINE VecU mulWide(VecU a, VecU b) { return reinterpret_cast<VecU>(_mm512_mul_epu32(reinterpret_cast<__m512i>(a), reinterpret_cast<__m512i>(b))); }
TESSERA_INLINE VecD sqrtV(VecD v) { return reinterpret_cast<VecD>(_mm512_sqrt_pd(reinterpret_cast<__m512d>(v))); }
/** The 8 x 4 transpose of (z0, z1, z2, z3): block j's four normals at z + 4 j. */
TESSERA_INLINE void storeBlocks(double* z, VecD z0, VecD z1, VecD z2, VecD z3) {
  const __m512i lo = _mm512_setr_epi64(0, 8, 1, 9, 2, 10, 3, 11), hi = _mm512_setr_epi64(4, 12, 5, 13, 6, 14, 7, 15);
  const __m512d a = _mm512_permutex2var_pd(__m512d(z0), lo, __m512d(z1));
  const __m512d a2 = _mm512_permutex2var_pd(__m512d(z0), hi, __m512d(z1));
  const __m512d b = _mm512_permutex2var_pd(__m512d(z2), lo, __m512d(z3));
  const __m512d b2 = _mm512_permutex2var_pd(__m512d(z2), hi, __m512d(z3));
  const __m512i first = _mm512_setr_epi64(0, 1, 8, 9, 2, 3, 10, 11), second = _mm512_setr_epi64(4, 5, 12, 13, 6, 7, 14, 15);
  _mm512_store_pd(z, _mm512_permutex2var_pd(a, first, b));
  _mm512_store_pd(z + 8, _mm512_permutex2var_pd(a, second, b));
  _mm512_store_pd(z + 16, _mm512_permutex2var_pd(a2, first, b2));
  _mm512_store_pd(z + 24, _mm512_permutex2var_pd(a2, second, b2));
}

#include "noise-isa.inc"

}  // namespace noise_avx512

const NoiseIsa& noiseAvx512() { return noise_avx512::kTable; }

}  // namespace tessera

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif  // TESSERA_X86
