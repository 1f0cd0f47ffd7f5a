// native/parallel: splitting a range of independent elements over the thread pool, with a
// minimum amount of work per thread so that small problems stay on the calling thread.
#pragma once

#include <algorithm>

#include "common.h"
#include "thread-pool.h"

namespace tessera {

/**
 * Calls body(begin, end) on disjoint chunks covering [0, total), on only as many threads as get
 * at least `minPerThread` elements each. There are 4 chunks per thread, claimed as threads
 * become free, so a thread the OS deschedules does not hold the others up. Chunk boundaries are
 * multiples of `align` (keeps threads off each other's cache lines).
 */
template <typename F>
void parallelChunks(i64 total, i64 minPerThread, F&& body, i64 align = 16) {
  const i64 byWork = minPerThread > 0 ? total / minPerThread : total;
  const int threads = static_cast<int>(std::max<i64>(1, std::min<i64>(numThreads(), byWork)));
  if (threads <= 1) {
    if (total > 0) body(i64{0}, total);
    return;
  }
  const i64 chunks = std::min<i64>(4 * threads, std::max<i64>(1, total / align));
  const i64 per = (total + chunks - 1) / chunks;
  const i64 step = (per + align - 1) / align * align;
  parallelFor(static_cast<int>(chunks), [&](int c) {
    const i64 begin = std::min(total, step * c), end = std::min(total, step * (c + 1));
    if (begin < end) body(begin, end);
  });
}

}  // namespace tessera
