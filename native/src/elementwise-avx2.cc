// native/elementwise-avx2: the element-wise loops compiled for AVX2 + FMA, with the float32
// exp, tanh and sigmoid on 8 lanes (log and the tails in double precision).
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#include <cmath>
#include <cstdint>
#include <limits>

#include "elementwise-ops.h"
#include "elementwise.h"

#if TESSERA_X86

#include "isa-target-avx2.h"

#include "simd-math-avx2.h"

namespace tessera {
namespace isa_avx2 {

template <typename F, typename G>
TESSERA_INLINE void vectorLoop(const float* x, float* out, i64 n, F f, G tail) {
  i64 i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, f(_mm256_loadu_ps(x + i)));
  for (; i < n; i++) out[i] = static_cast<float>(tail(static_cast<double>(x[i])));
}

void expLoopF32(const float* x, float* out, i64 n) {
  vectorLoop(x, out, n, avx2::expPs, [](double v) { return std::exp(v); });
}
void logLoopF32(const float* x, float* out, i64 n) {
  for (i64 i = 0; i < n; i++) out[i] = static_cast<float>(std::log(static_cast<double>(x[i])));
}
void tanhLoopF32(const float* x, float* out, i64 n) {
  vectorLoop(x, out, n, avx2::tanhPs, [](double v) { return std::tanh(v); });
}
void sigmoidLoopF32(const float* x, float* out, i64 n) { vectorLoop(x, out, n, avx2::sigmoidPs, sigmoidRef); }

#include "elementwise-isa.inc"

}  // namespace isa_avx2

const ElementwiseIsa& elementwiseAvx2() { return isa_avx2::kTable; }

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
