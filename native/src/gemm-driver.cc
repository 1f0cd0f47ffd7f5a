// native/gemm-driver: the loops around the micro-kernel, run by each thread on its block of C:
//   for jc (NC columns)      pack B (KC x NC) into NR-column panels -> L2
//     for pc (KC deep)
//       for ir (MR rows)     pack one A panel (MR x KC)             -> L1
//         for jr (NR panel)  micro-kernel: MR x NR tile of C in registers, B panel from L2
// The A panel stays in L1 while every B panel of the block streams past it. A transposed A is
// packed a block of panels at a time instead (see kTransABlockBytes), and a C a few tiles wide
// reads A in place (GemmKernel::tileInPlaceA). Threads take
// whole matrices of a batch, or split the rows of C (or, for short C, its columns), and each
// packs privately: no thread ever waits for another inside a GEMM. Sharing one packed B looks
// cheaper but measured slower on this 2-core machine: writing lines the other core has read
// costs a coherence round trip per line, more than packing all of B twice.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "cpu-features.h"
#include "gemm-small.h"
#include "gemm.h"
#include "thread-pool.h"

#if TESSERA_X86
#include <immintrin.h>
#define TESSERA_PREFETCH_L2(p) _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T1)
#else
#define TESSERA_PREFETCH_L2(p) __builtin_prefetch(p, 0, 2)
#endif

