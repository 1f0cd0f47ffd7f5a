// native/gemm: batched matrix product with a fused bias + activation epilogue, BLIS style.
// Per batch: C (m, n) = op(A) (m, k) @ op(B) (k, n), all row-major and contiguous.
// The driver (gemm-driver.cc) blocks the loops for the caches and packs A into MR-row panels and
// B into NR-column panels; a per-ISA register-blocked micro-kernel computes each MR x NR tile.
#pragma once

#include "common.h"

namespace tessera {

template <typename T>
struct GemmProblem {
  const T* a;  // batch x (m, k), or (k, m) when transA
  const T* b;  // batch x (k, n), or (n, k) when transB
  T* c;        // batch x (m, n)
  i64 batch, m, n, k;
  bool transA, transB;
  i64 aBatchStride, bBatchStride;  // 0 broadcasts one matrix over the batch
  const T* bias;                   // (n) or null
  Activation activation;
};

/** Runs the whole problem on the active ISA path and the thread pool. */
template <typename T>
void gemm(const GemmProblem<T>& problem);

/** One MR x NR output tile: what the driver asks of a micro-kernel. */
template <typename T>
struct TileArgs {
  i64 kc;
  const T* ap;      // packed A panel: kc steps of MR values (rows beyond `rows` are zero)
  const T* bp;      // B panel: kc steps of NR values, bStride apart (packed: columns past `cols` are 0)
  i64 bStride;      // NR for a packed panel; the row stride of B when it is read in place
  T* c;             // top-left of the tile in C
  i64 ldc;          // row stride of C
  int rows, cols;   // valid part of the tile (<= MR, <= NR)
  bool accumulate;  // C += product (later k blocks) instead of C = product (first k block)
  bool epilogue;    // last k block: add bias, apply activation
  const T* bias;    // bias for the tile's first column, or null
  Activation activation;
  i64 aRowStride = 0;  // tileInPlaceA only: A is read where it is, row r of the tile at ap + r * aRowStride
};

/** What one ISA path provides: tile sizes, cache blocking, micro-kernel and packing routines. */
template <typename T>
struct GemmKernel {
  int mr, nr;      // register tile
  int kc, nc;      // cache blocks: k depth of packed panels, columns of the packed B block
  void (*tile)(const TileArgs<T>& args);
  /**
   * Or null: a tile whose A is read in place (args.aRowStride), not packed. For a C of at most a
   * few tiles' width each A panel serves few tiles, and packing it (a transpose) costs more than
   * broadcasting from A's rows directly. Same operations in the same order as tile.
   */
  void (*tileInPlaceA)(const TileArgs<T>& args) = nullptr;
  /**
   * Packs `cols` columns of the kc-row matrix src (row stride ld) into ceil(cols / W) panels of
   * kc x W, back to back: panel q holds dst[q*kc*W + p*W + j] = src[p*ld + q*W + j], zero past cols.
   */
  void (*packRows)(const T* src, i64 ld, i64 kc, i64 cols, int W, T* dst);
  /**
   * Packs `rows` rows of src (row stride ld, kc columns read) into ceil(rows / W) panels of
   * kc x W, transposing: dst[q*kc*W + p*W + i] = src[(q*W + i)*ld + p], zero past rows.
   */
  void (*packColumns)(const T* src, i64 ld, i64 kc, i64 rows, int W, T* dst);
};

template <typename T>
const GemmKernel<T>& gemmKernelScalar();
#if TESSERA_X86
template <typename T>
const GemmKernel<T>& gemmKernelAvx2();
template <typename T>
const GemmKernel<T>& gemmKernelAvx512();
#endif

/**
 * packRows asks for the source row this many rows ahead of the one it copies: a block of rows read
 * a run of columns at a time is a stride pattern the hardware prefetchers follow poorly.
 */
constexpr i64 kPackPrefetchRows = 8;

/** Asks for row p + kPackPrefetchRows of a packRows source (cols values from `row`, ld apart). */
template <typename T>
inline void prefetchPackRow(const T* row, i64 ld, i64 p, i64 kc, i64 cols) {
  if (p + kPackPrefetchRows >= kc) return;
  const char* ahead = reinterpret_cast<const char*>(row + kPackPrefetchRows * ld);
  const i64 bytes = cols * static_cast<i64>(sizeof(T));
  for (i64 offset = 0; offset < bytes; offset += 64) __builtin_prefetch(ahead + offset, 0, 3);
}

/** The portable packing routines (also the fallback of the SIMD paths for odd shapes). */
template <typename T>
void packRowsGeneric(const T* src, i64 ld, i64 kc, i64 cols, int W, T* dst);
template <typename T>
void packColumnsGeneric(const T* src, i64 ld, i64 kc, i64 rows, int W, T* dst);

/** Scalar epilogue (bias, activation) on a rows x cols block of C, used by every path for tails. */
template <typename T>
void epilogueGeneric(T* c, i64 ldc, int rows, int cols, const T* bias, Activation activation);

}  // namespace tessera
