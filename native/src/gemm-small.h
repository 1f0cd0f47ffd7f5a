// native/gemm-small: float32 GEMMs whose C has very few rows (m <= 4, an inference batch of one to
// four samples through a dense layer), on AVX-512. The register-tiled path computes such a C
// with one or two accumulators per row of the tile, so each FMA waits for the previous one
// (latency-bound, about a quarter of the FMA rate). Here one pass holds up to 16 vectors of a row
// in registers, so 16 independent FMA chains run, and B streams once through the cache.
// Each element of C sees the same operations in the same order as on the tiled path (k in
// blocks of the tiled path's depth, partial sums added to C, then bias, then activation), so the
// two paths agree bit for bit.
#pragma once

#include "gemm.h"

namespace tessera {

/** Rows of C up to which gemmSmallRows takes a problem. */
constexpr i64 kSmallRowsMax = 4;

#if TESSERA_X86
/**
 * Runs `pr` (float32, B not transposed, m <= kSmallRowsMax) when the AVX-512 path is active; k is
 * taken in blocks of `kcBlock` (the tiled path's depth). `driverThreads` is the driver's thread
 * count (by flops); below it, one matrix with a large B still splits its columns over the pool,
 * since reading B, not arithmetic, bounds such a product (gemm-small-split.h).
 */
void gemmSmallRowsAvx512(const GemmProblem<float>& pr, i64 kcBlock, int driverThreads);
#endif

}  // namespace tessera
