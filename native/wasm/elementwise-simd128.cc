// native/wasm/elementwise-simd128: the element-wise loops (native/src/elementwise-isa.inc) for
// WebAssembly SIMD128, in the portable path's slot (elementwiseScalar): float32 exp, tanh and
// sigmoid on 4 lanes (log and the tails in double), everything else the same plain loops, which
// the compiler vectorizes for SIMD128.
#include <cmath>
#include <cstdint>
#include <limits>

#include "../src/elementwise-ops.h"
#include "../src/elementwise.h"
#include "simd-math-simd128.h"

namespace tessera {
namespace isa_simd128 {

template <typename F, typename G>
TESSERA_INLINE void vectorLoop(const float* x, float* out, i64 n, F f, G tail) {
  i64 i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, f(wasm_v128_load(x + i)));
  for (; i < n; i++) out[i] = static_cast<float>(tail(static_cast<double>(x[i])));
}

void expLoopF32(const float* x, float* out, i64 n) {
  vectorLoop(x, out, n, simd128::expPs, [](double v) { return std::exp(v); });
}
void logLoopF32(const float* x, float* out, i64 n) {
  for (i64 i = 0; i < n; i++) out[i] = static_cast<float>(std::log(static_cast<double>(x[i])));
}
void tanhLoopF32(const float* x, float* out, i64 n) {
  vectorLoop(x, out, n, simd128::tanhPs, [](double v) { return std::tanh(v); });
}
void sigmoidLoopF32(const float* x, float* out, i64 n) { vectorLoop(x, out, n, simd128::sigmoidPs, sigmoidRef); }

#include "../src/elementwise-isa.inc"

}  // namespace isa_simd128

const ElementwiseIsa& elementwiseScalar() { return isa_simd128::kTable; }

}  // namespace tessera
