// native/parallel: splitting a range of independent elements over the thread pool, with a
// minimum amount of work per thread so that small problems stay on the calling thread.
#pragma once

#include <algorithm>

#include "common.h"
#include "thread-pool.h"

namespace tessera {

/**
 * Calls body(begin, end) on disjoint chunks covering [0, total). Uses one chunk per thread, and
 * only as many threads as give each at least `minPerThread` elements. Chunk boundaries are
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
  parallelTeam(threads, [&](int tid, int count) {
    const i64 per = (total + count - 1) / count;
    const i64 step = (per + align - 1) / align * align;
    const i64 begin = std::min(total, step * tid), end = std::min(total, step * (tid + 1));
    if (begin < end) body(begin, end);
  });
}

}  // namespace tessera
