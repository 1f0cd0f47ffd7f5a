// backend/registry: which kernel table runs. Fast backends register a partial table; the active
// table is the chosen backend's kernels with the reference filling every gap, kernel by kernel.
// This is the one place that decides: when it starts it loads the native addon (where the host
// can), so every entry path that runs an op, deep imports and worker threads included, gets the
// fastest backend without doing anything.
import { envVariable } from "../core/env.js";
import { BackendError } from "../core/errors.js";
import type { Kernels, PartialKernels } from "./kernels.js";
import { loadNativeBackend, nativeAddon, nativeFallbackNotice } from "./native/loader.js";
import { referenceKernels } from "./reference/index.js";
import { adoptWasmBytes, describeWasm, loadWasmBackend } from "./wasm/loader.js";

export type BackendName = "reference" | "native" | "wasm";

/** An entry point of a positional backend (arrays, then numbers): the native addon's functions. */
export type PositionalEntry = (...args: unknown[]) => void;

interface Registered {
  kernels: PartialKernels;
  priority: number;
  /** Where named entry points beyond the table come from (optimizer updates): the addon's exports. */
  positional: object | undefined;
}

const registered = new Map<BackendName, Registered>([
  ["reference", { kernels: referenceKernels, priority: 0, positional: undefined }],
]);
let activeName: BackendName = "reference";
let active: Kernels = referenceKernels;
let activeRoutes: KernelRoutes = routesFor(referenceKernels);
let activePositional: object | undefined;
const positionalCache = new Map<string, PositionalEntry | undefined>();
let chosenByUser = false;

/** TESSERA_BACKEND as the process started: forcing is decided when backends register. */
const forced = envVariable("TESSERA_BACKEND");

/** Throws while TESSERA_BACKEND forces a backend that never registered (and setBackend has not chosen one). */
function requireForcedBackend(): void {
  if (forced !== undefined && forced !== activeName && !chosenByUser) throw forcedMissing(forced);
}

/** The error for a TESSERA_BACKEND naming a backend that never registered. */
function forcedMissing(forced: string): BackendError {
  return new BackendError(
    `TESSERA_BACKEND: backend "${forced}" is not available (registered: ${[...registered.keys()].join(", ")})`,
  );
}

/**
 * Fills the gaps of a partial table with reference kernels, entry by entry: a function entry is
 * the backend's own or the reference's; a group (unary, binary, reduce) is merged op by op.
 */
export function mergeWithReference(partial: PartialKernels): Kernels {
  const merged: Record<string, unknown> = {};
  const own = partial as Record<string, unknown>;
  for (const [key, reference] of Object.entries(referenceKernels)) {
    merged[key] =
      typeof reference === "function"
        ? (own[key] ?? reference)
        : { ...(reference as object), ...(own[key] as object | undefined) };
  }
  return merged as unknown as Kernels;
}

/**
 * Which path an op takes where the active backend lacks a fused kernel but has the kernels a
 * composition over them needs, decided here from what the backend registered (ops/ follows it):
 * "tiled" attention runs the blockwise algorithm over the backend's GEMM (ops/attention-tiled),
 * a "composed" LSTM cell runs over its elementwise kernels (ops/lstm-cell-composed); "fused"
 * calls the table's kernel (the backend's own or the reference).
 */
export interface KernelRoutes {
  attention: "fused" | "tiled";
  lstmCell: "fused" | "composed";
}

/** The routes for a backend whose own kernels are `partial`. */
function routesFor(partial: PartialKernels): KernelRoutes {
  return {
    attention: partial.attention === undefined && partial.matmul !== undefined ? "tiled" : "fused",
    lstmCell:
      partial.lstmCell === undefined &&
      partial.unary?.tanh !== undefined &&
      partial.unary.sigmoid !== undefined
        ? "composed"
        : "fused",
  };
}

/** The active backend's routes (see KernelRoutes); throws like kernels() while a forced backend is missing. */
export function kernelRoutes(): KernelRoutes {
  requireForcedBackend();
  return activeRoutes;
}

/** Makes `name` the active backend. */
function activate(name: BackendName, entry: Registered): void {
  activeName = name;
  active = name === "reference" ? referenceKernels : mergeWithReference(entry.kernels);
  activeRoutes = routesFor(entry.kernels);
  activePositional = entry.positional;
  positionalCache.clear();
}

/**
 * The active backend's entry point of this name beyond the kernel table (e.g. "adamUpdate"), or
 * undefined when it has none (the reference backend has none; the caller runs its own rule).
 */
export function positionalEntry(name: string): PositionalEntry | undefined {
  requireForcedBackend();
  if (activePositional === undefined) return undefined;
  if (positionalCache.has(name)) return positionalCache.get(name);
  const found = (activePositional as Record<string, unknown>)[name];
  const fn = typeof found === "function" ? (found as PositionalEntry).bind(activePositional) : undefined;
  positionalCache.set(name, fn);
  return fn;
}

