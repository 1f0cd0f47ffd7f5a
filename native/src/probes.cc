// native/probes: FMA-throughput and memory-bandwidth probes. The FMA loop keeps 24 independent
// accumulators so it is bound by the FMA ports (2 per cycle x 4 cycles latency needs >= 8).
#include "probes.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <vector>

#include "common.h"
#include "cpu-features.h"
#include "thread-pool.h"

namespace tessera {
namespace {

using Clock = std::chrono::steady_clock;

// flops of one call of a probe loop body below, per iteration
constexpr int kChains = 24;

// Named accumulators (an array would live in memory); the empty volatile asm marks them read
// and written each iteration so the compiler keeps every FMA. It emits no instruction.
#define TESSERA_REPEAT12(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)
#define TESSERA_REPEAT24(X) TESSERA_REPEAT12(X) X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23)

#if TESSERA_X86
__attribute__((target("avx512f"))) double fmaAvx512(std::int64_t iterations) {
#define DECLARE(i) __m512 acc##i = _mm512_set1_ps(1.0f + i * 1e-3f);
#define STEP(i) acc##i = _mm512_fmadd_ps(acc##i, a, b);
#define KEEP(i) __asm__ volatile("" : "+v"(acc##i));
  TESSERA_REPEAT24(DECLARE)
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (std::int64_t it = 0; it < iterations; it++) {
    TESSERA_REPEAT24(STEP)
    TESSERA_REPEAT24(KEEP)
  }
  return 2.0 * kChains * 16 * static_cast<double>(iterations);
}

__attribute__((target("avx2,fma"))) double fmaAvx2(std::int64_t iterations) {
  // 16 ymm registers: 12 chains fill 2 ports x 4 cycles of latency with room for a and b
#define DECLARE2(i) __m256 acc##i = _mm256_set1_ps(1.0f + i * 1e-3f);
#define STEP2(i) acc##i = _mm256_fmadd_ps(acc##i, a, b);
#define KEEP2(i) __asm__ volatile("" : "+x"(acc##i));
  TESSERA_REPEAT12(DECLARE2)
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (std::int64_t it = 0; it < iterations; it++) {
    TESSERA_REPEAT12(STEP2)
    TESSERA_REPEAT12(KEEP2)
  }
  return 2.0 * 12 * 8 * static_cast<double>(iterations);
}
#endif

double fmaScalar(std::int64_t iterations) {
#if TESSERA_X86
  // the portable path is compiled for baseline x86-64: SSE2, 4 lanes, a multiply and an add
  // per element (no FMA), which is what its auto-vectorized GEMM runs on
#define DECLARE1(i) __m128 acc##i = _mm_set1_ps(1.0f + i * 1e-3f);
#define STEP1(i) acc##i = _mm_add_ps(_mm_mul_ps(acc##i, a), b);
#define KEEP1(i) __asm__ volatile("" : "+x"(acc##i));
  TESSERA_REPEAT12(DECLARE1)
  const __m128 a = _mm_set1_ps(0.999999f), b = _mm_set1_ps(1e-7f);
  for (std::int64_t it = 0; it < iterations; it++) {
    TESSERA_REPEAT12(STEP1)
    TESSERA_REPEAT12(KEEP1)
  }
  return 2.0 * 12 * 4 * static_cast<double>(iterations);
#else
#define DECLARE1(i) float acc##i = 1.0f + i * 1e-3f;
#define STEP1(i) acc##i = acc##i * 0.999999f + 1e-7f;
#define KEEP1(i) __asm__ volatile("" : "+m"(acc##i));
  TESSERA_REPEAT12(DECLARE1)
  for (std::int64_t it = 0; it < iterations; it++) {
    TESSERA_REPEAT12(STEP1)
    TESSERA_REPEAT12(KEEP1)
  }
  return 2.0 * 12 * static_cast<double>(iterations);
#endif
}

double fmaRun(std::int64_t iterations) {
#if TESSERA_X86
  switch (activeIsa()) {
    case Isa::Avx512:
      return fmaAvx512(iterations);
    case Isa::Avx2:
      return fmaAvx2(iterations);
    case Isa::Scalar:
      break;
  }
#endif
  return fmaScalar(iterations);
}

}  // namespace

double fmaPeakGflops(int threads, double seconds) {
  threads = std::max(1, threads);
  // calibrate on one thread so that one run lasts about `seconds`
  std::int64_t iterations = 1 << 14;
  for (;;) {
    const auto t0 = Clock::now();
    fmaRun(iterations);
    const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
    if (dt > seconds / 4 || iterations > (std::int64_t{1} << 40)) {
      iterations = static_cast<std::int64_t>(iterations * (seconds / std::max(dt, 1e-9)));
      break;
    }
    iterations *= 4;
  }
  std::atomic<std::int64_t> flops{0};
  const int saved = numThreads();
  setNumThreads(threads);
  const auto t0 = Clock::now();
  parallelFor(threads, [&](int) { flops += static_cast<std::int64_t>(fmaRun(iterations)); });
  const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
  setNumThreads(saved);
  return static_cast<double>(flops.load()) / dt * 1e-9;
}

double triadBandwidthGBs(int threads, double megabytes, int repeats) {
  const std::size_t n = static_cast<std::size_t>(megabytes * 1e6 / sizeof(float));
  std::vector<float> a(n, 0.0f), b(n, 1.0f), c(n, 2.0f);
  const int saved = numThreads();
  setNumThreads(std::max(1, threads));
  const int tasks = std::max(1, threads);
  double best = 0;
  for (int rep = 0; rep < repeats; rep++) {
    const auto t0 = Clock::now();
    parallelFor(tasks, [&](int t) {
      const std::size_t lo = n * t / tasks, hi = n * (t + 1) / tasks;
      float* pa = a.data();
      const float* pb = b.data();
      const float* pc = c.data();
      for (std::size_t i = lo; i < hi; i++) pa[i] = pb[i] + 3.0f * pc[i];
    });
    const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
    best = std::max(best, 3.0 * n * sizeof(float) / dt * 1e-9);
  }
  setNumThreads(saved);
  return best;
}

}  // namespace tessera
