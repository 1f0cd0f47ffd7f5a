// backend/wasm/thread-count: ts.setNumThreads / ts.getNumThreads, the thread count of the compiled
// backends. setNumThreads applies to both where they are loaded: the native addon's pool and the
// WebAssembly backend's (the threaded module's helpers, backend/wasm/threads; the one-thread
// module stays at 1). getNumThreads answers for the backend that runs now (1 for reference).
// TESSERA_NUM_THREADS sets the starting count on Node.
import { ValueError } from "../../core/errors.js";
import { nativeAddon } from "../native/loader.js";
import { getBackend } from "../registry.js";
import { loadedWasmBackend } from "./loader.js";

/**
 * Uses `count` threads (the caller included) in the native and WebAssembly backends' kernels from
 * the next kernel on. The wasm backend runs several only as its threaded module (Node, or a
 * cross-origin-isolated page), capped at 64.
 * @example
 * ts.setNumThreads(2);
 */
export function setNumThreads(count: number): void {
  if (!Number.isInteger(count) || count < 1)
    throw new ValueError(`setNumThreads: expected an integer >= 1 (got ${String(count)})`);
  nativeAddon()?.setNumThreads(count);
  loadedWasmBackend()?.addon.setNumThreads(count);
}

/** Threads the running backend's kernels use: 1 on the reference backend. */
export function getNumThreads(): number {
  const backend = getBackend();
  if (backend === "native") return nativeAddon()?.getNumThreads() ?? 1;
  if (backend === "wasm") return loadedWasmBackend()?.addon.getNumThreads() ?? 1;
  return 1;
}
