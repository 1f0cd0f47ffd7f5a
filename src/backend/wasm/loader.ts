// backend/wasm/loader: loads the WebAssembly backend where the host can (Node: the modules' bytes
// from node-bytes; a page passes fetched bytes through useWasm) and hands the registry its kernel
// table: the native table's bindings (backend/native/table) over the module's entry points, which
// are the addon's own, compiled to wasm32 (backend/wasm/addon). The threaded module
// (wasm/tessera-threads.wasm, backend/wasm/threads) is taken where the host has shared memory and
// workers; otherwise, or when it fails to load, the one-thread module, and the first kernel run
// prints one line saying why. Nothing here is Node-specific; a missing or broken module leaves
// the backend unregistered and wasmLoadError() says why.
import { envVariable } from "../../core/env.js";
import type { PartialKernels } from "../kernels.js";
import { NATIVE_ABI_VERSION, type NativeAddon } from "../native/addon.js";
import { nativeKernels } from "../native/table.js";
import { wasmAddon } from "./addon.js";
import { WasmModule, webAssemblyApi } from "./module.js";
import { readWasmBytes, WASM_THREADS_FILE } from "./node-bytes.js";
import { DEFAULT_MAX_THREADS, importedMemoryLimits, instantiateThreaded, WasmThreads } from "./threads.js";
import { type WorkerHost, workerHost } from "./worker-host.js";

/** A loaded WebAssembly backend: its kernel table, its addon-shaped entry points, its threads. */
export interface WasmBackend {
  kernels: PartialKernels;
  addon: NativeAddon;
  module: WasmModule;
  /** The threaded module's pool; undefined for the one-thread module. */
  threads?: WasmThreads;
}

let loaded: WasmBackend | undefined;
let loadError: string | undefined;
let threadsNote: string | undefined;
let attempted = false;

/** A backend over an instantiated module; throws when its interface version is not this Tessera's. */
function backendOver(module: WasmModule, threads?: WasmThreads): WasmBackend {
  if (module.manifest.abiVersion !== NATIVE_ABI_VERSION)
    throw new Error(
      `the module's interface version is ${module.manifest.abiVersion}, this Tessera needs ${NATIVE_ABI_VERSION} (rebuild it: npm run build:wasm)`,
    );
  const addon = wasmAddon(module, threads);
  return { kernels: nativeKernels(addon), addon, module, threads };
}

/** A backend over the one-thread module in `bytes`; throws when it is not a usable Tessera module. */
export function loadWasmFromBytes(bytes: Uint8Array | ArrayBuffer): WasmBackend {
  return backendOver(new WasmModule(bytes));
}

/**
 * The default thread count: TESSERA_NUM_THREADS where the host has an environment, else the
 * host's cores, at most DEFAULT_MAX_THREADS.
 */
export function defaultWasmThreads(host: WorkerHost): number {
  const raw = envVariable("TESSERA_NUM_THREADS");
  const value = raw === undefined ? Number.NaN : Number(raw);
  if (Number.isInteger(value) && value >= 1) return value;
  return Math.max(1, Math.min(host.cores, DEFAULT_MAX_THREADS));
}

/**
 * A backend over the threaded module in `bytes` (wasm/tessera-threads.wasm) with `threads`
 * threads (default: defaultWasmThreads) on `host` (default: this host's workers); throws, saying
 * why, when the host has no shared memory or workers, or the bytes are not that module.
 */
export function loadThreadedWasmFromBytes(
  bytes: Uint8Array | ArrayBuffer,
  options: { host?: WorkerHost; threads?: number } = {},
): WasmBackend {
  const host = options.host ?? workerHost();
  if ("problem" in host) throw new Error(host.problem);
  const module = instantiateThreaded(bytes);
  const backend = backendOver(
    module,
    new WasmThreads(module, host, options.threads ?? defaultWasmThreads(host)),
  );
  return backend;
}

/** Whether `bytes` are the threaded build (they import a shared memory). */
export function isThreadedWasm(bytes: Uint8Array | ArrayBuffer): boolean {
  try {
    return importedMemoryLimits(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).shared;
  } catch {
    return false;
  }
}

