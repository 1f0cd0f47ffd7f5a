// native/simd-math-avx2: float32 exp, sigmoid and tanh on 8 lanes (same polynomials as the
// AVX-512 version). Include only inside an AVX2 + FMA target region.
#pragma once

#include <immintrin.h>

namespace tessera {
namespace avx2 {

/** 2^k for integer k in [-126, 127], built in the exponent field. */
TESSERA_INLINE __m256 pow2i(__m256i k) {
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(k, _mm256_set1_epi32(127)), 23));
}

/** e^x; NaN stays NaN, overflow gives +inf, underflow goes gradually to 0. */
TESSERA_INLINE __m256 expPs(__m256 x) {
  x = _mm256_max_ps(_mm256_set1_ps(-104.0f), _mm256_min_ps(_mm256_set1_ps(89.0f), x));
  const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                   _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
  __m256 p = _mm256_set1_ps(1.9875691500e-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
  const __m256 y = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
  // n lies in [-150, 129]; scaling by 2^(n/2) twice keeps both factors normal
  const __m256i ni = _mm256_cvttps_epi32(n);
  const __m256i half = _mm256_srai_epi32(ni, 1);
  return _mm256_mul_ps(_mm256_mul_ps(y, pow2i(half)), pow2i(_mm256_sub_epi32(ni, half)));
}

TESSERA_INLINE __m256 sigmoidPs(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.0f);
  return _mm256_div_ps(one, _mm256_add_ps(one, expPs(_mm256_sub_ps(_mm256_setzero_ps(), x))));
}

TESSERA_INLINE __m256 tanhPs(__m256 x) {
  const __m256 signMask = _mm256_set1_ps(-0.0f);
  const __m256 ax = _mm256_andnot_ps(signMask, x);
  const __m256 z = _mm256_mul_ps(x, x);
  __m256 p = _mm256_set1_ps(-5.70498872745e-3f);
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(2.06390887954e-2f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-5.37397155531e-2f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(1.33314422036e-1f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-3.33332819422e-1f));
  const __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(p, z), x, x);
  const __m256 e = expPs(_mm256_add_ps(ax, ax));
  const __m256 large =
      _mm256_sub_ps(_mm256_set1_ps(1.0f), _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(e, _mm256_set1_ps(1.0f))));
  const __m256 signedLarge = _mm256_or_ps(large, _mm256_and_ps(signMask, x));
  const __m256 isSmall = _mm256_cmp_ps(ax, _mm256_set1_ps(0.625f), _CMP_LT_OQ);
  return _mm256_blendv_ps(signedLarge, small, isSmall);
}

}  // namespace avx2
}  // namespace tessera