namespace tessera {
namespace {

// Regions with at most this many rows read an untransposed B in place instead of packing it.
constexpr i64 kDirectBMaxRows = 192;
// ... and so do regions whose B (k x columns) takes at most this much memory.
constexpr i64 kDirectBMaxBytes = 512 * 1024;

// A transposed A (stored (k, m): the weight gradient X^T dY) is packed many panels at a time, up
// to this many bytes per block: a panel alone reads MR values every m elements, which the
// hardware prefetchers miss; a block reads whole runs of A's rows. 1T, l3-resident operands,
// 512x128x2048: 78 -> 90 GFLOP/s (bench/gemm-shapes.bench.ts measures such shapes).
constexpr i64 kTransABlockBytes = 384 * 1024;

// C regions at most this many NR-column panels wide read an untransposed A in place (see
// GemmKernel::tileInPlaceA). 1 thread, GFLOP/s packed -> in place: 256x10x256 49 -> 65,
// 2048x32x512 91 -> 110, 2048x64x128 101 -> 108, 336x64x288 (the convnet's second conv) 102 ->
// 109, 2048x65x128 84 -> 88; at 4 panels (2048x128x128) no difference, wider C loses a little.
constexpr i64 kInPlaceAMaxPanels = 3;

// The tiled path uses as many threads as get at least this much work each (about 5 us): a worker
// that is awake takes its part within a microsecond, and the caller never waits for one that is
// not (it runs the part itself). MLP batch 256, 256x10x256 + bias, 2 threads: 21 -> 12 us.
constexpr double kMinFlopsPerThread = 0.5e6;

i64 ceilDiv(i64 a, i64 b) { return (a + b - 1) / b; }

/** Splits `total` into pieces of at most `block`, all about the same size. */
i64 balancedBlock(i64 total, i64 block) {
  if (total <= block) return total;
  return ceilDiv(total, ceilDiv(total, block));
}

/** A positive integer from the environment, or 0. */
int positiveEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return 0;
  const int v = std::atoi(value);
  return v > 0 && v <= (1 << 20) ? v : 0;
}

template <typename T>
GemmKernel<T> kernelFor(Isa isa) {
  GemmKernel<T> kr;
#if TESSERA_X86
  if (isa == Isa::Avx512) kr = gemmKernelAvx512<T>();
  else if (isa == Isa::Avx2) kr = gemmKernelAvx2<T>();
  else kr = gemmKernelScalar<T>();
#else
  (void)isa;
  kr = gemmKernelScalar<T>();
#endif
  // tuning knobs for other machines: TESSERA_GEMM_KC / TESSERA_GEMM_NC override the blocking
  static const int kcOverride = positiveEnv("TESSERA_GEMM_KC");
  static const int ncOverride = positiveEnv("TESSERA_GEMM_NC");
  if (kcOverride > 0) kr.kc = kcOverride;
  if (ncOverride > 0) kr.nc = (ncOverride + kr.nr - 1) / kr.nr * kr.nr;
  return kr;
}

/** Per-thread buffer for the A panel, reused across calls. */
thread_local AlignedBuffer aPanelBuffer;

/** Per-thread buffer for the packed B block, reused across calls. */
thread_local AlignedBuffer bBlockBuffer;

/** Where a thread works: rows [m0, m1) and columns [n0, n1) of C. */
struct Region {
  i64 m0, m1, n0, n1;
};

/** Packs op(B)[pc:pc+kc, j0:j0+cols] into consecutive NR-column panels at dst. */
template <typename T>
void packBBlock(const GemmProblem<T>& pr, const GemmKernel<T>& kr, const T* b, i64 pc, i64 kc, i64 j0, i64 cols,
                T* dst) {
  if (cols <= 0) return;
  if (pr.transB) kr.packColumns(b + j0 * pr.k + pc, pr.k, kc, cols, kr.nr, dst);  // B stored (n, k)
  else kr.packRows(b + pc * pr.n + j0, pr.n, kc, cols, kr.nr, dst);               // B stored (k, n)
}

/**
 * Packs op(A)[i0:i0+rows, pc:pc+kc] into consecutive MR-row panels: one panel (rows <= MR) of an
 * untransposed A, a block of panels of a transposed one (rows <= mcMax, see kTransABlockBytes).
 */
template <typename T>
void packA(const GemmProblem<T>& pr, const GemmKernel<T>& kr, const T* a, i64 i0, i64 rows, i64 pc, i64 kc, T* dst) {
  if (pr.transA) kr.packRows(a + pc * pr.m + i0, pr.m, kc, rows, kr.mr, dst);  // A stored (k, m)
  else kr.packColumns(a + i0 * pr.k + pc, pr.k, kc, rows, kr.mr, dst);         // A stored (m, k)
}

/** Asks for the source rows of the next A panel to be brought into L2, a slice per tile. */
template <typename T>
void prefetchAPanelSlice(const GemmProblem<T>& pr, const T* a, i64 i0, i64 rows, i64 pc, i64 kc, i64 slice,
                         i64 slices) {
  if (pr.transA || rows <= 0) return;  // a transposed A is packed a block at a time (packRows prefetches)
  const i64 linesPerRow = ceilDiv(kc * static_cast<i64>(sizeof(T)), 64);
  const i64 total = rows * linesPerRow;
  const i64 from = total * slice / slices, to = total * (slice + 1) / slices;
  for (i64 l = from; l < to; l++) {
    const i64 r = l / linesPerRow, offset = (l % linesPerRow) * (64 / static_cast<i64>(sizeof(T)));
    TESSERA_PREFETCH_L2(a + (i0 + r) * pr.k + pc + offset);
  }
}

/** C[m0:m1, n0:n1] of one batch entry. */
template <typename T>
void gemmRegion(const GemmProblem<T>& pr, const GemmKernel<T>& kr, i64 batchIndex, const Region& region) {
  const i64 k = pr.k;
  const T* a = pr.a + batchIndex * pr.aBatchStride;
  const T* b = pr.b + batchIndex * pr.bBatchStride;
  T* c = pr.c + batchIndex * pr.m * pr.n;
  const int MR = kr.mr, NR = kr.nr;
  const i64 kcMax = balancedBlock(k, kr.kc);
  const i64 width = region.n1 - region.n0;
  const i64 ncMax = std::min(width, ceilDiv(balancedBlock(width, kr.nc), NR) * NR);
  // rows of op(A) packed at once: whole panels, a block of them for a transposed A
  const i64 blockCap = std::max<i64>(MR, kTransABlockBytes / (static_cast<i64>(sizeof(T)) * kcMax) / MR * MR);
  const i64 mcMax = pr.transA ? ceilDiv(balancedBlock(region.m1 - region.m0, blockCap), MR) * MR : MR;
  T* ap = static_cast<T*>(aPanelBuffer.reserve(sizeof(T) * mcMax * kcMax));
  T* bp = static_cast<T*>(bBlockBuffer.reserve(sizeof(T) * ceilDiv(ncMax, NR) * NR * kcMax));
  // Packing B costs about as much per element as a short row block of C computes with it: for
  // few rows per thread, or a B that fits L2 comfortably, read an untransposed B in place (its
  // rows stream at a fixed stride) rather than pack it. Row strides of 4 KiB multiples would
  // alias in L1 and the TLB: those are always packed.
  const bool direct = !pr.transB && (pr.n * static_cast<i64>(sizeof(T))) % 4096 != 0 &&
                      (region.m1 - region.m0 <= kDirectBMaxRows ||
                       k * width * static_cast<i64>(sizeof(T)) <= kDirectBMaxBytes);

  // A C at most kInPlaceAMaxPanels tiles wide reads an untransposed A in place: each A panel would
  // serve few tiles. Row strides of 4 KiB multiples put the tile's rows in one L1 set: packed.
  const bool inPlaceA = kr.tileInPlaceA != nullptr && !pr.transA && width <= kInPlaceAMaxPanels * NR &&
                        (k * static_cast<i64>(sizeof(T))) % 4096 != 0;
  const auto tile = inPlaceA ? kr.tileInPlaceA : kr.tile;

  for (i64 jc = region.n0; jc < region.n1; jc += ncMax) {
    const i64 nc = std::min(ncMax, region.n1 - jc);
    const i64 panels = ceilDiv(nc, NR);
    for (i64 pc = 0; pc < k; pc += kcMax) {
      const i64 kc = std::min(kcMax, k - pc);
      // In place, full panels are read straight from B; only a last partial panel is packed.
      const i64 fullPanels = direct ? nc / NR : 0;
      if (direct) packBBlock(pr, kr, b, pc, kc, jc + fullPanels * NR, nc - fullPanels * NR, bp);
      else packBBlock(pr, kr, b, pc, kc, jc, nc, bp);
      TileArgs<T> t;
      t.kc = kc;
      t.ldc = pr.n;
      t.accumulate = pc > 0;
      t.epilogue = pc + kc == k;
      t.activation = pr.activation;
      t.aRowStride = pr.k;  // read by tileInPlaceA only
      for (i64 ir = region.m0; ir < region.m1; ir += MR) {
        const int rows = static_cast<int>(std::min<i64>(MR, region.m1 - ir));
        const i64 next = ir + MR;
        const i64 nextRows = pr.transA || inPlaceA ? 0 : std::min<i64>(MR, region.m1 - next);
        if (pr.transA) {
          const i64 inBlock = (ir - region.m0) % mcMax;
          if (inBlock == 0) packA(pr, kr, a, ir, std::min(mcMax, region.m1 - ir), pc, kc, ap);
          t.ap = ap + inBlock / MR * kc * MR;
        } else if (inPlaceA) {
          t.ap = a + ir * pr.k + pc;
        } else {
          if (ir == region.m0) packA(pr, kr, a, ir, rows, pc, kc, ap);
          t.ap = ap;
        }
        t.rows = rows;
        for (i64 jr = 0; jr < nc; jr += NR) {
          prefetchAPanelSlice(pr, a, next, nextRows, pc, kc, jr / NR, panels);
          if (jr / NR < fullPanels) {
            t.bp = b + pc * pr.n + jc + jr;
            t.bStride = pr.n;
          } else {
            t.bp = bp + (jr / NR - fullPanels) * kc * NR;
            t.bStride = NR;
          }
          t.cols = static_cast<int>(std::min<i64>(NR, nc - jr));
          t.bias = pr.bias != nullptr ? pr.bias + jc + jr : nullptr;
          t.c = c + ir * pr.n + jc + jr;
          tile(t);
        }
        if (nextRows > 0) packA(pr, kr, a, next, nextRows, pc, kc, ap);
      }
    }
  }
}

template <typename T>
void fillThenEpilogue(const GemmProblem<T>& pr) {
  const i64 total = pr.batch * pr.m * pr.n;
  std::fill(pr.c, pr.c + total, T(0));
  if (pr.bias == nullptr && pr.activation == Activation::None) return;
  for (i64 row = 0; row < pr.batch * pr.m; row++)
    epilogueGeneric<T>(pr.c + row * pr.n, pr.n, 1, static_cast<int>(pr.n), pr.bias, pr.activation);
}

}  // namespace

