// native/wasm/thread-pool-shared: the thread pool's interface (native/src/thread-pool.h) for the
// threaded WebAssembly build (wasm/tessera-threads.wasm, shared imported memory). Its helper
// threads are further instances of the same module over the same memory, each in a Node worker
// thread or a Web Worker (src/backend/wasm/thread-pool.ts starts them): a helper sets its own
// stack pointer, calls tessera_helper_run(index, tls) and never returns; it takes tasks from the
// job the main instance publishes, as the addon's pool does (native/src/thread-pool.cc):
//
//   - one job at a time, its tasks claimed from one 64-bit ticket (native/src/thread-pool-ticket.h)
//     with one fetch_add, so a claim always knows its job and whether it is a real task;
//   - the caller claims tasks too, then waits only for tasks already claimed, never for a helper
//     that has not started (Web Workers start asynchronously; the caller then does all the work);
//   - idle helpers poll briefly, then sleep in memory.atomic.wait32 on a wake word that the
//     caller bumps and notifies for each job.
//
// The caller never sleeps with memory.atomic.wait32 unless the host said it may
// (tessera_threads_main_may_wait: Node's main thread and workers may, a browser's main thread may
// not and polls instead; its wait lasts at most one claimed task).
//
// Each instance has its own stack and thread-local block (clang's TLS, __wasm_init_tls), so the
// kernels' thread_local scratch buffers are per thread. Helpers may allocate (a scratch buffer
// grows): malloc is serialised by a lock (native/wasm/malloc-lock.cc). tasksRun[i] counts the tasks
// thread i ran (0: the caller), for tests that check the helpers really worked.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>

#include "../src/thread-pool-ticket.h"
#include "../src/thread-pool.h"

#define TESSERA_EXPORT(name) extern "C" __attribute__((export_name(name), used))

/** Linker-made (wasm-ld, shared memory): copies the TLS image to `block`, sets this instance's __tls_base. */
extern "C" void __wasm_init_tls(void* block);

