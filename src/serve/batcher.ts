// serve/batcher: dynamic micro-batching. Concurrent requests for one model queue here; a batch is
// sent to an idle worker as soon as it holds maxBatchSize rows or its oldest request has waited
// maxWaitMs (0 = send whatever is queued the moment a worker is free). While every worker is busy,
// requests keep queueing, so batches grow with load and stay small (fast) when the server is idle.
import type { BatchItem, ItemResult } from "./servable.js";

export interface BatcherOptions {
  /** Most rows in one batch (a single larger request still runs, alone). */
  readonly maxBatchSize: number;
  /** Longest a request waits for others to join its batch, in milliseconds. */
  readonly maxWaitMs: number;
}

/** Runs batches; the worker pool. */
export interface BatchExecutor {
  /** How many more batches could start right now. */
  idleCount(): number;
  /** Runs one batch on an idle worker; one result per item, in order. */
  run(items: readonly BatchItem[]): Promise<ItemResult[]>;
}

interface Pending {
  readonly item: BatchItem;
  readonly enqueuedAt: number;
  readonly resolve: (result: ItemResult) => void;
}

/** Called after each batch is formed: rows and requests in it. */
export type BatchObserver = (rows: number, requests: number) => void;

export class MicroBatcher {
  private readonly queue: Pending[] = [];
  private queued = 0;
  private running = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly options: BatcherOptions,
    private readonly executor: BatchExecutor,
    private readonly observe: BatchObserver = () => {},
  ) {}

  /** Rows waiting for a batch. */
  get queuedRows(): number {
    return this.queued;
  }

  /** Queues one request's rows; resolves with its rows of the outputs (never rejects). */
  submit(item: BatchItem): Promise<ItemResult> {
    return new Promise((resolve) => {
      this.queue.push({ item, enqueuedAt: performance.now(), resolve });
      this.queued += item.rows;
      this.pump();
    });
  }

  /** Starts every batch that may start now; call again when a worker becomes idle. */
  pump(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.queue.length > 0 && this.executor.idleCount() > 0) {
      const waited = performance.now() - this.queue[0]!.enqueuedAt;
      if (this.queued < this.options.maxBatchSize && waited < this.options.maxWaitMs) {
        this.timer = setTimeout(() => this.pump(), Math.max(1, Math.ceil(this.options.maxWaitMs - waited)));
        return;
      }
      const batch: Pending[] = [this.queue.shift()!];
      let rows = batch[0]!.item.rows;
      while (this.queue.length > 0 && rows + this.queue[0]!.item.rows <= this.options.maxBatchSize) {
        const next = this.queue.shift()!;
        rows += next.item.rows;
        batch.push(next);
      }
      this.queued -= rows;
      this.observe(rows, batch.length);
      this.start(batch);
    }
  }

  private start(batch: readonly Pending[]): void {
    this.running++;
    this.executor
      .run(batch.map((p) => p.item))
      .then(
        (results) => {
          batch.forEach((p, i) => {
            p.resolve(
              results[i] ?? { ok: false, status: 500, message: "inference returned too few results" },
            );
          });
        },
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          for (const p of batch)
            p.resolve({ ok: false, status: 500, message: `inference failed: ${message}` });
        },
      )
      .finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.queue.length === 0) {
          for (const wake of this.idleWaiters.splice(0)) wake();
        }
      });
  }

  /** Fails every queued request (used when the model can no longer run). */
  failQueued(status: number, message: string): void {
    for (const p of this.queue.splice(0)) p.resolve({ ok: false, status, message });
    this.queued = 0;
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
