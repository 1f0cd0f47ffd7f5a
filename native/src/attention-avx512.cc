// native/attention-avx512: the blockwise attention kernels compiled for AVX-512: 16 float / 8
// double lanes, a 4 x 4-vector register tile, the float32 exp on 16 lanes (float64 exp per lane).
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "attention.h"
#include "parallel.h"

#if TESSERA_X86

#include "isa-target-avx512.h"

#include "attention-avx.h"
#include "simd-math-avx512.h"

namespace tessera {
namespace isa_avx512 {
namespace {

struct VecF {
  using T = float;
  using V = __m512;
  static constexpr int W = 16, R = 4, NC = 4;
  static TESSERA_INLINE V load(const T* p) { return _mm512_loadu_ps(p); }
  static TESSERA_INLINE void store(T* p, V v) { _mm512_storeu_ps(p, v); }
  static TESSERA_INLINE V set1(T v) { return _mm512_set1_ps(v); }
  static TESSERA_INLINE V zero() { return _mm512_setzero_ps(); }
  static TESSERA_INLINE V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static TESSERA_INLINE V mul(V a, V b) { return _mm512_mul_ps(a, b); }
  static TESSERA_INLINE V add(V a, V b) { return _mm512_add_ps(a, b); }
  static TESSERA_INLINE V sub(V a, V b) { return _mm512_sub_ps(a, b); }
  static TESSERA_INLINE V max(V a, V b) { return _mm512_max_ps(a, b); }
  static TESSERA_INLINE T hmax(V v) { return _mm512_reduce_max_ps(v); }
  static TESSERA_INLINE T hsum(V v) { return _mm512_reduce_add_ps(v); }
  /**
   * e^x where s > -inf, else 0 (hidden scores give exactly zero probability). x below -87 (e^x under
   * FLT_MIN, negligible next to the row's largest term, 1) gives 0 too: no denormal arithmetic.
   */
  static TESSERA_INLINE V expMasked(V x, V s) {
    const __m512 hidden = _mm512_set1_ps(-std::numeric_limits<float>::infinity());
    const __m512 low = _mm512_set1_ps(-87.0f);
    const __mmask16 seen = _mm512_cmp_ps_mask(s, hidden, _CMP_NEQ_OQ) & _mm512_cmp_ps_mask(x, low, _CMP_GE_OQ);
    return _mm512_maskz_mov_ps(seen, avx512::expPs(_mm512_max_ps(x, low)));
  }
  /** v in lanes [0, n), fill elsewhere. */
  static TESSERA_INLINE V keepFirst(V v, i64 n, T fill) {
    const __mmask16 keep = n >= 16 ? 0xffff : (n <= 0 ? 0 : static_cast<__mmask16>((1u << n) - 1));
    return _mm512_mask_blend_ps(keep, _mm512_set1_ps(fill), v);
  }
  static constexpr int TB = 8;
  static TESSERA_INLINE void transposeBlock(const T* src, i64 rs, T* dst, i64 ld) {
    avx::transpose8x8(src, rs, dst, ld);
  }
};

struct VecD {
  using T = double;
  using V = __m512d;
  static constexpr int W = 8, R = 4, NC = 4;
  static TESSERA_INLINE V load(const T* p) { return _mm512_loadu_pd(p); }
  static TESSERA_INLINE void store(T* p, V v) { _mm512_storeu_pd(p, v); }
  static TESSERA_INLINE V set1(T v) { return _mm512_set1_pd(v); }
  static TESSERA_INLINE V zero() { return _mm512_setzero_pd(); }
  static TESSERA_INLINE V fma(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
  static TESSERA_INLINE V mul(V a, V b) { return _mm512_mul_pd(a, b); }
  static TESSERA_INLINE V add(V a, V b) { return _mm512_add_pd(a, b); }
  static TESSERA_INLINE V sub(V a, V b) { return _mm512_sub_pd(a, b); }
  static TESSERA_INLINE V max(V a, V b) { return _mm512_max_pd(a, b); }
  static TESSERA_INLINE T hmax(V v) { return _mm512_reduce_max_pd(v); }
  static TESSERA_INLINE T hsum(V v) { return _mm512_reduce_add_pd(v); }
  static TESSERA_INLINE V expMasked(V x, V s) {
    alignas(64) double xs[8], ss[8];
    _mm512_store_pd(xs, x);
    _mm512_store_pd(ss, s);
    for (int i = 0; i < 8; i++)
      xs[i] = ss[i] == -std::numeric_limits<double>::infinity() ? 0.0 : std::exp(xs[i]);
    return _mm512_load_pd(xs);
  }
  static TESSERA_INLINE V keepFirst(V v, i64 n, T fill) {
    const __mmask8 keep = n >= 8 ? 0xff : (n <= 0 ? 0 : static_cast<__mmask8>((1u << n) - 1));
    return _mm512_mask_blend_pd(keep, _mm512_set1_pd(fill), v);
  }
  static constexpr int TB = 4;
  static TESSERA_INLINE void transposeBlock(const T* src, i64 rs, T* dst, i64 ld) {
    avx::transpose4x4(src, rs, dst, ld);
  }
};

}  // namespace

#include "attention-isa.inc"

}  // namespace isa_avx512

const AttentionIsa& attentionAvx512() { return isa_avx512::kTable; }

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