/** Names (`matmul`, `unary.exp`, ...) of the kernels a registered backend lacks. */
export function missingKernels(name: BackendName): string[] {
  const entry = registered.get(name);
  if (!entry) throw new BackendError(`missingKernels: backend "${name}" is not registered`);
  const missing: string[] = [];
  const partial = entry.kernels as Record<string, unknown>;
  for (const [key, value] of Object.entries(referenceKernels)) {
    const own = partial[key];
    if (typeof value === "function") {
      if (typeof own !== "function") missing.push(key);
    } else {
      for (const sub of Object.keys(value as object)) {
        if (!own || typeof (own as Record<string, unknown>)[sub] !== "function")
          missing.push(`${key}.${sub}`);
      }
    }
  }
  return missing;
}

/**
 * Makes a backend available. The highest-priority backend becomes active unless the user chose
 * one with setBackend or TESSERA_BACKEND.
 */
export function registerBackend(
  name: BackendName,
  kernels: PartialKernels,
  priority: number,
  positional?: object,
): void {
  const entry = { kernels, priority, positional };
  registered.set(name, entry);
  if (
    forced === name ||
    (!chosenByUser && forced === undefined && priority > (registered.get(activeName)?.priority ?? 0))
  )
    activate(name, entry);
}

/** Selects a registered backend by name. */
export function setBackend(name: BackendName): void {
  const entry = registered.get(name);
  if (!entry) {
    throw new BackendError(
      `setBackend: backend "${name}" is not available (registered: ${[...registered.keys()].join(", ")})`,
    );
  }
  chosenByUser = true;
  activate(name, entry);
}

/**
 * Registers the WebAssembly backend from the module's bytes (a page fetches wasm/tessera.wasm; Node
 * reads it itself when this module loads). It becomes active like any registration: unless
 * setBackend or TESSERA_BACKEND chose another. Throws a BackendError when the bytes are not a
 * usable Tessera module.
 */
export function registerWasmFromBytes(bytes: Uint8Array | ArrayBuffer): void {
  let wasm: ReturnType<typeof adoptWasmBytes>;
  try {
    wasm = adoptWasmBytes(bytes);
  } catch (error) {
    throw new BackendError(
      `registerWasmFromBytes: not a usable Tessera WebAssembly module (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const replacing = activeName === "wasm";
  registerBackend("wasm", wasm.kernels, 1, wasm.addon);
  const entry = registered.get("wasm");
  if (replacing && entry !== undefined) activate("wasm", entry); // the new module's kernels, not the old
}

/** Name of the backend whose kernels run now. */
export function getBackend(): BackendName {
  requireForcedBackend();
  return activeName;
}

/**
 * The running backend in words, for the first line a user reads: "native (avx512, 2 threads)",
 * "reference".
 */
export function describeBackend(): string {
  const name = getBackend();
  if (name === "wasm") return describeWasm();
  const addon = nativeAddon();
  if (name !== "native" || addon === undefined) return name;
  const threads = addon.getNumThreads();
  return `native (${addon.getIsa()}, ${threads} thread${threads === 1 ? "" : "s"})`;
}

/** Names of every registered backend. */
export function listBackends(): BackendName[] {
  return [...registered.keys()];
}

/**
 * The active kernel table (reference-filled). Throws, like getBackend, while TESSERA_BACKEND
 * forces a backend that is not there (until setBackend chooses one), rather than quietly
 * running another.
 */
export function kernels(): Kernels {
  requireForcedBackend();
  return active;
}

/**
 * Runs `body` with `table` answering kernels() (the inference plan's recorder: a table of
 * wrappers around the active kernels), then puts the active table back, also when body throws.
 * The backend's name and routes stay those of the active backend.
 */
export function withKernelTable<T>(table: Kernels, body: () => T): T {
  const previous = active;
  active = table;
  try {
    return body();
  } finally {
    active = previous;
  }
}

// Last, once the tables above exist: the native addon where the host has one.
const nativeTable = loadNativeBackend();
if (nativeTable !== undefined) registerBackend("native", nativeTable, 2, nativeAddon());
// Then the WebAssembly build of the same kernels (wasm/tessera.wasm), between native and reference.
const wasm = loadWasmBackend();
if (wasm !== undefined) registerBackend("wasm", wasm.kernels, 1, wasm.addon);
// Without the addon, one stderr line says what runs instead and how to get native (process.emitWarning
// would add a second line, about --trace-warnings).
const notice =
  nativeTable === undefined ? nativeFallbackNotice(wasm === undefined ? "reference" : "wasm") : undefined;
if (notice !== undefined) console.warn(notice);
