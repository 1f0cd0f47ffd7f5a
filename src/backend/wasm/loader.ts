// backend/wasm/loader: loads the WebAssembly backend where the host can (Node today: the module's
// bytes from node-bytes; a browser entry will pass fetched bytes to loadWasmFromBytes) and hands
// the registry its kernel table: the native table's bindings (backend/native/table) over the
// module's entry points, which are the addon's own, compiled to wasm32 (backend/wasm/addon).
// Nothing here is Node-specific; a missing or broken module leaves the backend unregistered and
// wasmLoadError() says why.
import type { PartialKernels } from "../kernels.js";
import { NATIVE_ABI_VERSION, type NativeAddon } from "../native/addon.js";
import { nativeKernels } from "../native/table.js";
import { wasmAddon } from "./addon.js";
import { WasmModule, webAssemblyApi } from "./module.js";
import { readWasmBytes } from "./node-bytes.js";

/** A loaded WebAssembly backend: its kernel table and its addon-shaped entry points. */
export interface WasmBackend {
  kernels: PartialKernels;
  addon: NativeAddon;
  module: WasmModule;
}

let loaded: WasmBackend | undefined;
let loadError: string | undefined;
let attempted = false;

/** A backend over the module in `bytes`; throws when it is not a usable Tessera module. */
export function loadWasmFromBytes(bytes: Uint8Array | ArrayBuffer): WasmBackend {
  const module = new WasmModule(bytes);
  if (module.manifest.abiVersion !== NATIVE_ABI_VERSION)
    throw new Error(
      `the module's interface version is ${module.manifest.abiVersion}, this Tessera needs ${NATIVE_ABI_VERSION} (rebuild it: npm run build:wasm)`,
    );
  const addon = wasmAddon(module);
  return { kernels: nativeKernels(addon), addon, module };
}

/**
 * Loads the module in `bytes` as this host's WebAssembly backend, replacing any earlier one (a page
 * passes the bytes it fetched); throws, and wasmLoadError() says why, when they are not usable.
 */
export function adoptWasmBytes(bytes: Uint8Array | ArrayBuffer): WasmBackend {
  attempted = true;
  try {
    loaded = loadWasmFromBytes(bytes);
    loadError = undefined;
    return loaded;
  } catch (error) {
    loadError = error instanceof Error ? error.message : String(error);
    throw error;
  }
}

/** The WebAssembly backend, loaded on the first call (Node: wasm/tessera.wasm), or undefined. */
export function loadWasmBackend(): WasmBackend | undefined {
  if (attempted) return loaded;
  attempted = true;
  if (webAssemblyApi() === undefined) {
    loadError = "this host has no WebAssembly";
    return undefined;
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
  } catch (error) {
    loadError = `${read.path}: ${error instanceof Error ? error.message : String(error)}`;
  }
  return loaded;
}

/** Why the WebAssembly backend did not load, or undefined when it did (or was not tried yet). */
export function wasmLoadError(): string | undefined {
  return loadError;
}

/** "wasm (simd128, 1 thread)": the backend in words, for describeBackend. */
export function describeWasm(): string {
  const isa = loaded?.module.manifest.isa ?? "not loaded";
  return `wasm (${isa}, 1 thread)`;
}
