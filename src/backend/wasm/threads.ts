// backend/wasm/threads: the threaded WebAssembly backend's pool on the JavaScript side. It creates
// the shared memory wasm/tessera-threads.wasm imports (its limits read from the module's import
// section), instantiates the main module over it, and starts the helper threads (further
// instances in worker threads or Web Workers, backend/wasm/worker-host) the first time a kernel
// runs, so a process that loads Tessera but runs native kernels starts none. The thread count
// (the addon's setNumThreads) is what kernels split their work for; a helper that has not started
// yet simply leaves its share to the caller (native/wasm/thread-pool-shared.cc), so results never
// depend on when the helpers come up.
import { type CompiledWasm, WasmModule, webAssemblyApi } from "./module.js";
import type { HelperHandle, HelperMessage, WorkerHost } from "./worker-host.js";

/** Threads used by default: the host's cores, capped (each helper is a worker with its own stack). */
export const DEFAULT_MAX_THREADS = 8;

/** Initial and maximum pages of the memory a module imports, from its import section. */
export function importedMemoryLimits(bytes: Uint8Array): {
  initial: number;
  maximum?: number;
  shared: boolean;
} {
  let at = 8;
  const leb = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[at++];
      if (byte === undefined) throw new Error("the module ends inside its import section");
      value += (byte & 127) * scale;
      scale *= 128;
      if (byte < 128) return value;
    }
  };
  const skipName = () => {
    const length = leb(); // read before `at` is (`at += leb()` would add to the old position)
    at += length;
  };
  while (at < bytes.length) {
    const section = bytes[at++];
    const size = leb();
    const end = at + size;
    if (section === 2) {
      const count = leb();
      for (let i = 0; i < count; i++) {
        skipName();
        skipName();
        const kind = bytes[at++];
        if (kind === 0)
          leb(); // function: type index
        else if (kind === 1) {
          at++; // table: element type, then limits
          const flags = leb();
          leb();
          if (flags & 1) leb();
        } else if (kind === 2) {
          const flags = leb();
          const initial = leb();
          const maximum = flags & 1 ? leb() : undefined;
          return { initial, maximum, shared: (flags & 2) !== 0 };
        } else at += 2; // global: value type, mutability
      }
    }
    at = end;
  }
  throw new Error("the module imports no memory (not the threaded build)");
}

/** The main instance of the threaded module over a new shared memory. */
export function instantiateThreaded(bytes: Uint8Array | ArrayBuffer): WasmModule {
  const api = webAssemblyApi();
  if (api === undefined) throw new Error("this host has no WebAssembly");
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const limits = importedMemoryLimits(view);
  if (!limits.shared) throw new Error("the module's memory is not shared (not the threaded build)");
  const memory = new api.Memory({ initial: limits.initial, maximum: limits.maximum, shared: true });
  const module = new WasmModule(view, memory);
  if (module.threads === undefined) throw new Error("the module has no thread pool (not the threaded build)");
  return module;
}

/** The helper threads of one threaded module, and its thread count. */
export class WasmThreads {
  /** Threads kernels split work for (the caller included). */
  private count: number;
  private readonly helpers: HelperHandle[] = [];
  private started = false;
  private stopped = false;
  private readyCount = 0;
  private readonly failures: string[] = [];
  private readonly waiting: (() => void)[] = [];
  readonly max: number;

  constructor(
    private readonly module: WasmModule,
    private readonly host: WorkerHost,
    count: number,
  ) {
    const threads = module.threads;
    if (threads === undefined) throw new Error("not the threaded module");
    this.max = threads.tessera_threads_max();
    threads.tessera_threads_host(host.cores, host.mainMayWait ? 1 : 0);
    this.count = this.clamp(count);
    threads.tessera_threads_set(this.count);
    // helpers start when the first kernel runs on this module
    module.onFirstCall(() => this.start());
  }

  private clamp(count: number): number {
    return Math.max(1, Math.min(Math.floor(count), this.max));
  }

  /** Threads kernels use now. */
  get threads(): number {
    return this.count;
  }

  /** The host's cores. */
  get cores(): number {
    return this.host.cores;
  }

  /** Where the helpers run ("worker_threads", "Web Workers"). */
  get hostKind(): string {
    return this.host.kind;
  }

  /** Uses `count` threads from the next kernel on, starting helpers as needed (once started). */
  setThreads(count: number): void {
    if (this.stopped) return; // replaced by another module: stays at 1
    this.count = this.clamp(count);
    this.module.threads?.tessera_threads_set(this.count);
    if (this.started) this.spawnUpTo(this.count - 1);
  }

  /** Starts the helpers for the current thread count (the module calls this before its first kernel). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.spawnUpTo(this.count - 1);
  }

  private spawnUpTo(helpers: number): void {
    const threads = this.module.threads;
    if (threads === undefined) return;
    while (this.helpers.length < helpers) {
      const index = this.helpers.length + 1;
      const region = threads.tessera_helper_memory();
      if (region === 0) {
        this.failures.push(`helper ${index}: no memory for its stack`);
        return;
      }
      const data = {
        module: this.module.compiled as CompiledWasm,
        memory: this.module.memory,
        index,
        region,
        stackBytes: threads.tessera_helper_stack_bytes(),
      };
      this.helpers.push(this.host.spawn(data, (message) => this.heard(message)));
    }
  }

  private heard(message: HelperMessage): void {
    if (message.ready !== undefined) this.readyCount++;
    if (message.failed !== undefined) {
      const text = `helper ${message.failed}: ${message.message ?? "failed"}`;
      if (this.failures.length === 0)
        console.warn(`tessera: a wasm helper thread failed (${text}); its share runs on the others`);
      this.failures.push(text);
    }
    if (message.ready !== undefined || message.failed !== undefined) {
      for (const resolve of this.waiting.splice(0)) resolve();
    }
  }

  /** Resolves when every helper started so far is running (or failed); with the running count. */
  async ready(): Promise<number> {
    this.start();
    for (const helper of this.helpers) helper.hold(true);
    try {
      while (this.readyCount + this.failures.length < this.helpers.length)
        await new Promise<void>((resolve) => this.waiting.push(resolve));
    } finally {
      for (const helper of this.helpers) helper.hold(false);
    }
    return this.readyCount;
  }

  /** Tasks each thread has run since the module loaded (index 0: the caller). */
  tasksPerThread(): number[] {
    const threads = this.module.threads;
    if (threads === undefined) return [];
    return Array.from({ length: this.helpers.length + 1 }, (_, i) => threads.tessera_thread_tasks(i));
  }

  /**
   * How many distinct threads ran a job of `threads` tasks that each wait until all have started
   * (at most `maxPolls` polls): `threads` when that many run at once, fewer when helpers are missing.
   */
  probe(threads: number, maxPolls = 2_000_000_000): number {
    return this.module.threads?.tessera_threads_probe(threads, maxPolls) ?? 1;
  }

  /** Ends the helpers (the module runs every later job on the caller): when a new module replaces this one. */
  stop(): void {
    this.module.threads?.tessera_threads_set(1);
    this.module.threads?.tessera_threads_stop();
    for (const helper of this.helpers.splice(0)) helper.terminate();
    this.count = 1;
    this.started = true;
    this.stopped = true;
  }

  /** What went wrong with helpers, if anything. */
  problems(): readonly string[] {
    return this.failures;
  }
}
