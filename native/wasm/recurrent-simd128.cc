// native/wasm/recurrent-simd128: the cell row loops (native/src/recurrent-isa.inc) for WebAssembly
// SIMD128, in the portable path's slot (recurrentScalar): float32 sigmoid and tanh on 4 lanes, the
// tail of a run through a zero-padded vector so every element sees the same formula.
#include <algorithm>
#include <cmath>

#include "../src/recurrent.h"
#include "simd-math-simd128.h"

namespace tessera {
namespace recurrent_simd128 {

template <typename F>
TESSERA_INLINE void vectorLoop(const float* x, float* out, i64 n, F f) {
  i64 i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, f(wasm_v128_load(x + i)));
  if (i < n) {
    alignas(16) float tail[4] = {0, 0, 0, 0};
    for (i64 j = i; j < n; j++) tail[j - i] = x[j];
    wasm_v128_store(tail, f(wasm_v128_load(tail)));
    for (i64 j = i; j < n; j++) out[j] = tail[j - i];
  }
}

void tanhLoopF32(const float* x, float* out, i64 n) { vectorLoop(x, out, n, simd128::tanhPs); }
void sigmoidLoopF32(const float* x, float* out, i64 n) { vectorLoop(x, out, n, simd128::sigmoidPs); }

#include "../src/recurrent-isa.inc"

}  // namespace recurrent_simd128

const RecurrentIsa& recurrentScalar() { return recurrent_simd128::kTable; }

}  // namespace tessera