namespace tessera {
namespace {

using namespace job_ticket;

/** Threads the pool can hold, the caller included (thread counts are capped to this). */
constexpr int kMaxThreads = 64;
/** Each helper's stack (the main instance's is the link's -z stack-size). */
constexpr std::size_t kHelperStackBytes = 1 << 20;
/** Polls of the ticket before an idle helper sleeps (a few tens of microseconds). */
constexpr int kSpinPolls = 1 << 14;


struct Slot {
  const std::function<void(int)>* task = nullptr;
  std::atomic<int> completed{0};
};

// Shared state: plain globals in linear memory, which every instance shares.
std::atomic<int> threads{1};
std::atomic<int> cores{1};
std::atomic<int> mainMayWait{0};
std::atomic<std::uint64_t> ticket{0};
std::atomic<int> wakeWord{0};
std::atomic<int> sleepers{0};
std::atomic<int> stopping{0};
Slot slots[2];
std::atomic<std::uint32_t> tasksRun[kMaxThreads];

// Per instance (thread-local block): this thread's index (0: the caller) and whether it runs a task.
thread_local int threadIndex = 0;
thread_local bool insideTask = false;

int* address(std::atomic<int>& word) { return reinterpret_cast<int*>(&word); }

/** Claims and runs tasks until a claim comes back empty; returns that claim's generation. */
std::uint32_t claimAndRun() {
  for (;;) {
    const Ticket t(ticket.fetch_add(1, std::memory_order_acq_rel));
    if (t.index >= t.tasks) return t.generation;
    Slot& slot = slots[t.generation & 1];  // its job cannot finish before this task: the slot stays
    (*slot.task)(static_cast<int>(t.index));
    tasksRun[threadIndex].fetch_add(1, std::memory_order_relaxed);
    if (slot.completed.fetch_add(1, std::memory_order_acq_rel) + 1 == static_cast<int>(t.tasks))
      __builtin_wasm_memory_atomic_notify(address(slot.completed), 1);
  }
}

/** The ticket of the first job newer than generation `seen` (or any ticket once stopping). */
std::uint64_t waitForJob(std::uint32_t seen) {
  for (int polls = 0;; polls++) {
    const std::uint64_t t = ticket.load(std::memory_order_acquire);
    if (Ticket(t).generation != seen || stopping.load(std::memory_order_relaxed) != 0) return t;
    if (polls < kSpinPolls) continue;
    // Sleep. sleepers and ticket are seq_cst on both sides: either the caller sees this sleeper
    // and notifies after bumping the wake word, or this thread sees the new job before waiting.
    sleepers.fetch_add(1, std::memory_order_seq_cst);
    const int word = wakeWord.load(std::memory_order_seq_cst);
    if (Ticket(ticket.load(std::memory_order_seq_cst)).generation == seen && stopping.load() == 0)
      __builtin_wasm_memory_atomic_wait32(address(wakeWord), word, -1);
    sleepers.fetch_sub(1, std::memory_order_seq_cst);
    polls = 0;
  }
}

/** Runs task(i) for i in [0, tasks) with the helpers; false (nothing run) if they cannot be used. */
bool runOnPool(int tasks, const std::function<void(int)>& task) {
  const int want = std::min(threads.load(std::memory_order_relaxed), tasks);
  if (want <= 1 || insideTask || tasks > kMaxTasks) return false;
  const std::uint32_t generation = (Ticket(ticket.load(std::memory_order_relaxed)).generation + 1) & kGenerationMask;
  Slot& slot = slots[generation & 1];
  slot.task = &task;
  slot.completed.store(0, std::memory_order_relaxed);
  ticket.store(makeTicket(generation, tasks, want - 1), std::memory_order_seq_cst);
  wakeWord.fetch_add(1, std::memory_order_seq_cst);
  if (sleepers.load(std::memory_order_seq_cst) > 0)
    __builtin_wasm_memory_atomic_notify(address(wakeWord), static_cast<unsigned>(want - 1));
  insideTask = true;
  claimAndRun();
  insideTask = false;
  const bool mayWait = mainMayWait.load(std::memory_order_relaxed) != 0;
  for (int polls = 0;; polls++) {
    const int done = slot.completed.load(std::memory_order_acquire);
    if (done == tasks) break;
    // a claimed task's thread is still at it (or descheduled): poll, then sleep where allowed
    if (mayWait && polls > 4096) __builtin_wasm_memory_atomic_wait32(address(slot.completed), done, 1000000);
  }
  return true;
}

}  // namespace

int numThreads() { return threads.load(std::memory_order_relaxed); }
void setNumThreads(int n) { threads.store(std::max(1, std::min(n, kMaxThreads)), std::memory_order_relaxed); }
int availableCores() { return cores.load(std::memory_order_relaxed); }

void parallelFor(int tasks, const std::function<void(int)>& task) {
  if (!runOnPool(tasks, task)) {
    for (int i = 0; i < tasks; i++) task(i);
  }
}

void parallelTeam(int parts, const std::function<void(int, int)>& body) {
  const int count = std::max(1, std::min(parts, numThreads()));
  parallelFor(count, [&](int part) { body(part, count); });
}

}  // namespace tessera

/** The main instance's thread-local block: called once, right after instantiation. */
TESSERA_EXPORT("tessera_main_init") void tesseraMainInit() {
  const std::size_t tls = (__builtin_wasm_tls_size() + 63) & ~static_cast<std::size_t>(63);
  __wasm_init_tls(std::aligned_alloc(std::max<std::size_t>(64, __builtin_wasm_tls_align()), tls == 0 ? 64 : tls));
}

/** Sets the thread count kernels split their work for (1..tessera_threads_max()). */
TESSERA_EXPORT("tessera_threads_set") void tesseraThreadsSet(int n) { tessera::setNumThreads(n); }

