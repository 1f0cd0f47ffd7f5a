// backend/wasm/node-bytes: the bytes of wasm/tessera.wasm (or wasm/tessera-threads.wasm) on Node, read through
// process.getBuiltinModule (no static node:* import, so the module graph stays portable; a page
// fetches the same file instead). The file sits at the package root, three folders above this
// one in src/ and in dist/ alike.

interface NodeProcess {
  versions: { node?: string };
  getBuiltinModule: (id: string) => unknown;
}
interface NodeFsApi {
  existsSync(path: string): boolean;
  readFileSync(path: string): Uint8Array;
}
interface NodeUrlApi {
  fileURLToPath(url: URL): string;
}

/** Where the module is, relative to the package root. */
export const WASM_FILE = "wasm/tessera.wasm";
/** Where the threaded module is. */
export const WASM_THREADS_FILE = "wasm/tessera-threads.wasm";

/** A module's bytes and path, undefined off Node, or the reason it could not be read. */
export function readWasmBytes(
  file: string = WASM_FILE,
): { bytes: Uint8Array; path: string } | { problem: string } | undefined {
  const proc = (globalThis as { process?: Partial<NodeProcess> }).process;
  if (proc?.versions?.node === undefined || typeof proc.getBuiltinModule !== "function") return undefined;
  const fs = proc.getBuiltinModule("node:fs") as NodeFsApi;
  const { fileURLToPath } = proc.getBuiltinModule("node:url") as NodeUrlApi;
  const path = fileURLToPath(new URL(`../../../${file}`, import.meta.url));
  if (!fs.existsSync(path)) return { problem: `${file} is missing (build it: npm run build:wasm)` };
  try {
    return { bytes: fs.readFileSync(path), path };
  } catch (error) {
    return { problem: `${file}: ${error instanceof Error ? error.message : String(error)}` };
  }
}
