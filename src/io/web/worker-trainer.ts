// io/web/worker-trainer: the page side of the training-worker protocol (worker-protocol.ts):
// createWorkerTrainer(workerUrl) starts a module Web Worker (whose script calls
// startTrainerWorker(), worker-host.ts) and gives fit/predict/load as promises, so the page's main
// thread stays free while a model trains. Progress arrives as onEpochEnd/onBatchEnd calls, cancel()
// stops a fit after its current batch, the trained weights come back into the page's model, and an
// error thrown in the worker rejects with its own class (ValueError, ShapeError, ...).
// Browser-safe: no node:*; a MessagePort-like endpoint may stand for the worker (the Node tests).
import { BackendError, ValueError } from "../../core/errors.js";
import { Model } from "../../models/model.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Logs } from "../../train/callbacks/callback.js";
import {
  assignWireWeights,
  errorFromWire,
  fromWire,
  type MessageEndpoint,
  modelFromWire,
  modelToWire,
  toWire,
  type WireFitResult,
  type WireModel,
  type WireTensor,
  type WorkerReply,
} from "./worker-protocol.js";

/** A Worker as used here (the project's lib settings declare no DOM types); a MessagePort also fits. */
export interface WorkerLike extends MessageEndpoint {
  /** Called by terminate() when present (a Worker has it). */
  terminate?(): void;
  /** Called when present (a MessagePort needs it to deliver messages). */
  start?(): void;
}

export interface WorkerTrainerOptions {
  /**
   * Where the worker loads the WebAssembly backend from (wasm/tessera.wasm of the package),
   * resolved against the page; null keeps the worker on the reference backend. Default
   * "tessera.wasm" beside the page.
   */
  wasm?: string | URL | null;
}

export interface WorkerFitOptions {
  /** Default 1. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Reshuffle the rows every epoch (default true). */
  shuffle?: boolean;
  /** The last fraction of the rows (taken before shuffling) validates, as in Keras. */
  validationSplit?: number;
  validationData?: readonly [Tensor, Tensor];
  /** seed(n) in the worker before training (shuffling, dropout): the same seed gives the same model. */
  seed?: number;
}

export interface WorkerFitEvents {
  /** After each epoch, with its logs (loss, metrics, val_ metrics). */
  onEpochEnd?(epoch: number, logs: Logs): void;
  /** After each batch (one message per batch: leave it out when not needed). */
  onBatchEnd?(epoch: number, batch: number, logs: Logs): void;
}

export interface WorkerFitResult {
  /** Per metric, one value per finished epoch. */
  readonly history: Record<string, number[]>;
  readonly epochs: number;
  /** True when cancel() stopped the fit early. */
  readonly cancelled: boolean;
  /** The trained model in the page: the model given to fit, its weights replaced, or one built from a spec. */
  readonly model: Model;
}

/** What fit trains: a compiled model of the page, or a model description (architecture and "training" JSON). */
export type WorkerModelSpec = Model | WireModel;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  events?: WorkerFitEvents;
}

/** fit, predict and load in a Web Worker; see createWorkerTrainer. */
export class WorkerTrainer {
  /** Resolves with the worker's backend in words (e.g. "wasm (simd128, 1 thread)") once it is set up. */
  readonly ready: Promise<string>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly fits = new Set<number>();
  private failure: Error | null = null;

  constructor(
    private readonly worker: WorkerLike,
    options: WorkerTrainerOptions = {},
  ) {
    worker.addEventListener("message", (event) => this.receive(event.data as WorkerReply));
    worker.addEventListener("error", (event) =>
      this.fail(
        new BackendError(`training worker failed: ${event.message ?? "the script did not load or threw"}`),
      ),
    );
    worker.addEventListener("messageerror", () =>
      this.fail(new BackendError("training worker: a message could not be deserialized")),
    );
    worker.start?.();
    const wasm = options.wasm === undefined ? "tessera.wasm" : options.wasm;
    this.ready = this.request<string>({ type: "init", wasm: wasm === null ? null : resolveUrl(wasm) });
    this.ready.catch(() => {}); // a failed start also rejects every later call, where it is seen
  }

