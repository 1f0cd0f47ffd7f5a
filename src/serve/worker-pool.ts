// serve/worker-pool: the worker threads that hold one model each and run its batches. A worker
// that dies is replaced (its batch fails with a 500, other requests carry on).
import type { Worker } from "node:worker_threads";
import type { BackendName } from "../backend/registry.js";
import { spawnModuleWorker } from "../io/module-worker.js";
import type { BatchExecutor } from "./batcher.js";
import type { WorkerData, WorkerReply, WorkerRequest } from "./inference-worker.js";
import type { BatchItem, ItemResult, ServingSignature } from "./servable.js";

const RUNNING_FROM_SOURCE = import.meta.url.endsWith(".ts");

/** The default loader: real model directories through io/loadModel. */
export const DEFAULT_LOADER_URL = new URL(
  `./model-servable.${RUNNING_FROM_SOURCE ? "ts" : "js"}`,
  import.meta.url,
).href;

function spawn(data: WorkerData): Worker {
  return spawnModuleWorker("./inference-worker", import.meta.url, { workerData: data });
}

interface Slot {
  worker: Worker;
  ready: boolean;
  busy: boolean;
  pending:
    | { id: number; resolve: (results: ItemResult[]) => void; reject: (error: Error) => void }
    | undefined;
}

export interface PoolEvents {
  /** A worker finished loading (ms it took). */
  onReady?(loadMs: number): void;
  /** A worker became idle (the batcher should pump). */
  onIdle?(): void;
  /** One batch ran in a worker (ms; model calls answered by an inference plan's replay). */
  onInference?(ms: number, planReplays: number): void;
  /** A worker died and is being replaced. */
  onCrash?(message: string): void;
}

export class WorkerPool implements BatchExecutor {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closing = false;
  signature: ServingSignature | undefined;
  /** The backend the workers reported once loaded. */
  backend: BackendName | undefined;

  constructor(
    private readonly dir: string,
    private readonly loaderUrl: string,
    private readonly size: number,
    private readonly events: PoolEvents = {},
    private readonly preload: readonly string[] = [],
  ) {}

  /** Starts the workers; resolves with the model's signature once all have loaded it. */
  async start(): Promise<ServingSignature> {
    const loads = Array.from({ length: this.size }, () => this.startSlot());
    const signatures = await Promise.all(loads);
    this.signature = signatures[0]!;
    return this.signature;
  }

  private startSlot(existing?: Slot): Promise<ServingSignature> {
    const worker = spawn({ dir: this.dir, loaderUrl: this.loaderUrl, preload: this.preload });
    const slot: Slot = existing ?? { worker, ready: false, busy: false, pending: undefined };
    slot.worker = worker;
    slot.ready = false;
    slot.busy = false;
    if (existing === undefined) this.slots.push(slot);
    return new Promise((resolve, reject) => {
      let loaded = false;
      worker.on("message", (reply: WorkerReply) => {
        if (reply.type === "ready") {
          loaded = true;
          slot.ready = true;
          this.backend = reply.backend;
          this.events.onReady?.(reply.loadMs);
          resolve(reply.signature);
          this.events.onIdle?.();
        } else if (reply.type === "load-error") {
          loaded = true;
          reject(new Error(reply.message));
          void worker.terminate();
        } else if (reply.type === "result") {
          const pending = slot.pending;
          slot.pending = undefined;
          slot.busy = false;
          this.events.onInference?.(reply.inferenceMs, reply.planReplays);
          if (pending?.id === reply.id) pending.resolve(reply.results);
          this.events.onIdle?.();
        }
      });
      const died = (message: string) => {
        if (slot.worker !== worker) return; // an old worker of a replaced slot
        slot.ready = false;
        const pending = slot.pending;
        slot.pending = undefined;
        slot.busy = false;
        pending?.reject(new Error(`the inference worker stopped (${message})`));
        if (!loaded) {
          loaded = true;
          reject(new Error(`the inference worker stopped while loading (${message})`));
          return;
        }
        if (!this.closing) {
          this.events.onCrash?.(message);
          this.startSlot(slot).catch((error: unknown) => this.events.onCrash?.(String(error)));
        }
      };
      worker.on("error", (error) => died(error.message));
      worker.on("exit", (code) => died(`exit code ${code}`));
    });
  }

  idleCount(): number {
    return this.slots.filter((s) => s.ready && !s.busy).length;
  }

  /** Whether at least one worker can take batches. */
  get ready(): boolean {
    return this.slots.some((s) => s.ready);
  }

  run(items: readonly BatchItem[]): Promise<ItemResult[]> {
    const slot = this.slots.find((s) => s.ready && !s.busy);
    if (slot === undefined) return Promise.reject(new Error("no idle worker"));
    slot.busy = true;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending = { id, resolve, reject };
      const message: WorkerRequest = { type: "batch", id, items: [...items] };
      const transfer = items.flatMap((item) =>
        item.kind === "tensors" ? item.inputs.map((a) => a.buffer as ArrayBuffer) : [],
      );
      slot.worker.postMessage(message, transfer);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
