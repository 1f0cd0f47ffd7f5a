// native/thread-pool: the pool behind parallelFor. Workers are created on first use and live
// for the process (the pool is never destroyed, so no thread touches freed state at exit).
#include "thread-pool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define TESSERA_PAUSE() _mm_pause()
#else
#define TESSERA_PAUSE() std::this_thread::yield()
#endif

namespace tessera {
namespace {

// How long an idle worker polls for the next job before it sleeps. Long enough to bridge the
// gap between two kernels of one op sequence, short enough not to steal a shared core for long.
constexpr auto kSpinWindow = std::chrono::microseconds(150);

class Pool {
 public:
  explicit Pool(int threads) : threads_(threads) {}

  int threads() const { return threads_.load(std::memory_order_relaxed); }
  void setThreads(int n) { threads_.store(n < 1 ? 1 : n, std::memory_order_relaxed); }

  /**
   * Runs task(i) for i in [0, tasks). Workers claim indices from a shared counter, except in
   * team mode, where worker w runs exactly index w + 1 and the caller index 0 (so that tasks
   * may wait for each other). Returns false, running nothing, when the pool cannot be used.
   */
  bool run(int tasks, const std::function<void(int)>& task, bool team) {
    static thread_local bool insideTask = false;
    const int want = std::min(threads(), tasks);
    if (want <= 1 || insideTask) return false;
    std::unique_lock<std::mutex> busy(runMutex_, std::try_to_lock);
    if (!busy.owns_lock()) return false;
    ensureWorkers(want - 1);
    task_ = &task;
    tasks_ = team ? 1 : tasks;  // in team mode the shared counter only hands out index 0
    participants_ = want - 1;
    next_.store(0, std::memory_order_relaxed);
    done_.store(0, std::memory_order_relaxed);
    team_ = team;
    // generation in the high bits, participant count in the low 16: a worker reads both at once
    const std::uint64_t generation = (job_.load(std::memory_order_relaxed) >> 16) + 1;
    job_.store((generation << 16) | static_cast<std::uint64_t>(participants_), std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) {
      std::lock_guard<std::mutex> lock(sleepMutex_);
      wake_.notify_all();
    }
    insideTask = true;
    drain();
    insideTask = false;
    waitForWorkers();
    task_ = nullptr;
    return true;
  }

 private:
  void drain() {
    for (;;) {
      const int i = next_.fetch_add(1, std::memory_order_relaxed);
      if (i >= tasks_) return;
      (*task_)(i);
    }
  }

  void waitForWorkers() {
    int polls = 0;
    while (done_.load(std::memory_order_acquire) != participants_) {
      TESSERA_PAUSE();
      // a worker may have been descheduled (busy machine): stop burning the core it needs
      if (++polls > 4096) std::this_thread::yield();
    }
  }

  void ensureWorkers(int count) {
    while (static_cast<int>(workers_) < count) {
      const int index = static_cast<int>(workers_++);
      // the worker starts from the generation before the job about to be published, so it
      // cannot miss that job however late the thread starts
      const std::uint64_t seen = job_.load(std::memory_order_relaxed) >> 16;
      std::thread([this, index, seen] { workerLoop(index, seen); }).detach();
    }
  }

  void workerLoop(int index, std::uint64_t seen) {
    for (;;) {
      const std::uint64_t job = waitForJob(seen);
      seen = job >> 16;
      // A worker that sits out a job touches none of its state: run() does not wait for it, and
      // the next job may already be filling task_ and tasks_.
      if (index >= static_cast<int>(job & 0xffff)) continue;
      if (team_) (*task_)(index + 1);
      else drain();
      done_.fetch_add(1, std::memory_order_release);
    }
  }

  /** Returns the job word of the first job newer than generation `seen`. */
  std::uint64_t waitForJob(std::uint64_t seen) {
    const auto until = std::chrono::steady_clock::now() + kSpinWindow;
    int polls = 0;
    for (;;) {
      const std::uint64_t job = job_.load(std::memory_order_acquire);
      if ((job >> 16) != seen) return job;
      TESSERA_PAUSE();
      if (++polls % 64 != 0 || std::chrono::steady_clock::now() < until) continue;
      // Sleep. sleepers_ and job_ are seq_cst on both sides: either run() sees this sleeper and
      // notifies under the mutex, or this thread sees the new job before waiting.
      std::unique_lock<std::mutex> lock(sleepMutex_);
      sleepers_.fetch_add(1, std::memory_order_seq_cst);
      wake_.wait(lock, [&] { return (job_.load(std::memory_order_seq_cst) >> 16) != seen; });
      sleepers_.fetch_sub(1, std::memory_order_relaxed);
      polls = 0;
    }
  }

  std::atomic<int> threads_;
  std::mutex runMutex_;  // one job at a time (several JS threads may share the addon)
  std::size_t workers_ = 0;
  const std::function<void(int)>* task_ = nullptr;
  int tasks_ = 0;
  int participants_ = 0;
  bool team_ = false;
  std::atomic<int> next_{0};
  std::atomic<int> done_{0};
  std::atomic<std::uint64_t> job_{0};
  std::atomic<int> sleepers_{0};
  std::mutex sleepMutex_;
  std::condition_variable wake_;
};

int defaultThreads() {
  if (const char* env = std::getenv("TESSERA_NUM_THREADS")) {
    char* end = nullptr;
    const long v = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && v >= 1 && v <= 1024) return static_cast<int>(v);
  }
  return availableCores();
}

Pool& pool() {
  static Pool* instance = new Pool(defaultThreads());  // intentionally never destroyed
  return *instance;
}

}  // namespace

int availableCores() {
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
#endif
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

int numThreads() { return pool().threads(); }
void setNumThreads(int n) { pool().setThreads(n); }
void parallelFor(int tasks, const std::function<void(int)>& task) {
  if (!pool().run(tasks, task, false)) {
    for (int i = 0; i < tasks; i++) task(i);
  }
}

void parallelTeam(int threads, const std::function<void(int, int)>& body) {
  const int count = std::max(1, std::min(threads, numThreads()));
  if (count > 1 && pool().run(count, [&](int tid) { body(tid, count); }, true)) return;
  body(0, 1);
}

}  // namespace tessera
