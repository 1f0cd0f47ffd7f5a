// backend/wasm/module: one instance of wasm/tessera.wasm, or of wasm/tessera-threads.wasm over a
// shared memory (built by scripts/build-wasm.mjs from the native kernels' C++ sources), and the
// calling convention of its C ABI (native/wasm/binding.cc):
// every entry point takes its arguments as 4-double slots in linear memory, typed arrays copied
// into a reusable arena first and the written ones copied back after. Tensors stay in the JS heap;
// only a kernel's own arguments cross, and only around the call. Portable: it takes the module's
// bytes from its caller (Node reads the file in backend/wasm/node-bytes; a page will fetch them).
import type { TypedArray } from "../../core/dtype.js";

/** What the module's manifest says about its build. */
export interface WasmManifest {
  abiVersion: number;
  /** "simd128" when built with WebAssembly SIMD (the default build). */
  isa: string;
  /** Entry points, in the order of their numeric index. */
  functions: string[];
  /** Name lists (unaryOps, binaryOps, reduceOps, cellActivations). */
  lists: Record<string, string[]>;
}

/** The parts of the WebAssembly JS API used here (the project's lib settings declare no DOM). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
interface WasmGlobal {
  value: unknown;
}
/** A compiled module (WebAssembly.Module): what helper threads instantiate again. */
export type CompiledWasm = object;
interface WasmApi {
  Module: new (bytes: Uint8Array | ArrayBuffer) => CompiledWasm;
  Instance: new (module: CompiledWasm, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** The host's WebAssembly API, or undefined where there is none. */
export function webAssemblyApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

interface Exports {
  /** Absent from the threaded build, which imports its memory. */
  memory: WasmMemory;
  __stack_pointer: WasmGlobal;
  _initialize(): void;
  tessera_init(): number;
  tessera_manifest_length(): number;
  tessera_call(index: number, slots: number, count: number): void;
  tessera_alloc(bytes: number): number;
  tessera_free(address: number): void;
}

/** What wasm/tessera-threads.wasm exports besides the entry points (native/wasm/thread-pool-shared.cc). */
export interface ThreadExports {
  tessera_main_init(): void;
  tessera_threads_max(): number;
  tessera_threads_set(count: number): void;
  tessera_threads_host(cores: number, mainMayWait: number): void;
  tessera_helper_memory(): number;
  tessera_helper_stack_bytes(): number;
  tessera_threads_stop(): void;
  tessera_thread_tasks(index: number): number;
  tessera_threads_probe(threads: number, maxPolls: number): number;
}

/** Text of `length` bytes at `at` (copied first: TextDecoder takes no view of shared memory). */
function readText(memory: WasmMemory, at: number, length: number): string {
  return decoder.decode(new Uint8Array(memory.buffer, at, length).slice());
}

/** The napi_typedarray_type code of each typed array the kernels take (native/wasm/include/napi.h). */
function typeCode(array: TypedArray): number {
  if (array instanceof Float32Array) return 7;
  if (array instanceof Float64Array) return 8;
  if (array instanceof Int32Array) return 5;
  return 1; // Uint8Array
}

function isTypedArray(value: unknown): value is TypedArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** How the arrays of one entry point travel: which are written (copied back) and which only written (not copied in). */
export interface Transfer {
  /** Argument positions the kernel writes; undefined: every array (the safe default). */
  outputs?: readonly number[];
  /** Of those, the ones it overwrites entirely, so their old contents need not be copied in. */
  writeOnly?: readonly number[];
  /** Without `outputs`: positions it only reads (negative ones count from the end), not copied back. */
  readOnly?: readonly number[];
}

/** Whether the array at position i of n is copied back after the call. */
function copiedBack(transfer: Transfer, i: number, n: number): boolean {
  if (transfer.outputs !== undefined) return transfer.outputs.includes(i);
  const readOnly = transfer.readOnly;
  return readOnly === undefined || !(readOnly.includes(i) || readOnly.includes(i - n));
}

const decoder = new TextDecoder();

/** The WASI calls the C++ runtime links; answered here without touching the host. */
function wasiImports(memory: () => WasmMemory): Record<string, (...args: number[]) => number> {
  const view = () => new DataView(memory().buffer);
  return {
    environ_sizes_get: (countAt, sizeAt) => {
      view().setUint32(countAt, 0, true);
      view().setUint32(sizeAt, 0, true);
      return 0;
    },
    environ_get: () => 0,
    fd_close: () => 0,
    fd_seek: () => 70, // ESPIPE: nothing is seekable
    fd_write: (_fd, iovs, count, writtenAt) => {
      let total = 0;
      for (let i = 0; i < count; i++) total += view().getUint32(iovs + 8 * i + 4, true);
      view().setUint32(writtenAt, total, true);
      return 0;
    },
    proc_exit: (code) => {
      throw new Error(`tessera wasm: the module aborted (exit code ${code})`);
    },
  };
}

export class WasmModule {
  readonly manifest: WasmManifest;
  private readonly exports: Exports;
  /** Linear memory: the module's own, or the shared one it imports. */
  readonly memory: WasmMemory;
  private arena = 0;
  private arenaBytes = 0;
  /** Where each array of the current call sits in the arena, and whether it was copied in. */
  private readonly placed = new Map<TypedArray, { offset: number; copyIn: boolean }>();
  /** The compiled module (helper threads instantiate it again over the same memory). */
  readonly compiled: CompiledWasm;
  /** The thread exports of the threaded build; undefined for the one-thread module. */
  readonly threads: ThreadExports | undefined;
  /** Run once before the first entry point call (the threaded backend starts its helpers there). */
  private beforeFirstCall: (() => void) | undefined;

  /**
   * Instantiates the module in `source` (bytes or compiled). The threaded build imports its memory:
   * pass the shared memory it is to use (backend/wasm/threads creates it).
   */
  constructor(source: Uint8Array | ArrayBuffer | CompiledWasm, sharedMemory?: WasmMemory) {
    const api = webAssemblyApi();
    if (api === undefined) throw new Error("tessera wasm: this host has no WebAssembly");
    let memory: WasmMemory | undefined = sharedMemory;
    const getMemory = () => {
      if (memory === undefined) throw new Error("tessera wasm: memory used before instantiation");
      return memory;
    };
    const imports = {
      env: {
        tessera_throw: (kind: number, at: number, length: number) => {
          const message = readText(getMemory(), at, length);
          if (kind === 1) throw new TypeError(message);
          if (kind === 2) throw new RangeError(message);
          throw new Error(message);
        },
      },
      wasi_snapshot_preview1: wasiImports(getMemory),
    };
    if (sharedMemory !== undefined) Object.assign(imports.env, { memory: sharedMemory });
    this.compiled =
      source instanceof Uint8Array || source instanceof ArrayBuffer ? new api.Module(source) : source;
    const instance = new api.Instance(this.compiled, imports);
    const exports = instance.exports as unknown as Exports & Partial<ThreadExports>;
    this.exports = exports;
    memory = sharedMemory ?? exports.memory;
    this.memory = memory;
    this.threads =
      exports.tessera_main_init === undefined ? undefined : (exports as unknown as ThreadExports);
    // the main instance's thread-local block, before anything (constructors included) runs
    this.threads?.tessera_main_init();
    this.exports._initialize();
    const at = this.exports.tessera_init();
    this.manifest = JSON.parse(readText(memory, at, this.exports.tessera_manifest_length())) as WasmManifest;
  }

  /** Has `hook` run once, just before the next entry point call. */
  onFirstCall(hook: () => void): void {
    this.beforeFirstCall = hook;
  }

  /** Linear memory in bytes (it grows as kernels and the arena need more). */
  memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** An arena of at least `bytes`, reused across calls. */
  private reserve(bytes: number): number {
    if (bytes > this.arenaBytes) {
      if (this.arena !== 0) this.exports.tessera_free(this.arena);
      const size = Math.max(bytes, Math.ceil(this.arenaBytes * 1.5), 1 << 16);
      this.arena = this.exports.tessera_alloc(size);
      if (this.arena === 0)
        throw new RangeError(`tessera wasm: cannot allocate ${size} bytes of linear memory`);
      this.arenaBytes = size;
    }
    return this.arena;
  }

  /**
   * Calls entry point `index` with `args` (typed arrays, numbers, booleans, null). Arrays are copied
   * into linear memory (the same array passed twice is placed once), the ones `transfer` names as
   * outputs copied back. Errors the entry point raises (its argument checks) reach the caller.
   */
  call(index: number, args: readonly unknown[], transfer: Transfer): void {
    if (this.beforeFirstCall !== undefined) {
      const hook = this.beforeFirstCall;
      this.beforeFirstCall = undefined;
      hook();
    }
    const placed = this.placed;
    placed.clear();
    const writeOnly = transfer.writeOnly;
    let bytes = (32 * args.length + 63) & ~63;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (!isTypedArray(arg)) continue;
      // an array is copied in unless every position it takes is one the kernel only writes
      const copyIn = writeOnly === undefined || !writeOnly.includes(i);
      const seen = placed.get(arg);
      if (seen !== undefined) {
        seen.copyIn ||= copyIn;
        continue;
      }
      placed.set(arg, { offset: bytes, copyIn });
      bytes += (arg.byteLength + 63) & ~63;
    }
    const base = this.reserve(bytes);
    let heap = this.memory.buffer;
    for (const [array, place] of placed) {
      if (place.copyIn)
        new Uint8Array(heap, base + place.offset, array.byteLength).set(
          new Uint8Array(array.buffer, array.byteOffset, array.byteLength),
        );
    }
    const slots = new Float64Array(heap, base, 4 * args.length);
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      const s = 4 * i;
      if (isTypedArray(arg)) {
        slots[s] = 4;
        slots[s + 1] = base + (placed.get(arg)?.offset ?? 0);
        slots[s + 2] = arg.length;
        slots[s + 3] = typeCode(arg);
      } else if (typeof arg === "number") {
        slots[s] = 2;
        slots[s + 1] = arg;
      } else if (typeof arg === "boolean") {
        slots[s] = 3;
        slots[s + 1] = arg ? 1 : 0;
      } else {
        slots[s] = arg === null ? 1 : 0;
      }
    }
    const stack = this.exports.__stack_pointer;
    const saved = stack.value as number;
    try {
      this.exports.tessera_call(index, base, args.length);
    } finally {
      // an error raised inside the module unwinds its frames without restoring the stack pointer
      stack.value = saved;
    }
    heap = this.memory.buffer; // a kernel may have grown memory
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (!isTypedArray(arg) || !copiedBack(transfer, i, args.length)) continue;
      const at = base + (placed.get(arg)?.offset ?? 0);
      new Uint8Array(arg.buffer, arg.byteOffset, arg.byteLength).set(
        new Uint8Array(heap, at, arg.byteLength),
      );
    }
  }
}
