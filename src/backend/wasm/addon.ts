// backend/wasm/addon: the WebAssembly module dressed as the native addon. Its entry points are the
// addon's (the same native/src/*-napi.cc files, compiled to wasm32), with the same names and
// arguments, so the native kernel table (backend/native/table) binds them unchanged: every core
// kernel, and every fused kernel by its definition's name with its positional tail. Each function
// here copies its arrays in and the written ones back (backend/wasm/module). Controls answer for
// the SIMD128 build: the thread count is the threaded module's pool (backend/wasm/threads), 1
// for the one-thread module.
import type { NativeAddon } from "../native/addon.js";
import type { Transfer, WasmModule } from "./module.js";
import type { WasmThreads } from "./threads.js";

/**
 * Which arguments the core entry points write (native/src/*-napi.cc argument lists), and which of
 * those they overwrite entirely. Fused kernels, not listed, copy every array back.
 */
const TRANSFERS: Record<string, Transfer> = {
  unary: { outputs: [2], writeOnly: [2] },
  binary: { outputs: [3], writeOnly: [3] },
  where: { outputs: [3], writeOnly: [3] },
  reduce: { outputs: [5], writeOnly: [5] },
  cumsum: { outputs: [5], writeOnly: [5] },
  softmax: { outputs: [5], writeOnly: [5] },
  matmul: { outputs: [2], writeOnly: [2] },
  stridedCopy: { outputs: [1] },
  gather: { outputs: [5], writeOnly: [5] },
  scatterAdd: { outputs: [5] },
  cast: { outputs: [1], writeOnly: [1] },
  im2col: { outputs: [1] },
  col2im: { outputs: [1] },
  maxPool: { outputs: [1, 2] },
  maxPoolBackward: { outputs: [2] },
  avgPool: { outputs: [1] },
  avgPoolBackward: { outputs: [1] },
  convForward: { outputs: [3] },
  convBackward: { outputs: [4, 5, 6] },
};

/** The error for a control the single-threaded wasm build does not have. */
function unsupported(name: string): () => never {
  return () => {
    throw new Error(`tessera wasm: ${name} is not available in the WebAssembly build`);
  };
}

/** An addon-shaped object over the module: entry points by name, name lists, controls. */
export function wasmAddon(module: WasmModule, threads?: WasmThreads): NativeAddon {
  const { manifest } = module;
  const addon: Record<string, unknown> = {
    abiVersion: manifest.abiVersion,
    getIsa: () => manifest.isa,
    supportedIsas: () => [manifest.isa],
    setIsa: (isa: string) => {
      if (isa !== manifest.isa)
        throw new RangeError(`tessera wasm: setIsa: this build has only "${manifest.isa}" (got "${isa}")`);
    },
    getNumThreads: () => threads?.threads ?? 1,
    setNumThreads: (count: number) => {
      if (!Number.isInteger(count) || count < 1)
        throw new RangeError(`tessera wasm: setNumThreads: expected an integer >= 1 (got ${count})`);
      threads?.setThreads(count); // the one-thread module runs every job on the caller
    },
    availableCores: () => threads?.cores ?? 1,
    fmaPeak: unsupported("fmaPeak"),
    triadBandwidth: unsupported("triadBandwidth"),
  };
  for (const [name, list] of Object.entries(manifest.lists)) addon[name] = list;
  manifest.functions.forEach((name, index) => {
    if (name in addon) return; // the addon's controls, answered above for this build
    // optimizer updates (param, grad, state..., k) write everything but the gradient and k
    const transfer = TRANSFERS[name] ?? (name.endsWith("Update") ? { readOnly: [1, -1] } : {});
    addon[name] = (...args: unknown[]) => module.call(index, args, transfer);
  });
  return addon as unknown as NativeAddon;
}
