// backend/native/loader: loads the C++ addon (Node only) and registers its kernels as the
// "native" backend. If the addon is missing or does not load, Tessera keeps running on the
// reference backend and says so once, with the reason. TESSERA_NUM_THREADS caps its threads;
// TESSERA_BACKEND (handled by the registry) may still force another backend.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { setUninitAllocator } from "../../core/dtype.js";
import { registerBackend } from "../registry.js";
import { addonProblem, type NativeAddon } from "./addon.js";
import { nativeKernels } from "./table.js";

/** Where `npm run build:native` puts the addon, relative to this file in src/ or dist/. */
const ADDON_URL = new URL("../../../native/build/Release/tessera_native.node", import.meta.url);

let addon: NativeAddon | undefined;
let loadError: string | undefined;

function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === "" ? undefined : value;
}

/** Threads from TESSERA_NUM_THREADS, or undefined (with a warning) when it is not a count. */
function threadsFromEnv(): number | undefined {
  const raw = env("TESSERA_NUM_THREADS");
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= 1 && value <= 1024) return value;
  process.emitWarning(
    `TESSERA_NUM_THREADS: expected an integer from 1 to 1024 (got ${JSON.stringify(raw)}); using every core`,
    { code: "TESSERA_NUM_THREADS" },
  );
  return undefined;
}

function load(): void {
  const path = fileURLToPath(ADDON_URL);
  try {
    const loaded: unknown = createRequire(import.meta.url)(path);
    const problem = addonProblem(loaded);
    if (problem !== undefined) throw new Error(problem);
    addon = loaded as NativeAddon;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    loadError = `native backend unavailable (${reason}); using the reference backend. Build it with \`npm run build:native\`.`;
    if (env("TESSERA_BACKEND") !== "reference") process.emitWarning(loadError, { code: "TESSERA_NATIVE" });
    return;
  }
  const threads = threadsFromEnv();
  if (threads !== undefined) addon.setNumThreads(threads);
  registerBackend("native", nativeKernels(addon), 2);
  setUninitAllocator(uninitArrayBuffer);
}

/**
 * An ArrayBuffer Node allocates without the zero fill (malloc instead of calloc): outputs a
 * kernel overwrites completely skip clearing megabytes first. V8 owns and frees it like any other.
 */
function uninitArrayBuffer(byteLength: number): ArrayBuffer {
  return Buffer.allocUnsafeSlow(byteLength).buffer as ArrayBuffer;
}

load();

/** The loaded addon (for tests and benchmarks: ISA and thread controls, probes), if any. */
export function nativeAddon(): NativeAddon | undefined {
  return addon;
}

/** Why the addon did not load, or undefined when it did. */
export function nativeLoadError(): string | undefined {
  return loadError;
}