/** Has the one-thread module print, when its first kernel runs, why it is not the threaded one. */
function noteOneThread(backend: WasmBackend, why: string): void {
  threadsNote = why;
  backend.module.onFirstCall(() => console.warn(`tessera: the wasm backend runs on 1 thread: ${why}`));
}

/**
 * Loads the module in `bytes` (either build) as this host's WebAssembly backend, replacing any
 * earlier one (a page passes the bytes it fetched); throws, and wasmLoadError() says why, when they
 * are not usable. The threaded build needs shared memory and workers (else it throws, saying so).
 */
export function adoptWasmBytes(bytes: Uint8Array | ArrayBuffer): WasmBackend {
  attempted = true;
  try {
    const previous = loaded;
    loaded = isThreadedWasm(bytes) ? loadThreadedWasmFromBytes(bytes) : loadWasmFromBytes(bytes);
    loadError = undefined;
    threadsNote = undefined;
    previous?.threads?.stop(); // the replaced module's helpers would otherwise sleep forever
    return loaded;
  } catch (error) {
    loadError = error instanceof Error ? error.message : String(error);
    throw error;
  }
}

/** The threaded backend from wasm/tessera-threads.wasm on this host, or why not. */
function loadThreadedFile(): WasmBackend | string {
  const host = workerHost();
  if ("problem" in host) return host.problem;
  const read = readWasmBytes(WASM_THREADS_FILE);
  if (read === undefined) return "no module bytes on this host";
  if ("problem" in read) return read.problem;
  try {
    return loadThreadedWasmFromBytes(read.bytes, { host });
  } catch (error) {
    return `${read.path}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * The WebAssembly backend, loaded on the first call, or undefined. Node: wasm/tessera-threads.wasm
 * where the host has shared memory and worker threads, else wasm/tessera.wasm.
 */
export function loadWasmBackend(): WasmBackend | undefined {
  if (attempted) return loaded;
  attempted = true;
  if (webAssemblyApi() === undefined) {
    loadError = "this host has no WebAssembly";
    return undefined;
  }
  const threaded = readWasmBytes() === undefined ? "not on Node" : loadThreadedFile();
  if (typeof threaded !== "string") {
    loaded = threaded;
    return loaded;
  }
  const read = readWasmBytes();
  if (read === undefined) {
    loadError = "no module bytes on this host (a browser passes them to loadWasmFromBytes)";
    return undefined;
  }
  if ("problem" in read) {
    loadError = read.problem;
    return undefined;
  }
  try {
    loaded = loadWasmFromBytes(read.bytes);
    noteOneThread(loaded, threaded);
  } catch (error) {
    loadError = `${read.path}: ${error instanceof Error ? error.message : String(error)}`;
  }
  return loaded;
}

/**
 * Records why the one-thread module just adopted runs instead of the threaded one (useWasm in a
 * page that is not cross-origin isolated): its first kernel prints `why`.
 */
export function noteAdoptedOneThread(why: string): void {
  if (loaded !== undefined && loaded.threads === undefined) noteOneThread(loaded, why);
}

/** Why the loaded backend runs on one thread (no shared memory, workers, or threaded module), if it does. */
export function wasmThreadsNote(): string | undefined {
  return threadsNote;
}

/** The loaded backend, if any (tests and benches reach its thread pool here). */
export function loadedWasmBackend(): WasmBackend | undefined {
  return loaded;
}

/** Why the WebAssembly backend did not load, or undefined when it did (or was not tried yet). */
export function wasmLoadError(): string | undefined {
  return loadError;
}

/** "wasm (simd128, 2 threads)": the backend in words, for describeBackend. */
export function describeWasm(): string {
  const isa = loaded?.module.manifest.isa ?? "not loaded";
  const threads = loaded?.threads?.threads ?? 1;
  return `wasm (${isa}, ${threads} thread${threads === 1 ? "" : "s"})`;
}