  /**
   * Trains in the worker and copies the trained weights back into `model` (its optimizer state
   * stays in the worker). The model must be compiled; it starts from the model's current weights.
   */
  async fit(
    model: WorkerModelSpec,
    x: Tensor,
    y: Tensor,
    options: WorkerFitOptions = {},
    events: WorkerFitEvents = {},
  ): Promise<WorkerFitResult> {
    const wire = model instanceof Model ? modelToWire(model) : model;
    const { validationData, ...rest } = options;
    const result = await this.request<WireFitResult>(
      {
        type: "fit",
        model: wire,
        x: toWire(x),
        y: toWire(y),
        options: {
          ...rest,
          ...(validationData === undefined
            ? {}
            : { validationData: [toWire(validationData[0]), toWire(validationData[1])] }),
        },
        batches: events.onBatchEnd !== undefined,
      },
      events,
    );
    let trained: Model;
    if (model instanceof Model) {
      assignWireWeights(model, result.model.weights ?? [], "fit: the trained weights");
      trained = model;
    } else trained = modelFromWire(result.model, "fit: the trained model");
    return { history: result.history, epochs: result.epochs, cancelled: result.cancelled, model: trained };
  }

  /** The worker's model (the last one fitted or loaded) on `x`. */
  async predict(x: Tensor, options: { batchSize?: number } = {}): Promise<Tensor> {
    const out = await this.request<WireTensor>({
      type: "predict",
      x: toWire(x),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
    return fromWire(out, "predict: the worker's answer");
  }

  /** Loads a saved model directory over fetch in the worker (loadModelFromUrl) for predict; returns a copy for the page. */
  async load(url: string | URL): Promise<Model> {
    const wire = await this.request<WireModel>({ type: "load", url: resolveUrl(url) });
    return modelFromWire(wire, `load ${String(url)}`);
  }

  /** A copy of the worker's current model, for the page. */
  async model(): Promise<Model> {
    return modelFromWire(await this.request<WireModel>({ type: "weights" }), "the worker's model");
  }

  /** Stops the running fit (and any queued one) after its current batch; it resolves with cancelled: true. */
  cancel(): void {
    for (const id of this.fits) this.worker.postMessage({ type: "cancel", id });
  }

  /** Stops the worker; pending calls reject with a BackendError. */
  terminate(): void {
    this.worker.terminate?.();
    this.fail(new BackendError("training worker: terminated"));
  }

  private request<T>(message: Record<string, unknown>, events?: WorkerFitEvents): Promise<T> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    if (message.type === "fit") this.fits.add(id);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, {
        resolve: resolve as (value: unknown) => void,
        reject,
        ...(events ? { events } : {}),
      });
      this.worker.postMessage({ ...message, id });
    });
  }

  private receive(reply: WorkerReply): void {
    if (typeof reply !== "object" || reply === null) return;
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    switch (reply.type) {
      case "epoch":
        pending.events?.onEpochEnd?.(reply.epoch, reply.logs);
        return;
      case "batch":
        pending.events?.onBatchEnd?.(reply.epoch, reply.batch, reply.logs);
        return;
      case "result":
        this.settle(reply.id);
        pending.resolve(reply.value);
        return;
      case "error":
        this.settle(reply.id);
        pending.reject(errorFromWire(reply.error));
        return;
    }
  }

  private settle(id: number): void {
    this.pending.delete(id);
    this.fits.delete(id);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const [id, pending] of this.pending) {
      this.settle(id);
      pending.reject(error);
    }
  }
}

/** A URL resolved against the page (as given when there is no page). */
function resolveUrl(url: string | URL): string {
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(url, page).href;
  } catch {
    if (page === undefined) return String(url);
    throw new ValueError(`training worker: "${String(url)}" is not a URL`);
  }
}

/** The Worker constructor of the host (browsers, Deno), when there is one. */
type WorkerConstructor = new (url: string, options: { type: "module"; name?: string }) => WorkerLike;

/**
 * Starts a training worker: `worker` is the URL of a module script that calls
 * startTrainerWorker() (bundled with Tessera), or an already started Worker.
 * @example
 * const trainer = ts.createWorkerTrainer("worker.js", { wasm: "tessera.wasm" });
 * console.log(await trainer.ready); // "wasm (simd128, 1 thread)"
 * const { history } = await trainer.fit(model, x, y, { epochs: 10 }, { onEpochEnd: (e, logs) => draw(logs) });
 * const probabilities = await trainer.predict(xTest);
 */
export function createWorkerTrainer(
  worker: string | URL | WorkerLike,
  options: WorkerTrainerOptions = {},
): WorkerTrainer {
  if (typeof worker !== "string" && !(worker instanceof URL)) return new WorkerTrainer(worker, options);
  const WorkerClass = (globalThis as { Worker?: WorkerConstructor }).Worker;
  if (WorkerClass === undefined)
    throw new BackendError(
      "createWorkerTrainer: this host has no Web Worker; pass a started worker or MessagePort",
    );
  return new WorkerTrainer(
    new WorkerClass(resolveUrl(worker), { type: "module", name: "tessera-trainer" }),
    options,
  );
}