template <typename T>
void gemm(const GemmProblem<T>& pr) {
  if (pr.batch == 0 || pr.m == 0 || pr.n == 0) return;
  if (pr.k == 0) {
    fillThenEpilogue(pr);
    return;
  }
  const GemmKernel<T> kr = kernelFor<T>(activeIsa());
  const double flops = 2.0 * pr.batch * pr.m * pr.n * pr.k;
#if TESSERA_X86
  // a C of one to four rows (inference on a few samples): whole rows in registers (gemm-small.h)
  if constexpr (sizeof(T) == 4) {
    // below this many flops a GEMM of 1-4 rows runs on the calling thread only (gemm-small.h
    // decides the rest): waking a worker costs more
    constexpr double kParallelMinFlops = 1.5e6;
    if (pr.m <= kSmallRowsMax && !pr.transB && activeIsa() == Isa::Avx512) {
      gemmSmallRowsAvx512(pr, balancedBlock(pr.k, kr.kc), flops < kParallelMinFlops ? 1 : numThreads());
      return;
    }
  }
#endif
  const int threads = static_cast<int>(std::max(1.0, std::min<double>(numThreads(), flops / kMinFlopsPerThread)));
  const auto forBatch = [&](const Region& region, i64 b0, i64 b1) {
    for (i64 bt = b0; bt < b1; bt++) gemmRegion(pr, kr, bt, region);
  };
  const Region whole{0, pr.m, 0, pr.n};
  if (threads <= 1) {
    forBatch(whole, 0, pr.batch);
    return;
  }
  if (pr.batch >= threads && (pr.batch % threads == 0 || pr.batch >= 4 * threads)) {
    // whole matrices per thread: contiguous ranges of the batch
    parallelTeam(threads, [&](int tid, int count) {
      forBatch(whole, pr.batch * tid / count, pr.batch * (tid + 1) / count);
    });
    return;
  }
  // Each thread reads all of op(B) when the rows are split, all of op(A) when the columns are:
  // split the longer side of C, so the larger operand is the one divided.
  const bool columnsLonger = pr.n > pr.m && pr.n >= static_cast<i64>(kr.nr) * threads;
  if (pr.m >= static_cast<i64>(kr.mr) * threads && !columnsLonger) {
    // rows of C split evenly
    parallelTeam(threads, [&](int tid, int count) {
      forBatch(Region{pr.m * tid / count, pr.m * (tid + 1) / count, 0, pr.n}, 0, pr.batch);
    });
    return;
  }
  // few rows, or more columns than rows: each thread takes a run of whole NR-column panels
  parallelTeam(threads, [&](int tid, int count) {
    const i64 panels = ceilDiv(pr.n, kr.nr);
    const i64 n0 = std::min(pr.n, panels * tid / count * kr.nr);
    const i64 n1 = std::min(pr.n, panels * (tid + 1) / count * kr.nr);
    if (n0 < n1) forBatch(Region{0, pr.m, n0, n1}, 0, pr.batch);
  });
}

template void gemm<float>(const GemmProblem<float>&);
template void gemm<double>(const GemmProblem<double>&);

}  // namespace tessera
