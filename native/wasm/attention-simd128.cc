// native/wasm/attention-simd128: the blockwise attention kernels (native/src/attention-isa.inc) for
// WebAssembly SIMD128, in the portable path's slot (attentionScalar): float32 on 4 lanes (register
// tile 4 x 2 vectors, the masked exp of simd-math-simd128.h, 4 x 4 block transposes); float64 one
// lane at a time with exp in double, as the portable path computes it.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "../src/attention.h"
#include "../src/parallel.h"
#include "simd-math-simd128.h"

namespace tessera {
namespace isa_simd128 {
namespace {

struct VecF {
  using T = float;
  using V = v128_t;
  static constexpr int W = 4, R = 4, NC = 2;
  static TESSERA_INLINE V load(const T* p) { return wasm_v128_load(p); }
  static TESSERA_INLINE void store(T* p, V v) { wasm_v128_store(p, v); }
  static TESSERA_INLINE V set1(T v) { return wasm_f32x4_splat(v); }
  static TESSERA_INLINE V zero() { return wasm_f32x4_splat(0.0f); }
  static TESSERA_INLINE V fma(V a, V b, V c) { return wasm_f32x4_add(wasm_f32x4_mul(a, b), c); }
  static TESSERA_INLINE V mul(V a, V b) { return wasm_f32x4_mul(a, b); }
  static TESSERA_INLINE V add(V a, V b) { return wasm_f32x4_add(a, b); }
  static TESSERA_INLINE V sub(V a, V b) { return wasm_f32x4_sub(a, b); }
  /** a > b ? a : b lane by lane (b where either is NaN), as the x86 and portable paths compute it. */
  static TESSERA_INLINE V max(V a, V b) { return wasm_v128_bitselect(a, b, wasm_f32x4_gt(a, b)); }
  static TESSERA_INLINE T hmax(V v) {
    const T l0 = wasm_f32x4_extract_lane(v, 0), l1 = wasm_f32x4_extract_lane(v, 1);
    const T l2 = wasm_f32x4_extract_lane(v, 2), l3 = wasm_f32x4_extract_lane(v, 3);
    const T a = l0 > l1 ? l0 : l1, b = l2 > l3 ? l2 : l3;
    return a > b ? a : b;
  }
  static TESSERA_INLINE T hsum(V v) {
    return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) +
           (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
  }
  /** e^x where s > -inf, else 0; x below -87 gives 0 too (no denormal results), as on x86. */
  static TESSERA_INLINE V expMasked(V x, V s) {
    const V low = wasm_f32x4_splat(-87.0f);
    const V seen = wasm_v128_and(wasm_f32x4_ne(s, wasm_f32x4_splat(-std::numeric_limits<float>::infinity())),
                                 wasm_f32x4_ge(x, low));
    return wasm_v128_and(seen, simd128::expPs(wasm_f32x4_max(x, low)));
  }
  /** v in lanes [0, n), fill elsewhere. */
  static TESSERA_INLINE V keepFirst(V v, i64 n, T fill) {
    const int count = static_cast<int>(std::max<i64>(0, std::min<i64>(4, n)));
    const V first = wasm_i32x4_lt(wasm_i32x4_make(0, 1, 2, 3), wasm_i32x4_splat(count));
    return wasm_v128_bitselect(v, wasm_f32x4_splat(fill), first);
  }
  static constexpr int TB = 4;
  static TESSERA_INLINE void transposeBlock(const T* src, i64 rs, T* dst, i64 ld) {
    simd128::transpose4x4(src, rs, dst, ld);
  }
};

/** Float64: one lane, exp in double (the portable path's VecScalar<double>). */
struct VecD {
  using T = double;
  using V = double;
  static constexpr int W = 1, R = 4, NC = 4;
  static TESSERA_INLINE V load(const T* p) { return *p; }
  static TESSERA_INLINE void store(T* p, V v) { *p = v; }
  static TESSERA_INLINE V set1(T v) { return v; }
  static TESSERA_INLINE V zero() { return 0.0; }
  static TESSERA_INLINE V fma(V a, V b, V c) { return a * b + c; }
  static TESSERA_INLINE V mul(V a, V b) { return a * b; }
  static TESSERA_INLINE V add(V a, V b) { return a + b; }
  static TESSERA_INLINE V sub(V a, V b) { return a - b; }
  static TESSERA_INLINE V max(V a, V b) { return a > b ? a : b; }
  static TESSERA_INLINE T hmax(V v) { return v; }
  static TESSERA_INLINE T hsum(V v) { return v; }
  static TESSERA_INLINE V expMasked(V x, V s) {
    return s == -std::numeric_limits<T>::infinity() ? 0.0 : std::exp(x);
  }
  static TESSERA_INLINE V keepFirst(V v, i64 n, T fill) { return n > 0 ? v : fill; }
  static constexpr int TB = 0;  // no block transpose: packTransposed's plain loop
  static void transposeBlock(const T*, i64, T*, i64) {}
};

}  // namespace

#include "../src/attention-isa.inc"

}  // namespace isa_simd128

const AttentionIsa& attentionScalar() { return isa_simd128::kTable; }

}  // namespace tessera
