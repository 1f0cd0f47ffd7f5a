// backend/wasm/worker-host: where the threaded WebAssembly backend's helper threads can run, and
// how to start one. Node: worker_threads (through process.getBuiltinModule, so the module graph
// keeps no node:* import), each helper unref'd so it never keeps a process alive. Browsers: Web
// Workers from a Blob URL, only where the page is cross-origin isolated (SharedArrayBuffer and a
// shared WebAssembly.Memory need it). Anywhere else there is no host, and the reason says why,
// for the one line the loader prints when it falls back to one thread.
import { HELPER_SOURCE } from "./helper-source.js";

/** What a helper is told: the compiled module, the shared memory, its index and its memory region. */
export interface HelperData {
  module: object;
  memory: object;
  index: number;
  region: number;
  stackBytes: number;
}

/** Messages a helper sends back (backend/wasm/helper-source). */
export interface HelperMessage {
  ready?: number;
  stopped?: number;
  failed?: number;
  message?: string;
}

/** A started helper. */
export interface HelperHandle {
  terminate(): void;
  /** Whether it keeps the host alive (Node: ref/unref; a page has nothing to keep alive). */
  hold(held: boolean): void;
}

/** A host that can run helper threads. */
export interface WorkerHost {
  /** "worker_threads" or "Web Workers", for messages. */
  kind: string;
  /** Cores the host reports (os.availableParallelism, navigator.hardwareConcurrency). */
  cores: number;
  /** Whether the calling thread may block in Atomics.wait (not a browser's main thread). */
  mainMayWait: boolean;
  /** Starts a helper; `listen` gets its messages and errors. */
  spawn(data: HelperData, listen: (message: HelperMessage) => void): HelperHandle;
}

interface NodeProcess {
  versions: { node?: string };
  getBuiltinModule: (id: string) => unknown;
}
interface NodeWorker {
  on(event: "message", listener: (message: HelperMessage) => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  unref(): void;
  ref(): void;
  terminate(): Promise<number>;
}
interface NodeWorkerThreads {
  Worker: new (source: string, options: { eval: true; workerData: HelperData }) => NodeWorker;
}
interface NodeOs {
  availableParallelism?: () => number;
  cpus(): unknown[];
}
interface BrowserWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((event: { data: HelperMessage }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
}
interface BrowserGlobals {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  Worker?: new (url: string) => BrowserWorker;
  Blob?: new (parts: string[], options: { type: string }) => object;
  URL?: { createObjectURL?(blob: object): string };
  document?: unknown;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Node's worker threads. */
function nodeHost(proc: NodeProcess): WorkerHost | { problem: string } {
  let threads: NodeWorkerThreads;
  let os: NodeOs;
  try {
    threads = proc.getBuiltinModule("node:worker_threads") as NodeWorkerThreads;
    os = proc.getBuiltinModule("node:os") as NodeOs;
  } catch (error) {
    return { problem: `no worker threads on this Node (${errorText(error)})` };
  }
  const source = `const { parentPort, workerData } = require("node:worker_threads");\n${HELPER_SOURCE}\nstart(workerData, (message) => parentPort.postMessage(message));`;
  return {
    kind: "worker_threads",
    cores: os.availableParallelism?.() ?? os.cpus().length,
    mainMayWait: true,
    spawn(data, listen) {
      const worker = new threads.Worker(source, { eval: true, workerData: data });
      worker.on("message", listen);
      worker.on("error", (error) => listen({ failed: data.index, message: errorText(error) }));
      worker.unref(); // a helper sleeping in Atomics.wait must not keep the process alive
      return {
        terminate: () => void worker.terminate(),
        // while someone awaits the helpers' start, their messages must keep the process alive
        hold: (held) => (held ? worker.ref() : worker.unref()),
      };
    },
  };
}

/** A page's (or a worker's) Web Workers, where it is cross-origin isolated. */
function browserHost(g: BrowserGlobals): WorkerHost | { problem: string } {
  const { Worker, Blob, URL } = g;
  if (Worker === undefined || Blob === undefined || URL?.createObjectURL === undefined)
    return { problem: "this host has no Web Workers" };
  if (g.crossOriginIsolated !== true)
    return {
      problem:
        "the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)",
    };
  const blob = new Blob(
    [
      `${HELPER_SOURCE}\nself.onmessage = (event) => start(event.data, (message) => self.postMessage(message));`,
    ],
    {
      type: "text/javascript",
    },
  );
  const url = URL.createObjectURL(blob);
  return {
    kind: "Web Workers",
    cores: g.navigator?.hardwareConcurrency ?? 1,
    // a page's main thread may not block; a worker (no document) may
    mainMayWait: g.document === undefined,
    spawn(data, listen) {
      const worker = new Worker(url);
      worker.onmessage = (event) => listen(event.data);
      worker.onerror = (event) =>
        listen({ failed: data.index, message: event.message ?? "the worker failed" });
      worker.postMessage(data);
      return { terminate: () => worker.terminate(), hold: () => {} };
    },
  };
}

/** The host's helper threads, or why there are none (no shared memory, no workers, no isolation). */
export function workerHost(): WorkerHost | { problem: string } {
  if (typeof SharedArrayBuffer !== "function") {
    const g = globalThis as BrowserGlobals;
    return {
      problem:
        g.document !== undefined && g.crossOriginIsolated !== true
          ? "the page is not cross-origin isolated, so it has no SharedArrayBuffer (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)"
          : "this host has no SharedArrayBuffer",
    };
  }
  const proc = (globalThis as { process?: Partial<NodeProcess> }).process;
  if (proc?.versions?.node !== undefined && typeof proc.getBuiltinModule === "function")
    return nodeHost(proc as NodeProcess);
  return browserHost(globalThis as BrowserGlobals);
}
