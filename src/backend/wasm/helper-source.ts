// backend/wasm/helper-source: the code a helper thread of the threaded WebAssembly backend runs,
// as text, so that one self-contained script serves both hosts: a Node worker thread (eval) and a
// browser Web Worker (a Blob URL); backend/wasm/worker-host wraps it for each. It instantiates the
// compiled module again over the shared memory (the data segments are not written twice: the
// linker's start function initialises memory once), points its stack pointer at the region the
// main instance allocated for it, reports ready, then runs tessera_helper_run, which returns only
// when the pool stops. Its imports answer like the main instance's (backend/wasm/module), without
// the host: a helper thread only runs kernels' inner loops, which call none of them.

/**
 * Defines `start(data, post)`: data = { module, memory, index, region, stackBytes }, post(message)
 * sends { ready: index }, { stopped: index } or { failed: index, message } to the main thread.
 */
export const HELPER_SOURCE = `
function start(data, post) {
  const { module, memory, index, region, stackBytes } = data;
  try {
    const imports = {};
    for (const entry of WebAssembly.Module.imports(module)) {
      const space = imports[entry.module] || (imports[entry.module] = {});
      if (entry.kind === "memory") space[entry.name] = memory;
      else if (entry.name === "tessera_throw")
        space[entry.name] = (kind, at, length) => {
          const text = new TextDecoder().decode(new Uint8Array(memory.buffer, at, length).slice());
          throw new Error("tessera wasm helper " + index + ": " + text);
        };
      else if (entry.name === "proc_exit")
        space[entry.name] = (code) => {
          throw new Error("tessera wasm helper " + index + ": the module aborted (exit code " + code + ")");
        };
      else space[entry.name] = () => 0;
    }
    const instance = new WebAssembly.Instance(module, imports);
    instance.exports.__stack_pointer.value = region + stackBytes;
    post({ ready: index });
    instance.exports.tessera_helper_run(index, region);
    post({ stopped: index });
  } catch (error) {
    post({ failed: index, message: String(error && error.message ? error.message : error) });
  }
}
`;