/** The most threads the pool holds, the caller included. */
TESSERA_EXPORT("tessera_threads_max") int tesseraThreadsMax() { return tessera::kMaxThreads; }

/** What the host says: its usable cores, and whether the caller may sleep in atomic.wait (0/1). */
TESSERA_EXPORT("tessera_threads_host") void tesseraThreadsHost(int cores, int mainMayWait) {
  tessera::cores.store(std::max(1, cores));
  tessera::mainMayWait.store(mainMayWait != 0 ? 1 : 0);
}

/**
 * Memory for helper `index` (1..max-1), from the main instance: its stack (the returned address
 * plus tessera_helper_stack_bytes() is its initial stack pointer), then its thread-local block.
 */
TESSERA_EXPORT("tessera_helper_memory") void* tesseraHelperMemory() {
  const std::size_t tls = (__builtin_wasm_tls_size() + 63) & ~static_cast<std::size_t>(63);
  return std::aligned_alloc(std::max<std::size_t>(64, __builtin_wasm_tls_align()), tessera::kHelperStackBytes + tls);
}

TESSERA_EXPORT("tessera_helper_stack_bytes") int tesseraHelperStackBytes() {
  return static_cast<int>(tessera::kHelperStackBytes);
}

/**
 * A helper instance's whole life: its thread-local block at `memory` + the stack size, then tasks
 * of the jobs whose thread limit includes it, until tessera_threads_stop. Its stack pointer must
 * already point at the top of its stack (set by the worker before this call).
 */
TESSERA_EXPORT("tessera_helper_run") void tesseraHelperRun(int index, unsigned char* memory) {
  using namespace tessera;
  __wasm_init_tls(memory + kHelperStackBytes);
  threadIndex = index;
  insideTask = true;  // a kernel called from a task runs its inner loops serially
  // one generation back: a job published before this helper got here is still joined (its
  // remaining tasks claimed; a claim on a finished job just comes back empty)
  std::uint32_t seen = (Ticket(ticket.load()).generation - 1) & kGenerationMask;
  for (;;) {
    const Ticket t(waitForJob(seen));
    if (stopping.load() != 0) return;
    seen = t.generation;
    // helpers past the job's thread limit sit it out (fewer threads wanted than started)
    if (index <= static_cast<int>(t.limit)) seen = claimAndRun();
  }
}

/** Ends every helper's loop (they return from tessera_helper_run). */
TESSERA_EXPORT("tessera_threads_stop") void tesseraThreadsStop() {
  tessera::stopping.store(1);
  tessera::wakeWord.fetch_add(1);
  __builtin_wasm_memory_atomic_notify(tessera::address(tessera::wakeWord), ~0u);
}

/**
 * Proof that helpers run tasks concurrently, for tests: a job of `threads` tasks where each task
 * notes its thread, then waits (polling at most `maxPolls` times) until every task has started.
 * The caller cannot take a second task while it waits in its first, so the job completes early only
 * if other threads took the rest. Returns how many distinct threads ran the tasks.
 */
TESSERA_EXPORT("tessera_threads_probe") int tesseraThreadsProbe(int threads, int maxPolls) {
  using namespace tessera;
  if (threads < 1 || threads > kMaxThreads) return 0;
  static std::atomic<int> started{0};
  static std::atomic<std::uint64_t> seen{0};
  started.store(0);
  seen.store(0);
  parallelFor(threads, [&](int) {
    seen.fetch_or(std::uint64_t{1} << threadIndex);
    started.fetch_add(1);
    for (int polls = 0; polls < maxPolls && started.load() < threads; polls++) {
    }
  });
  return __builtin_popcountll(seen.load());
}

/** Tasks thread `index` has run since the module loaded (0: the caller), for tests. */
TESSERA_EXPORT("tessera_thread_tasks") int tesseraThreadTasks(int index) {
  if (index < 0 || index >= tessera::kMaxThreads) return -1;
  return static_cast<int>(tessera::tasksRun[index].load());
}
