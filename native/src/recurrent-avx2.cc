// native/recurrent-avx2: the cell row loops compiled for AVX2 + FMA, float32 sigmoid and tanh on
// 8 lanes (the tail of a run through a zero-padded vector, so every element sees the same formula).
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>

#include "recurrent.h"

#if TESSERA_X86

#include "isa-target-avx2.h"

#include "simd-math-avx2.h"

namespace tessera {
namespace recurrent_avx2 {

template <typename F>
TESSERA_INLINE void vectorLoop(const float* x, float* out, i64 n, F f) {
  i64 i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, f(_mm256_loadu_ps(x + i)));
  if (i < n) {
    alignas(32) float tail[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (i64 j = i; j < n; j++) tail[j - i] = x[j];
    _mm256_store_ps(tail, f(_mm256_load_ps(tail)));
    for (i64 j = i; j < n; j++) out[j] = tail[j - i];
  }
}

void tanhLoopF32(const float* x, float* out, i64 n) { vectorLoop(x, out, n, avx2::tanhPs); }
void sigmoidLoopF32(const float* x, float* out, i64 n) { vectorLoop(x, out, n, avx2::sigmoidPs); }

#include "recurrent-isa.inc"

}  // namespace recurrent_avx2

const RecurrentIsa& recurrentAvx2() { return recurrent_avx2::kTable; }

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
