// native/wasm/thread-pool-serial: the thread pool's interface (native/src/thread-pool.h) for the
// single-threaded WebAssembly build: every job runs its tasks in order on the calling thread.
// (Workers over shared memory are a later step; the kernels need no change for them.)
#include "../src/thread-pool.h"

namespace tessera {

int numThreads() { return 1; }
void setNumThreads(int) {}
int availableCores() { return 1; }

void parallelFor(int tasks, const std::function<void(int)>& task) {
  for (int i = 0; i < tasks; i++) task(i);
}

void parallelTeam(int parts, const std::function<void(int part, int count)>& body) {
  (void)parts;
  body(0, 1);
}

}  // namespace tessera
