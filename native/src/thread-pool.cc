// native/thread-pool: the pool behind parallelFor. Workers are created on first use and live
// for the process (the pool is never destroyed, so no thread touches freed state at exit).
//
// One job at a time. Its tasks are claimed from a single 64-bit ticket (thread-pool-ticket.h),
// with one fetch_add, so a claim always knows which job it belongs to and whether it is a real
// task. The calling thread claims tasks too and then waits only for tasks that were claimed:
// never for a worker that is asleep or descheduled (on a busy machine the caller simply does
// the rest itself). A job's function pointer lives in one of two slots, and a slot is reused
// only two jobs later, after every task of its job has completed.
#include "thread-pool.h"
#include "thread-pool-ticket.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <thread>

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

using namespace job_ticket;

// How long an idle worker polls for the next job before it sleeps. Long enough to bridge the
// gap between two kernels of one op sequence, short enough not to steal a shared core for long.
constexpr auto kSpinWindow = std::chrono::microseconds(150);

class Pool {
 public:
  explicit Pool(int threads) : threads_(threads) {}

  int threads() const { return threads_.load(std::memory_order_relaxed); }
  void setThreads(int n) { threads_.store(std::max(1, std::min(n, static_cast<int>(kLimitMask))), std::memory_order_relaxed); }

  /** Workers not asleep (spinning for a job or running one), at most threads() - 1. */
  int awake() const {
    const int count = workers_.load(std::memory_order_relaxed) - sleepers_.load(std::memory_order_seq_cst);
    return std::max(0, std::min(count, threads() - 1));
  }

  /** Starts the workers if need be and wakes the sleeping ones without a job. */
  void wake() {
    {
      std::unique_lock<std::mutex> busy(runMutex_, std::try_to_lock);
      if (busy.owns_lock()) ensureWorkers(threads() - 1);
    }
    wakeups_.fetch_add(1, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) {
      std::lock_guard<std::mutex> lock(sleepMutex_);
      wake_.notify_all();
    }
  }

  /** Runs task(i) for i in [0, tasks) on the pool; false (nothing run) if it cannot be used. */
  bool run(int tasks, const std::function<void(int)>& task) {
    static thread_local bool insideTask = false;
    const int want = std::min(threads(), tasks);
    if (want <= 1 || insideTask || tasks > kMaxTasks) return false;
    std::unique_lock<std::mutex> busy(runMutex_, std::try_to_lock);
    if (!busy.owns_lock()) return false;  // another JS thread's job is running
    ensureWorkers(want - 1);
    const std::uint32_t generation = (Ticket(ticket_.load(std::memory_order_relaxed)).generation + 1) & kGenerationMask;
    Slot& slot = slots_[generation & 1];
    slot.task = &task;
    slot.completed.store(0, std::memory_order_relaxed);
    ticket_.store(makeTicket(generation, tasks, want - 1), std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) {
      std::lock_guard<std::mutex> lock(sleepMutex_);
      wake_.notify_all();
    }
    insideTask = true;
    claimAndRun();
    insideTask = false;
    int polls = 0;
    while (slot.completed.load(std::memory_order_acquire) != tasks) {
      TESSERA_PAUSE();
      if (++polls > 4096) std::this_thread::yield();  // a claimed task's thread was descheduled
    }
    return true;
  }

 private:
  struct Slot {
    const std::function<void(int)>* task = nullptr;
    std::atomic<int> completed{0};
  };

  /** Claims and runs tasks until a claim comes back empty; returns that claim's generation. */
  std::uint32_t claimAndRun() {
    for (;;) {
      const Ticket t(ticket_.fetch_add(1, std::memory_order_acq_rel));
      if (t.index >= t.tasks) return t.generation;
      // a real task of job t.generation: that job cannot finish, so its slot stays valid
      Slot& slot = slots_[t.generation & 1];
      (*slot.task)(static_cast<int>(t.index));
      slot.completed.fetch_add(1, std::memory_order_release);
    }
  }

  void ensureWorkers(int count) {
    while (workers_.load(std::memory_order_relaxed) < count) {
      const int index = workers_.fetch_add(1, std::memory_order_relaxed);
      // start from the generation before the job about to be published, so it is not missed
      const std::uint32_t seen = Ticket(ticket_.load(std::memory_order_relaxed)).generation;
      std::thread([this, index, seen] { workerLoop(index, seen); }).detach();
    }
  }

  void workerLoop(int index, std::uint32_t seen) {
    for (;;) {
      const Ticket t(waitForJob(seen));
      seen = t.generation;
      // workers past the job's thread limit sit it out (setNumThreads lowered after they started)
      if (index < static_cast<int>(t.limit)) seen = claimAndRun();
    }
  }

  /**
   * The ticket of the first job newer than generation `seen`. Spins for kSpinWindow, then sleeps
   * until a job or a wake() (after which it spins a full window again).
   */
  std::uint64_t waitForJob(std::uint32_t seen) {
    auto until = std::chrono::steady_clock::now() + kSpinWindow;
    std::uint32_t wakeupsSeen = wakeups_.load(std::memory_order_seq_cst);
    int polls = 0;
    for (;;) {
      const std::uint64_t t = ticket_.load(std::memory_order_acquire);
      if (Ticket(t).generation != seen) return t;
      TESSERA_PAUSE();
      if (++polls % 64 != 0 || std::chrono::steady_clock::now() < until) continue;
      // Sleep. sleepers_, ticket_ and wakeups_ are seq_cst on both sides: either run() / wake()
      // sees this sleeper and notifies under the mutex, or this thread sees the new job or wake-up
      // before waiting.
      std::unique_lock<std::mutex> lock(sleepMutex_);
      sleepers_.fetch_add(1, std::memory_order_seq_cst);
      wake_.wait(lock, [&] {
        return Ticket(ticket_.load(std::memory_order_seq_cst)).generation != seen ||
               wakeups_.load(std::memory_order_seq_cst) != wakeupsSeen;
      });
      sleepers_.fetch_sub(1, std::memory_order_seq_cst);
      lock.unlock();
      // Woken by wake(), not by a job: the scheduler may have put this thread on the waker's core
      // ahead of it (a long sleeper wakes with credit); yield, or the waker stalls for the window.
      if (Ticket(ticket_.load(std::memory_order_acquire)).generation == seen) std::this_thread::yield();
      wakeupsSeen = wakeups_.load(std::memory_order_seq_cst);
      until = std::chrono::steady_clock::now() + kSpinWindow;
      polls = 0;
    }
  }

  std::atomic<int> threads_;
  std::mutex runMutex_;  // one job at a time (several JS threads may share the addon)
  std::atomic<int> workers_{0};  // started (only grows, under runMutex_)
  Slot slots_[2];
  std::atomic<std::uint64_t> ticket_{0};
  std::atomic<int> sleepers_{0};
  std::atomic<std::uint32_t> wakeups_{0};  // wake() calls
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
int awakeWorkers() { return pool().awake(); }
void wakeWorkers() { pool().wake(); }
void setNumThreads(int n) { pool().setThreads(n); }

void parallelFor(int tasks, const std::function<void(int)>& task) {
  if (!pool().run(tasks, task)) {
    for (int i = 0; i < tasks; i++) task(i);
  }
}

void parallelTeam(int parts, const std::function<void(int, int)>& body) {
  const int count = std::max(1, std::min(parts, numThreads()));
  parallelFor(count, [&](int part) { body(part, count); });
}

}  // namespace tessera
