// backend/native/loader: finds and loads the C++ addon where the host can load one (Node), and
// hands its kernel table to the registry, which calls loadNativeBackend() once when it starts:
// every entry path (the package entry, deep imports, the CLI, server workers, a user's worker
// threads) goes through the registry, so every one gets the native backend without importing
// this file. It imports no node:* module statically (Node's built-ins come through
// process.getBuiltinModule), so the portable core still bundles for a browser, where there is
// no addon and this returns undefined without a word.
//
// Where the addon comes from, first found wins (node-gyp-build's order):
//   native/build/Release/tessera_native.node        built from source (`npm run build:native`)
//   prebuilds/<platform>-<arch>/tessera_native.node  shipped in the npm package (linux-x64 today)
// If neither loads, Tessera says once, in one line, which backend runs and how to get the fast
// one; with TESSERA_REQUIRE_NATIVE=1 a missing addon is a BackendError instead. TESSERA_NUM_THREADS
// caps the addon's threads; TESSERA_BACKEND (the registry) may force another backend.
import { setUninitAllocator } from "../../core/dtype.js";
import { envVariable, hostWarning } from "../../core/env.js";
import { BackendError } from "../../core/errors.js";
import type { PartialKernels } from "../kernels.js";
import { addonProblem, type NativeAddon } from "./addon.js";
import { nativeKernels } from "./table.js";

/** The subset of Node's `process` this file uses, reached through globalThis. */
interface NodeProcess {
  platform: string;
  arch: string;
  versions: { node?: string };
  getBuiltinModule: (id: string) => unknown;
}
interface NodeModuleApi {
  createRequire(from: string): (id: string) => unknown;
}
interface NodeFsApi {
  existsSync(path: string): boolean;
}
interface NodeUrlApi {
  fileURLToPath(url: URL): string;
}
interface NodeBufferApi {
  Buffer: { allocUnsafeSlow(size: number): { buffer: ArrayBufferLike } };
}

let addon: NativeAddon | undefined;
let loadError: string | undefined;
let attempted = false;

/** Node's process, or undefined off Node (browsers, other hosts). */
function nodeProcess(): NodeProcess | undefined {
  const candidate = (globalThis as { process?: Partial<NodeProcess> }).process;
  if (candidate?.versions?.node === undefined || typeof candidate.getBuiltinModule !== "function") return;
  return candidate as NodeProcess;
}

/** Addon files to try, in order, as paths relative to the package root. */
export function addonCandidates(platform: string, arch: string): string[] {
  return ["native/build/Release/tessera_native.node", `prebuilds/${platform}-${arch}/tessera_native.node`];
}

/** Threads from TESSERA_NUM_THREADS, or undefined (with a warning) when it is not a count. */
function threadsFromEnv(): number | undefined {
  const raw = envVariable("TESSERA_NUM_THREADS");
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= 1 && value <= 1024) return value;
  hostWarning(
    `TESSERA_NUM_THREADS: expected an integer from 1 to 1024 (got ${JSON.stringify(raw)}); using every core`,
    "TESSERA_NUM_THREADS",
  );
  return undefined;
}

/** Loads the first addon file that exists; returns the reason when none loads. */
function load(proc: NodeProcess): string | undefined {
  const { createRequire } = proc.getBuiltinModule("node:module") as NodeModuleApi;
  const { existsSync } = proc.getBuiltinModule("node:fs") as NodeFsApi;
  const { fileURLToPath } = proc.getBuiltinModule("node:url") as NodeUrlApi;
  // This file sits three folders below the package root, in src/ and in dist/ alike.
  const root = new URL("../../../", import.meta.url);
  const requireAddon = createRequire(import.meta.url);
  const problems: string[] = [];
  for (const relative of addonCandidates(proc.platform, proc.arch)) {
    const path = fileURLToPath(new URL(relative, root));
    if (!existsSync(path)) continue;
    try {
      const loaded = requireAddon(path);
      const problem = addonProblem(loaded);
      if (problem !== undefined) throw new Error(problem);
      addon = loaded as NativeAddon;
      return undefined;
    } catch (error) {
      problems.push(`${relative}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    }
  }
  return problems.length > 0
    ? problems.join("; ")
    : `no prebuilt addon for ${proc.platform}-${proc.arch} and none built from source`;
}

/**
 * Loads the addon on the first call (later calls return at once): applies TESSERA_NUM_THREADS and
 * installs the allocator that skips V8's zero fill. Off Node it does nothing.
 */
function ensureLoaded(): void {
  if (attempted) return;
  attempted = true;
  const proc = nodeProcess();
  if (proc === undefined) return;
  loadError = load(proc);
  if (addon === undefined) {
    // For deployments and CI that must never run slowly by accident (and tests that would
    // otherwise generate no per-ISA case): a missing addon is an error, not a fallback.
    if (envVariable("TESSERA_REQUIRE_NATIVE") === "1")
      throw new BackendError(`TESSERA_REQUIRE_NATIVE=1, but the native addon did not load: ${loadError}`);
    return;
  }
  const threads = threadsFromEnv();
  if (threads !== undefined) addon.setNumThreads(threads);
  const { Buffer } = proc.getBuiltinModule("node:buffer") as NodeBufferApi;
  // Outputs a kernel overwrites completely skip V8's zero fill (malloc instead of calloc); V8
  // still owns and frees them like any other ArrayBuffer.
  setUninitAllocator((byteLength) => Buffer.allocUnsafeSlow(byteLength).buffer as ArrayBuffer);
}

/**
 * The addon's kernel table, or undefined when there is none (nativeLoadError() says why; the
 * registry, which knows what runs instead, tells the user). The registry calls this once and
 * registers the table as the "native" backend.
 */
export function loadNativeBackend(): PartialKernels | undefined {
  ensureLoaded();
  return addon === undefined ? undefined : nativeKernels(addon);
}

/**
 * The one stderr line for a host whose addon did not load: which backend runs instead and how to
 * get the native one; undefined when there is nothing to say (the addon loaded, no Node host, or
 * TESSERA_BACKEND asked for another backend anyway).
 */
export function nativeFallbackNotice(instead: "wasm" | "reference"): string | undefined {
  ensureLoaded();
  const forced = envVariable("TESSERA_BACKEND");
  if (addon !== undefined || loadError === undefined || forced === "reference" || forced === "wasm")
    return undefined;
  const running =
    instead === "wasm"
      ? "the WebAssembly backend (the same kernels compiled for wasm, about 4x slower)"
      : "the reference backend (plain JavaScript, about 50x slower)";
  return (
    `tessera-ml: running on ${running}: ${loadError}. ` +
    "For the native one, build it: `npx tessera-build-native` (needs a C++17 compiler and Python 3)."
  );
}

/**
 * The loaded addon (for tests and benchmarks: ISA and thread controls, probes), if any; loads it
 * when nothing has yet, so a module that imports only this file still finds it.
 */
export function nativeAddon(): NativeAddon | undefined {
  ensureLoaded();
  return addon;
}

/** Why the addon did not load, or undefined when it did (or when the host has no addons). */
export function nativeLoadError(): string | undefined {
  ensureLoaded();
  return loadError;
}
