// native/wasm/malloc-lock: makes wasi-libc's allocator safe for the threaded WebAssembly build.
// Debian ships wasi-libc without a threads sysroot, so its malloc (dlmalloc) takes no lock; the
// link (scripts/build-wasm.mjs) wraps malloc, free, calloc, realloc, aligned_alloc and
// posix_memalign (wasm-ld --wrap), and each wrapper holds one spin lock around the real call. A
// helper thread allocates only when a kernel's thread_local scratch buffer grows; the lock is held
// for one allocator call, so spinning (also allowed on a browser's main thread) is short.
#include <atomic>
#include <cstddef>

extern "C" {
void* __real_malloc(std::size_t size);
void __real_free(void* address);
void* __real_calloc(std::size_t count, std::size_t size);
void* __real_realloc(void* address, std::size_t size);
void* __real_aligned_alloc(std::size_t alignment, std::size_t size);
int __real_posix_memalign(void** out, std::size_t alignment, std::size_t size);
}

namespace {

std::atomic<int> heapLock{0};

/** Holds the heap lock for its lifetime. */
class HeapGuard {
 public:
  HeapGuard() {
    for (;;) {
      if (heapLock.exchange(1, std::memory_order_acquire) == 0) return;
      while (heapLock.load(std::memory_order_relaxed) != 0) {
      }
    }
  }
  ~HeapGuard() { heapLock.store(0, std::memory_order_release); }
  HeapGuard(const HeapGuard&) = delete;
  HeapGuard& operator=(const HeapGuard&) = delete;
};

}  // namespace

extern "C" {

void* __wrap_malloc(std::size_t size) {
  HeapGuard guard;
  return __real_malloc(size);
}

void __wrap_free(void* address) {
  if (address == nullptr) return;
  HeapGuard guard;
  __real_free(address);
}

void* __wrap_calloc(std::size_t count, std::size_t size) {
  HeapGuard guard;
  return __real_calloc(count, size);
}

void* __wrap_realloc(void* address, std::size_t size) {
  HeapGuard guard;
  return __real_realloc(address, size);
}

void* __wrap_aligned_alloc(std::size_t alignment, std::size_t size) {
  HeapGuard guard;
  return __real_aligned_alloc(alignment, size);
}

int __wrap_posix_memalign(void** out, std::size_t alignment, std::size_t size) {
  HeapGuard guard;
  return __real_posix_memalign(out, alignment, size);
}

/**
 * libc++abi registers thread_local destructors here (wasi-libc without threads has no
 * __cxa_thread_atexit_impl). Helper threads never exit and the main instance's scratch buffers
 * live as long as the module, so there is nothing to run: the registration is dropped.
 */
int __cxa_thread_atexit(void (*)(void*), void*, void*) { return 0; }
}
