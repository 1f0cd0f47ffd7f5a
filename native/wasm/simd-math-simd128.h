// native/wasm/simd-math-simd128: float32 exp, sigmoid and tanh on 4 WebAssembly SIMD lanes, the
// polynomials of native/src/simd-math-avx2.h (Cephes) with a multiply and an add where AVX2 has a
// fused multiply-add (SIMD128 has none), so results stay within a few ulp like the x86 paths;
// and the 4 x 4 float transpose the GEMM packing and the attention blocks share.
#pragma once

#include <wasm_simd128.h>

#include "../src/common.h"

namespace tessera {
namespace simd128 {

TESSERA_INLINE v128_t madd(v128_t a, v128_t b, v128_t c) { return wasm_f32x4_add(wasm_f32x4_mul(a, b), c); }
TESSERA_INLINE v128_t splat(float v) { return wasm_f32x4_splat(v); }

/** dst[c * ds + r] = src[r * rs + c] for r, c in [0, 4): four row loads, four column stores. */
TESSERA_INLINE void transpose4x4(const float* src, i64 rs, float* dst, i64 ds) {
  const v128_t r0 = wasm_v128_load(src), r1 = wasm_v128_load(src + rs);
  const v128_t r2 = wasm_v128_load(src + 2 * rs), r3 = wasm_v128_load(src + 3 * rs);
  const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
  const v128_t t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  wasm_v128_store(dst, wasm_i64x2_shuffle(t0, t1, 0, 2));
  wasm_v128_store(dst + ds, wasm_i64x2_shuffle(t0, t1, 1, 3));
  wasm_v128_store(dst + 2 * ds, wasm_i64x2_shuffle(t2, t3, 0, 2));
  wasm_v128_store(dst + 3 * ds, wasm_i64x2_shuffle(t2, t3, 1, 3));
}

/** 2^k for integer k in [-126, 127], built in the exponent field. */
TESSERA_INLINE v128_t pow2i(v128_t k) { return wasm_i32x4_shl(wasm_i32x4_add(k, wasm_i32x4_splat(127)), 23); }

/** e^x; NaN stays NaN, overflow gives +inf, underflow goes gradually to 0. */
TESSERA_INLINE v128_t expPs(v128_t x) {
  x = wasm_f32x4_max(splat(-104.0f), wasm_f32x4_min(splat(89.0f), x));
  const v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(x, splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, splat(-2.12194440e-4f)));
  v128_t p = splat(1.9875691500e-4f);
  p = madd(p, r, splat(1.3981999507e-3f));
  p = madd(p, r, splat(8.3334519073e-3f));
  p = madd(p, r, splat(4.1665795894e-2f));
  p = madd(p, r, splat(1.6666665459e-1f));
  p = madd(p, r, splat(5.0000001201e-1f));
  const v128_t y = madd(p, wasm_f32x4_mul(r, r), wasm_f32x4_add(r, splat(1.0f)));
  // n lies in [-150, 129]; scaling by 2^(n/2) twice keeps both factors normal
  const v128_t ni = wasm_i32x4_trunc_sat_f32x4(n);
  const v128_t half = wasm_i32x4_shr(ni, 1);
  return wasm_f32x4_mul(wasm_f32x4_mul(y, pow2i(half)), pow2i(wasm_i32x4_sub(ni, half)));
}

TESSERA_INLINE v128_t sigmoidPs(v128_t x) {
  const v128_t one = splat(1.0f);
  return wasm_f32x4_div(one, wasm_f32x4_add(one, expPs(wasm_f32x4_neg(x))));
}

TESSERA_INLINE v128_t tanhPs(v128_t x) {
  const v128_t signMask = splat(-0.0f);
  const v128_t ax = wasm_f32x4_abs(x);
  const v128_t z = wasm_f32x4_mul(x, x);
  v128_t p = splat(-5.70498872745e-3f);
  p = madd(p, z, splat(2.06390887954e-2f));
  p = madd(p, z, splat(-5.37397155531e-2f));
  p = madd(p, z, splat(1.33314422036e-1f));
  p = madd(p, z, splat(-3.33332819422e-1f));
  const v128_t small = madd(wasm_f32x4_mul(p, z), x, x);
  const v128_t e = expPs(wasm_f32x4_add(ax, ax));
  const v128_t large = wasm_f32x4_sub(splat(1.0f), wasm_f32x4_div(splat(2.0f), wasm_f32x4_add(e, splat(1.0f))));
  const v128_t signedLarge = wasm_v128_or(large, wasm_v128_and(signMask, x));
  return wasm_v128_bitselect(small, signedLarge, wasm_f32x4_lt(ax, splat(0.625f)));
}

}  // namespace simd128
}  // namespace tessera
