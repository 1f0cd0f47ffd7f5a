// native/thread-pool: one persistent pool of worker threads shared by every kernel. The calling
// (JS) thread takes part in each job; idle workers spin briefly, then sleep on a condition
// variable, so back-to-back kernels do not pay a wake-up and an idle process burns no CPU.
// The caller never waits for a thread that has not started a task (see thread-pool.cc).
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
 * Workers awake now, spinning for a job or running one (not asleep): a job started now reaches
 * them in well under a microsecond, where a sleeping one costs the caller a wake-up (several
 * microseconds on a virtual machine) and joins late. Addon pool only (the wasm pools lack it).
 */
int awakeWorkers();
/**
 * Wakes the sleeping workers without a job (starting them if need be): each spins its usual
 * window, so the short jobs that follow reach them at once. For a caller that runs a stream of
 * jobs too short to pay a wake-up each. Addon pool only.
 */
void wakeWorkers();

/**
 * Runs task(i) for every i in [0, tasks) and returns when all are done. Tasks are claimed by up
 * to numThreads() threads (the caller included) as they become free, so tasks must not wait for
 * each other. Calls from inside a task, or while another JS thread's job runs, run serially.
 */
void parallelFor(int tasks, const std::function<void(int)>& task);

/**
 * Splits work into count = min(parts, numThreads()) independent parts and runs body(part, count)
 * for each through parallelFor: one part per thread when all threads are free.
 */
void parallelTeam(int parts, const std::function<void(int part, int count)>& body);

}  // namespace tessera
