// backend/wasm/use-wasm: `await useWasm(source)` loads the WebAssembly backend from an address
// (fetched), a fetch Response or the module's bytes, registers it and makes it the active
// backend. The way a page gets wasm (Node reads wasm/tessera.wasm itself when the registry loads);
// portable: fetch is the host's, no node:* import.
import { BackendError } from "../../core/errors.js";
import { describeBackend, registerWasmFromBytes, setBackend } from "../registry.js";

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

/**
 * Loads the WebAssembly backend from wasm/tessera.wasm (an address to fetch, a fetch Response, or
 * the bytes) and makes it the active backend; returns the backend in words, e.g.
 * "wasm (simd128, 1 thread)". A page serves the file from the package
 * (node_modules/tessera-ml/wasm/tessera.wasm) beside its bundle.
 */
export async function useWasm(source: WasmSource): Promise<string> {
  registerWasmFromBytes(await wasmBytes(source));
  setBackend("wasm");
  return describeBackend();
}
