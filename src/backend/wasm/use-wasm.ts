// backend/wasm/use-wasm: `await useWasm(source)` loads the WebAssembly backend from an address
// (fetched), a fetch Response or the module's bytes, registers it and makes it the active
// backend. The way a page gets wasm (Node reads wasm/tessera.wasm itself when the registry loads);
// portable: fetch is the host's, no node:* import. Where the page is cross-origin isolated (shared
// memory and workers) it takes the threaded module, wasm/tessera-threads.wasm, fetched beside
// tessera.wasm; otherwise, or when that fails, the one-thread module, and the first kernel prints
// one line saying why.
import { BackendError } from "../../core/errors.js";
import { describeBackend, registerWasmFromBytes, setBackend } from "../registry.js";
import { noteAdoptedOneThread } from "./loader.js";
import { workerHost } from "./worker-host.js";

/** What useWasm takes: the module's address (fetched), a fetch Response, or its bytes. */
export type WasmSource = string | URL | { arrayBuffer(): Promise<ArrayBuffer> } | Uint8Array | ArrayBuffer;

/** The parts of fetch used here (the project's lib settings declare no DOM). */
type Fetch = (url: string) => Promise<{
  ok: boolean;
  status: number;
  statusText: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/** The module's bytes from `source`, fetching an address. */
async function wasmBytes(source: WasmSource): Promise<Uint8Array | ArrayBuffer> {
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return source;
  if (typeof source === "string" || source instanceof URL) {
    const fetcher = (globalThis as { fetch?: Fetch }).fetch;
    if (fetcher === undefined)
      throw new BackendError("useWasm: this host has no fetch; pass the module's bytes");
    const url = String(source);
    const response = await fetcher(url);
    if (!response.ok)
      throw new BackendError(
        `useWasm: fetching ${url} answered ${response.status} ${response.statusText} (expected the bytes of wasm/tessera.wasm from the tessera-ml package)`,
      );
    return response.arrayBuffer();
  }
  return source.arrayBuffer();
}

/** Options of useWasm. */
export interface UseWasmOptions {
  /**
   * The threaded module (wasm/tessera-threads.wasm): its address, Response or bytes, or false for
   * one thread. Default: when `source` is an address ending in tessera.wasm, the same address with
   * tessera-threads.wasm; else none.
   */
  threads?: WasmSource | false;
}

/** The threaded module's address beside the one-thread module's, or undefined. */
function threadedBeside(source: WasmSource): string | undefined {
  if (typeof source !== "string" && !(source instanceof URL)) return undefined;
  const text = String(source);
  const address = text.replace(/tessera\.wasm(?=$|[?#])/, "tessera-threads.wasm");
  return address === text ? undefined : address;
}

/** Registers the threaded module from `source`, or returns why it could not be used. */
async function tryThreaded(source: WasmSource): Promise<string | undefined> {
  const host = workerHost();
  if ("problem" in host) return host.problem;
  try {
    registerWasmFromBytes(await wasmBytes(source));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Loads the WebAssembly backend from wasm/tessera.wasm (an address to fetch, a fetch Response, or
 * the bytes) and makes it the active backend; returns the backend in words, e.g.
 * "wasm (simd128, 4 threads)". A page serves the files from the package
 * (node_modules/tessera-ml/wasm/tessera.wasm and tessera-threads.wasm) beside its bundle; it runs
 * on several threads where it is cross-origin isolated (served with
 * Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), on one
 * otherwise. ts.setNumThreads chooses the count (default: the cores, at most 8).
 */
export async function useWasm(source: WasmSource, options: UseWasmOptions = {}): Promise<string> {
  const threaded = options.threads === undefined ? threadedBeside(source) : options.threads;
  const why = threaded === undefined || threaded === false ? undefined : await tryThreaded(threaded);
  if (threaded === undefined || threaded === false || why !== undefined) {
    registerWasmFromBytes(await wasmBytes(source));
    if (why !== undefined) noteAdoptedOneThread(why);
  }
  setBackend("wasm");
  return describeBackend();
}
