// native/thread-pool: one persistent pool of worker threads shared by every kernel. The calling
// (JS) thread takes part in each job; idle workers spin briefly, then sleep on a condition
// variable, so back-to-back kernels do not pay a wake-up and an idle process burns no CPU.
#pragma once

#include <functional>

namespace tessera {

/** Threads kernels may use (including the caller): TESSERA_NUM_THREADS, else the usable cores. */
int numThreads();
/** Sets the thread count (>= 1); later jobs use at most this many threads. */
void setNumThreads(int n);
/** Cores this process may run on (sched_getaffinity), at least 1. */
int availableCores();

/**
 * Runs task(i) for every i in [0, tasks), spread over up to numThreads() threads, and returns when
 * all are done. Calls from inside a task, or while another JS thread's job runs, execute serially.
 */
void parallelFor(int tasks, const std::function<void(int)>& task);

/**
 * Runs body(tid, count) on `count` threads at once, tid in [0, count): one call per thread, so
 * a body may split its work by tid. count is `threads` capped by numThreads(), or 1 when the
 * pool is unavailable (nested call, another JS thread's job): the body must handle any count.
 */
void parallelTeam(int threads, const std::function<void(int tid, int count)>& body);

}  // namespace tessera
