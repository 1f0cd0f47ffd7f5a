// native/recurrent-avx512: the cell row loops compiled for AVX-512 (F, DQ, BW, VL), float32
// sigmoid and tanh on 16 lanes, the tail of a run through a masked load and store.
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>

#include "recurrent.h"

#if TESSERA_X86

#include "isa-target-avx512.h"

#include "simd-math-avx512.h"

namespace tessera {
namespace recurrent_avx512 {

template <typename F>
TESSERA_INLINE void vectorLoop(const float* x, float* out, i64 n, F f) {
  i64 i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, f(_mm512_loadu_ps(x + i)));
  if (i < n) {
    const __mmask16 m = static_cast<__mmask16>((1u << (n - i)) - 1u);
    _mm512_mask_storeu_ps(out + i, m, f(_mm512_maskz_loadu_ps(m, x + i)));
  }
}

void tanhLoopF32(const float* x, float* out, i64 n) { vectorLoop(x, out, n, avx512::tanhPs); }
void sigmoidLoopF32(const float* x, float* out, i64 n) { vectorLoop(x, out, n, avx512::sigmoidPs); }

#include "recurrent-isa.inc"

}  // namespace recurrent_avx512

const RecurrentIsa& recurrentAvx512() { return recurrent_avx512::kTable; }

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
