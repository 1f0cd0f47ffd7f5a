// native/wasm/optim-simd128: the optimizer update loops (native/src/optim-isa.inc) for
// WebAssembly SIMD128, in the portable path's slot (optimScalar, which the dispatch takes on every
// non-x86 target): 4 floats or 2 doubles at a time. Division and square root are IEEE-exact in
// wasm and there is no fused multiply-add to contract into, so the results equal the reference
// bit for bit, as on the native paths (test/wasm/optim.test.ts).
#pragma GCC optimize("fp-contract=off")
#if defined(__clang__)
#pragma clang fp contract(off)
#endif
#include <wasm_simd128.h>

#include <cstdint>

#include "../src/optim.h"

namespace tessera {
namespace isa_simd128_optim {

// Vector types with arithmetic operators (v128_t itself is integer lanes), distinct for overloading.
typedef float F32x4 __attribute__((__vector_size__(16), __aligned__(16)));
typedef double F64x2 __attribute__((__vector_size__(16), __aligned__(16)));

template <typename T>
struct Vec;
template <>
struct Vec<float> {
  using V = F32x4;
  static constexpr i64 kLanes = 4;
};
template <>
struct Vec<double> {
  using V = F64x2;
  static constexpr i64 kLanes = 2;
};

TESSERA_INLINE F32x4 vset(float x) { return F32x4(wasm_f32x4_splat(x)); }
TESSERA_INLINE F64x2 vset(double x) { return F64x2(wasm_f64x2_splat(x)); }
TESSERA_INLINE F32x4 vadd(F32x4 a, F32x4 b) { return a + b; }
TESSERA_INLINE F64x2 vadd(F64x2 a, F64x2 b) { return a + b; }
TESSERA_INLINE F32x4 vsub(F32x4 a, F32x4 b) { return a - b; }
TESSERA_INLINE F64x2 vsub(F64x2 a, F64x2 b) { return a - b; }
TESSERA_INLINE F32x4 vmul(F32x4 a, F32x4 b) { return a * b; }
TESSERA_INLINE F64x2 vmul(F64x2 a, F64x2 b) { return a * b; }
TESSERA_INLINE F32x4 vdiv(F32x4 a, F32x4 b) { return a / b; }
TESSERA_INLINE F64x2 vdiv(F64x2 a, F64x2 b) { return a / b; }
TESSERA_INLINE F32x4 vsqrt(F32x4 a) { return F32x4(wasm_f32x4_sqrt(v128_t(a))); }
TESSERA_INLINE F64x2 vsqrt(F64x2 a) { return F64x2(wasm_f64x2_sqrt(v128_t(a))); }
TESSERA_INLINE F32x4 vabs(F32x4 a) { return F32x4(wasm_f32x4_abs(v128_t(a))); }
TESSERA_INLINE F64x2 vabs(F64x2 a) { return F64x2(wasm_f64x2_abs(v128_t(a))); }
TESSERA_INLINE F32x4 vneg(F32x4 a) { return F32x4(wasm_f32x4_neg(v128_t(a))); }
TESSERA_INLINE F64x2 vneg(F64x2 a) { return F64x2(wasm_f64x2_neg(v128_t(a))); }
// Math.sign: 1 where a > 0, -1 where a < 0, a itself elsewhere (+-0, NaN).
TESSERA_INLINE F32x4 vsign(F32x4 a) {
  const v128_t x = v128_t(a), zero = wasm_f32x4_splat(0.0f);
  const v128_t r = wasm_v128_bitselect(wasm_f32x4_splat(1.0f), x, wasm_f32x4_gt(x, zero));
  return F32x4(wasm_v128_bitselect(wasm_f32x4_splat(-1.0f), r, wasm_f32x4_lt(x, zero)));
}
TESSERA_INLINE F64x2 vsign(F64x2 a) {
  const v128_t x = v128_t(a), zero = wasm_f64x2_splat(0.0);
  const v128_t r = wasm_v128_bitselect(wasm_f64x2_splat(1.0), x, wasm_f64x2_gt(x, zero));
  return F64x2(wasm_v128_bitselect(wasm_f64x2_splat(-1.0), r, wasm_f64x2_lt(x, zero)));
}
// Math.max: a if a is NaN, else b if b is NaN or not below a (the scalar path's rule; no wasm
// max is used, since f32x4.max differs on signed zeros).
TESSERA_INLINE F32x4 vmaxJs(F32x4 a, F32x4 b) {
  const v128_t x = v128_t(a), y = v128_t(b);
  const v128_t larger = wasm_v128_bitselect(x, y, wasm_f32x4_gt(x, y));
  return F32x4(wasm_v128_bitselect(x, larger, wasm_f32x4_ne(x, x)));
}
TESSERA_INLINE F64x2 vmaxJs(F64x2 a, F64x2 b) {
  const v128_t x = v128_t(a), y = v128_t(b);
  const v128_t larger = wasm_v128_bitselect(x, y, wasm_f64x2_gt(x, y));
  return F64x2(wasm_v128_bitselect(x, larger, wasm_f64x2_ne(x, x)));
}
TESSERA_INLINE F32x4 vload(const float* p) { return F32x4(wasm_v128_load(p)); }
TESSERA_INLINE F64x2 vload(const double* p) { return F64x2(wasm_v128_load(p)); }
TESSERA_INLINE void vstore(float* p, F32x4 v) { wasm_v128_store(p, v128_t(v)); }
TESSERA_INLINE void vstore(double* p, F64x2 v) { wasm_v128_store(p, v128_t(v)); }

#include "../src/optim-isa.inc"

}  // namespace isa_simd128_optim

OptimRange optimScalar() { return &isa_simd128_optim::optimRange; }

}  // namespace tessera
