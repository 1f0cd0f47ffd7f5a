// native/wasm/norm-simd128: the norm and GELU loops (native/src/norm-isa.inc) for WebAssembly
// SIMD128, in the portable path's slot (normScalar): float32 GELU on 4 lanes with the vector exp
// of simd-math-simd128.h.
#include <cmath>

#include "../src/norm.h"
#include "simd-math-simd128.h"

namespace tessera {
namespace norm_simd128 {

#define TESSERA_NORM_VECTOR 1
/** A vector type with arithmetic operators, as norm-isa.inc expects (v128_t's are integer lanes). */
typedef float VecF __attribute__((__vector_size__(16), __aligned__(16)));
constexpr i64 kLanes = 4;
TESSERA_INLINE VecF loadV(const float* p) { return (VecF)(wasm_v128_load(p)); }
TESSERA_INLINE void storeV(float* p, VecF v) { wasm_v128_store(p, (v128_t)(v)); }
TESSERA_INLINE VecF expV(VecF v) { return (VecF)(simd128::expPs((v128_t)(v))); }

#include "../src/norm-isa.inc"

#undef TESSERA_NORM_VECTOR

}  // namespace norm_simd128

const NormIsa& normScalar() { return norm_simd128::kTable; }

}  // namespace tessera
