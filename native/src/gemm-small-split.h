// native/gemm-small-split: how many threads a small-rows product of one matrix (gemm-small.h) uses
// when the GEMM driver's flop rule gives it one. Such a product (1-4 rows of C) is bound by reading
// B, not by arithmetic: two cores read B twice as fast, and as the columns split the same way on
// every call, each keeps its part in its own L2 (the MLP 784-256-256-10 at batch 1: 12.4 -> 7.5 us,
// best wall, C++ harness). But a hand-off only pays when a worker is running: waking a sleeping
// one costs the caller several microseconds on a virtual machine (4-6 us median here), more than
// the split saves, and a worker whose core is taken by other processes never takes its part. So:
//   - only awake workers are counted; a lone call after an idle spell stays on the caller;
//   - a stream of such calls (kStreamCalls within kStreamWindow: a prediction loop, requests back
//     to back) wakes the workers once, at most every kWakeBackoff;
//   - after kMaxMisses splits in a row whose other parts the caller ran itself (the workers not
//     getting a core), splits pause for kMissPause, so the workers sleep instead of spinning.
// Under load (other processes on every core) this settles on the caller alone, as one thread.
// Per calling (JS) thread; the pool itself is unchanged (thread-pool.h).
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>

#include "common.h"
#include "thread-pool.h"

namespace tessera {
namespace small_split {

using Clock = std::chrono::steady_clock;

/**
 * Bytes of B each thread reads, at least (1 x k x n, AVX-512, the worker spinning, best wall time
 * over short runs at load 2-3: 128 KB 1.18 us on one thread and 1.15 on two, 256 KB 2.33 and
 * 1.77, 784 KB 8.35 and 5.39; a hand-off costs ~0.4 us).
 */
constexpr i64 kSplitBytes = 96 * 1024;
/** Calls that make a stream, and the time they fall within (one MLP prediction's 2-3 layers do not). */
constexpr std::size_t kStreamCalls = 4;
constexpr auto kStreamWindow = std::chrono::microseconds(150);
/**
 * At most one wake-up of the workers per this time. On a busy machine a wake-up can cost the caller
 * ~170 us: the scheduler runs the woken worker on the caller's own core (wake-affine), where it
 * spins its window out before the caller resumes; on a quiet one it lands on the idle core.
 */
constexpr auto kWakeBackoff = std::chrono::milliseconds(50);
/**
 * Splits in a row the workers missed before splits pause, and for how long; misses within
 * kWakeGrace of a wake-up do not count (a woken worker takes a while to get its core).
 */
constexpr int kMaxMisses = 8;
constexpr auto kMissPause = std::chrono::milliseconds(10);
constexpr auto kWakeGrace = std::chrono::milliseconds(1);

/** One calling thread's recent splittable calls. */
class Policy {
 public:
  /** Threads for one matrix reading `bytes` of B over `vectors` column vectors (1: the caller alone). */
  int threads(i64 bytes, i64 vectors) {
    const int wanted = static_cast<int>(std::min<i64>({numThreads(), bytes / kSplitBytes, vectors}));
    if (wanted <= 1) return 1;
    const Clock::time_point now = Clock::now();
    const bool stream = inStream(now);
    if (now < resumeSplits_) return 1;
    const int awake = awakeWorkers();
    if (awake == 0) {
      if (stream && now >= nextWake_) {
        wakeWorkers();
        woken_ = now;
        nextWake_ = now + kWakeBackoff;
      }
      return 1;
    }
    return std::min(wanted, 1 + awake);
  }

  /** After a split: whether a worker ran one of its parts (else the caller ran them all). */
  void record(bool helped) {
    if (helped) {
      misses_ = 0;
      return;
    }
    const Clock::time_point now = Clock::now();
    if (now - woken_ >= kWakeGrace && ++misses_ >= kMaxMisses) {
      misses_ = 0;
      resumeSplits_ = now + kMissPause;
    }
  }

 private:
  /** Whether the last kStreamCalls calls (this one included) fall within kStreamWindow. */
  bool inStream(Clock::time_point now) {
    const Clock::time_point then = earlier_[oldest_];
    earlier_[oldest_] = now;
    oldest_ = (oldest_ + 1) % earlier_.size();
    return now - then < kStreamWindow;
  }

  std::array<Clock::time_point, kStreamCalls - 1> earlier_{};
  std::size_t oldest_ = 0;
  Clock::time_point woken_{};
  Clock::time_point nextWake_{};
  Clock::time_point resumeSplits_{};
  int misses_ = 0;
};

/** The calling thread's policy. */
inline Policy& policy() {
  thread_local Policy instance;
  return instance;
}

}  // namespace small_split
}  // namespace tessera
