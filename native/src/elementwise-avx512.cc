// native/elementwise-avx512: the element-wise loops compiled for AVX-512, with the float32
// special functions (exp, log, tanh, sigmoid) on 16 lanes and masked tails.
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#include <cmath>
#include <cstdint>
#include <limits>

#include "elementwise-ops.h"
#include "elementwise.h"

#if TESSERA_X86

#include "isa-target-avx512.h"

#include "simd-math-avx512.h"

namespace tessera {
namespace isa_avx512 {

template <typename F>
TESSERA_INLINE void vectorLoop(const float* x, float* out, i64 n, F f) {
  i64 i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, f(_mm512_loadu_ps(x + i)));
  if (i < n) {
    const __mmask16 m = static_cast<__mmask16>((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(out + i, m, f(_mm512_maskz_loadu_ps(m, x + i)));
  }
}

void expLoopF32(const float* x, float* out, i64 n) { vectorLoop(x, out, n, avx512::expPs); }
void logLoopF32(const float* x, float* out, i64 n) { vectorLoop(x, out, n, avx512::logPs); }
void tanhLoopF32(const float* x, float* out, i64 n) { vectorLoop(x, out, n, avx512::tanhPs); }
void sigmoidLoopF32(const float* x, float* out, i64 n) { vectorLoop(x, out, n, avx512::sigmoidPs); }

#include "elementwise-isa.inc"

}  // namespace isa_avx512

const ElementwiseIsa& elementwiseAvx512() { return isa_avx512::kTable; }

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
