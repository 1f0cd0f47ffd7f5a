// native/wasm/noise-simd128: the Gaussian-noise and dropout loops (native/src/noise-isa.inc) for
// WebAssembly SIMD128, in the slot of the portable path (noiseScalar(), which the driver takes
// on every non-x86 target): two counter blocks per step, one per 64-bit lane of a v128.
// Philox's 32 x 32-bit products are i64x2.extmul_low_u32x4 of the words gathered into the low
// 32-bit lanes; Box-Muller runs in f64x2 (division and square root are IEEE-exact in wasm, and
// there is no fused multiply-add to contract into), so every lane computes the reference's
// operations in its order and the bits match the reference and the native paths
// (test/wasm/noise.test.ts).
// Measured (V8 11.3, Zen 4, float32, 2^20 elements, CPU time): 8.2 ns an element, against 11.4
// for the portable loop clang auto-vectorized. What did not help: two v128 per word (kLanes 4,
// 9.3 ns: V8 spills), a phased loop (all words, then all radii, then all angles: 8.7 ns), and
// Philox on u32x4 (four blocks a vector, 7.2-7.6 ns but three shuffles a product, which V8 11
// lowers to pshufb with masks built in registers). The rest is the series' dependent chains.
#pragma GCC optimize("fp-contract=off")
#if defined(__clang__)
#pragma clang fp contract(off)
#endif
#include <wasm_simd128.h>

#include <algorithm>

#include "../src/noise.h"

namespace tessera {
namespace noise_simd128 {

using VecU = std::uint64_t __attribute__((vector_size(16)));
using VecD = double __attribute__((vector_size(16)));
constexpr int kLanes = 2;

TESSERA_INLINE VecU splatU(std::uint64_t v) { return VecU{} + v; }
TESSERA_INLINE VecD splatD(double v) { return VecD{} + v; }
TESSERA_INLINE VecU iotaU() { return VecU{0, 1}; }
TESSERA_INLINE VecD asD(VecU v) { return reinterpret_cast<VecD>(v); }
TESSERA_INLINE VecU asU(VecD v) { return reinterpret_cast<VecU>(v); }

/** Low 32 bits of a times low 32 bits of b, per 64-bit lane. */
TESSERA_INLINE VecU mulWide(VecU a, VecU b) {
  v128_t x = wasm_i32x4_shuffle(v128_t(a), v128_t(a), 0, 2, 0, 2);
  v128_t y = wasm_i32x4_shuffle(v128_t(b), v128_t(b), 0, 2, 0, 2);
  // NOTE: opaque operands. Otherwise clang folds the extension of the constant multiplier (or
  // hoists it out of the loop), no longer sees an extmul, and emits i64x2.mul: 8 instructions
  // in V8 instead of 3.
  __asm__("" : "+r"(x), "+r"(y));
  return VecU(wasm_u64x2_extmul_low_u32x4(x, y));
}

TESSERA_INLINE VecD sqrtV(VecD v) { return VecD(wasm_f64x2_sqrt(v128_t(v))); }

/** The 2 x 4 transpose of (z0, z1, z2, z3): block j's four normals at z + 4 j. */
TESSERA_INLINE void storeBlocks(double* z, VecD z0, VecD z1, VecD z2, VecD z3) {
  const v128_t a = v128_t(z0), b = v128_t(z1), c = v128_t(z2), d = v128_t(z3);
  wasm_v128_store(z, wasm_i64x2_shuffle(a, b, 0, 2));
  wasm_v128_store(z + 2, wasm_i64x2_shuffle(c, d, 0, 2));
  wasm_v128_store(z + 4, wasm_i64x2_shuffle(a, b, 1, 3));
  wasm_v128_store(z + 6, wasm_i64x2_shuffle(c, d, 1, 3));
}

#include "../src/noise-isa.inc"

}  // namespace noise_simd128

const NoiseIsa& noiseScalar() { return noise_simd128::kTable; }

}  // namespace tessera
