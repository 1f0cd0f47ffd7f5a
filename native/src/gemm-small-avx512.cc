// native/gemm-small-avx512: the AVX-512 float32 path of gemm-small.h. One call computes a block of
// C: ROWS rows by up to NV vectors of 16 columns, all in registers (ROWS * NV <= 16 accumulators),
// reading each row of B once per k step: C[r, j] = sum over p of A[r, p] * B[p, j].
// Every function in this file is compiled for AVX-512 and only called after CPUID said so.
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <utility>

#include "gemm-small-split.h"
#include "gemm-small.h"
#include "thread-pool.h"

#if TESSERA_X86

#include "isa-target-avx512.h"

#include "simd-math-avx512.h"

namespace tessera {
namespace {

constexpr int kLanes = 16;

TESSERA_INLINE __mmask16 laneMask(i64 count) {
  if (count <= 0) return 0;
  if (count >= kLanes) return static_cast<__mmask16>(0xFFFF);
  return static_cast<__mmask16>((1u << count) - 1);
}

/** Lanes [from, to) of a vector (clipped to [0, 16)). */
TESSERA_INLINE __mmask16 laneRange(i64 from, i64 to) {
  return static_cast<__mmask16>(laneMask(to) & ~laneMask(from));
}

/** p - back elements, as an address (it may precede the array: only masked-off lanes read there). */
template <typename T>
TESSERA_INLINE T* before(T* p, i64 back) {
  return reinterpret_cast<T*>(reinterpret_cast<std::uintptr_t>(p) - static_cast<std::uintptr_t>(back) * sizeof(T));
}

/**
 * C[r0 : r0 + ROWS, j0 : j0 + cols] for one batch entry (lead + cols <= NV * 16; the first
 * vector starts `lead` columns before j0, those lanes masked off). The same operation
 * order as the tiled micro-kernel (gemm-avx512.cc): per k block a fresh sum, added to the partial
 * C of the earlier blocks, then bias and activation on the last block.
 */
template <int ROWS, int NV>
void rowsBlock(const GemmProblem<float>& pr, const float* a, const float* b, float* c, i64 r0, i64 j0, i64 cols,
               i64 lead, i64 kcMax) {
  const i64 k = pr.k, n = pr.n, m = pr.m;
  // vector v holds columns j0 - lead + 16 v + lane; lanes outside [j0, j0 + cols) are masked off
  __mmask16 mask[NV];
#pragma GCC unroll 16
  for (int v = 0; v < NV; v++) {
    const i64 first = static_cast<i64>(v) * kLanes - lead;  // column of lane 0, from j0
    mask[v] = laneRange(-first, cols - first);
  }
  // A[r, p] lives at a[r * k + p], or at a[p * m + r] when A is stored transposed (k, m)
  const i64 rowStep = pr.transA ? 1 : k, kStep = pr.transA ? m : 1;
  for (i64 pc = 0; pc < k; pc += kcMax) {
    const i64 kc = std::min(kcMax, k - pc);
    __m512 acc[ROWS][NV];
#pragma GCC unroll 16
    for (int r = 0; r < ROWS; r++)
#pragma GCC unroll 16
      for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
    const float* bp = before(b + pc * n + j0, lead);
    const float* ap = a + r0 * rowStep + pc * kStep;
    for (i64 p = 0; p < kc; p++, bp += n, ap += kStep) {
      __m512 av[ROWS];
#pragma GCC unroll 4
      for (int r = 0; r < ROWS; r++) av[r] = _mm512_set1_ps(ap[r * rowStep]);
#pragma GCC unroll 16
      for (int v = 0; v < NV; v++) {
        const __m512 bv = _mm512_maskz_loadu_ps(mask[v], bp + v * kLanes);
#pragma GCC unroll 4
        for (int r = 0; r < ROWS; r++) acc[r][v] = _mm512_fmadd_ps(av[r], bv, acc[r][v]);
      }
    }
    const bool last = pc + kc == k;
    const Activation act = last ? pr.activation : Activation::None;
    const float* bias = last && pr.bias != nullptr ? before(pr.bias + j0, lead) : nullptr;
#pragma GCC unroll 4
    for (int r = 0; r < ROWS; r++) {
      float* row = before(c + (r0 + r) * n + j0, lead);
#pragma GCC unroll 16
      for (int v = 0; v < NV; v++) {
        __m512 x = acc[r][v];
        if (pc > 0) x = _mm512_add_ps(x, _mm512_maskz_loadu_ps(mask[v], row + v * kLanes));
        if (bias != nullptr) x = _mm512_add_ps(x, _mm512_maskz_loadu_ps(mask[v], bias + v * kLanes));
        if (act == Activation::Relu) x = _mm512_max_ps(_mm512_setzero_ps(), x);
        else if (act == Activation::Sigmoid) x = avx512::sigmoidPs(x);
        else if (act == Activation::Tanh) x = avx512::tanhPs(x);
        _mm512_mask_storeu_ps(row + v * kLanes, mask[v], x);
      }
    }
  }
}

template <int ROWS, int NV>
void rowsBlockOf(const GemmProblem<float>& pr, const float* a, const float* b, float* c, i64 r0, i64 j0, i64 cols,
                 i64 lead, i64 kcMax) {
  rowsBlock<ROWS, NV>(pr, a, b, c, r0, j0, cols, lead, kcMax);
}

using RowsBlockFn = void (*)(const GemmProblem<float>&, const float*, const float*, float*, i64, i64, i64, i64, i64);

/** rowsBlock<ROWS, v + 1> for v in [0, MAXV): a pass as wide as the columns it is given. */
template <int ROWS, int... V>
constexpr std::array<RowsBlockFn, sizeof...(V)> rowsBlockTable(std::integer_sequence<int, V...>) {
  return {&rowsBlockOf<ROWS, V + 1>...};
}

/**
 * Rows [r0, r0 + ROWS) over columns [j0, j1): passes of at most MAXV vectors, as few and as even
 * as possible, each exactly as wide as its columns (a thread's share of 128 columns is one pass of
 * 8 accumulators, not eight passes of one, whose single FMA chain is latency-bound).
 */
template <int ROWS, int MAXV>
void rowsRange(const GemmProblem<float>& pr, const float* a, const float* b, float* c, i64 r0, i64 j0, i64 j1,
               i64 kcMax) {
  static constexpr std::array<RowsBlockFn, MAXV> table =
      rowsBlockTable<ROWS>(std::make_integer_sequence<int, MAXV>{});
  // When every row of B starts at the same offset within a 64-byte line (n a multiple of 16),
  // vectors start on line boundaries ("lead" columns before j0 masked off): each load then reads
  // one cache line, not two (JavaScript's large arrays start 16 bytes into a line).
  const std::uintptr_t address = reinterpret_cast<std::uintptr_t>(b + j0);
  const i64 lead = pr.n % kLanes == 0 && address % sizeof(float) == 0
                       ? static_cast<i64>(address % (kLanes * sizeof(float)) / sizeof(float))
                       : 0;
  const i64 vectors = (lead + j1 - j0 + kLanes - 1) / kLanes;
  const i64 passes = (vectors + MAXV - 1) / MAXV;
  for (i64 q = 0; q < passes; q++) {
    const i64 v0 = vectors * q / passes, v1 = vectors * (q + 1) / passes;
    const i64 from = std::max(j0, j0 - lead + v0 * kLanes), to = std::min(j1, j0 - lead + v1 * kLanes);
    table[static_cast<std::size_t>(v1 - v0 - 1)](pr, a, b, c, r0, from, to - from, q == 0 ? lead : 0, kcMax);
  }
}

/** Every row of one batch entry's C over columns [j0, j1). */
void entryColumns(const GemmProblem<float>& pr, i64 entry, i64 j0, i64 j1, i64 kcMax) {
  const float* a = pr.a + entry * pr.aBatchStride;
  const float* b = pr.b + entry * pr.bBatchStride;
  float* c = pr.c + entry * pr.m * pr.n;
  switch (pr.m) {
    case 1: return rowsRange<1, 16>(pr, a, b, c, 0, j0, j1, kcMax);
    case 2: return rowsRange<2, 8>(pr, a, b, c, 0, j0, j1, kcMax);
    case 3: return rowsRange<3, 4>(pr, a, b, c, 0, j0, j1, kcMax);
    default:
      for (i64 r0 = 0; r0 < pr.m; r0 += 4) {
        if (pr.m - r0 >= 4) rowsRange<4, 4>(pr, a, b, c, r0, j0, j1, kcMax);
        else for (i64 r = r0; r < pr.m; r++) rowsRange<1, 16>(pr, a, b, c, r, j0, j1, kcMax);
      }
  }
}

}  // namespace

void gemmSmallRowsAvx512(const GemmProblem<float>& pr, i64 kcBlock, int driverThreads) {
  const i64 vectors = (pr.n + kLanes - 1) / kLanes;
  // one matrix below the flop rule: threads by bytes of B and awake workers (gemm-small-split.h)
  const bool byPolicy = driverThreads <= 1 && pr.batch == 1;
  const int threads =
      byPolicy ? small_split::policy().threads(pr.k * pr.n * static_cast<i64>(sizeof(float)), vectors)
               : driverThreads;
  if (threads <= 1) {
    for (i64 entry = 0; entry < pr.batch; entry++) entryColumns(pr, entry, 0, pr.n, kcBlock);
    return;
  }
  if (pr.batch >= threads) {
    // whole batch entries per thread
    parallelTeam(threads, [&](int part, int count) {
      for (i64 entry = pr.batch * part / count; entry < pr.batch * (part + 1) / count; entry++)
        entryColumns(pr, entry, 0, pr.n, kcBlock);
    });
    return;
  }
  // columns split in runs of whole vectors, every batch entry in each part
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<bool> helped{false};
  parallelTeam(threads, [&](int part, int count) {
    if (std::this_thread::get_id() != caller) helped.store(true, std::memory_order_relaxed);
    const i64 j0 = std::min(pr.n, vectors * part / count * kLanes);
    const i64 j1 = std::min(pr.n, vectors * (part + 1) / count * kLanes);
    if (j0 < j1)
      for (i64 entry = 0; entry < pr.batch; entry++) entryColumns(pr, entry, j0, j1, kcBlock);
  });
  if (byPolicy) small_split::policy().record(helped.load(std::memory_order_relaxed));
}

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
