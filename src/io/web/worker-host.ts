// io/web/worker-host: the worker side of the training-worker protocol (worker-protocol.ts). A
// module Web Worker's script is one line, `import { startTrainerWorker } from "tessera-ml";
// startTrainerWorker();`: it answers init (load the wasm backend here, in the worker), fit,
// predict, load, weights and cancel. Browser-safe: no node:*; serveTrainer(endpoint) also runs on
// a MessagePort, which is how the Node tests drive it.
//
// fit feeds the model an async iterable of batches, the same permutation per epoch as fit on
// arrays (train/array-data batchIndices), that gives the worker's event loop a turn every
// YIELD_EVERY_MS: a cancel message is then seen between batches, not only when the fit is over.
import { describeBackend } from "../../backend/registry.js";
import { useWasm } from "../../backend/wasm/use-wasm.js";
import { ConfigError, ValueError } from "../../core/errors.js";
import { getGenerator, seed } from "../../core/random.js";
import type { Model } from "../../models/model.js";
import type { Tensor } from "../../tensor/tensor.js";
import { batchIndices, checkBatchSize, sliceRows, takeRows } from "../../train/array-data.js";
import { Callback, type Logs } from "../../train/callbacks/callback.js";
import "../../train/model-methods.js";
import { loadModelFromUrl } from "../load-model-url.js";
import {
  errorToWire,
  fromWire,
  type MessageEndpoint,
  modelFromWire,
  modelToWire,
  toWire,
  type WireFitResult,
  type WorkerReply,
  type WorkerRequest,
  weightBuffers,
} from "./worker-protocol.js";

/** Longest stretch of training without a turn of the worker's event loop (where cancel arrives). */
const YIELD_EVERY_MS = 25;

type FitRequest = Extract<WorkerRequest, { type: "fit" }>;

/** Resolves on a later turn of the event loop (a macrotask), so queued messages are handled. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** One epoch's batches per pass, shuffled like fit's array batches, with a turn of the event loop between some. */
function yieldingBatches(
  x: Tensor,
  y: Tensor,
  batchSize: number,
  shuffle: boolean,
): AsyncIterable<[Tensor, Tensor]> {
  return {
    async *[Symbol.asyncIterator]() {
      const n = x.shape[0] ?? 0;
      let lastTurn = performance.now();
      for (const rows of batchIndices(n, batchSize, shuffle ? getGenerator() : null)) {
        if (performance.now() - lastTurn >= YIELD_EVERY_MS) {
          await nextTurn();
          lastTurn = performance.now();
        }
        yield [takeRows(x, rows), takeRows(y, rows)];
      }
    },
  };
}

/** Posts epoch and batch events and stops the fit once it is cancelled. */
class WorkerProgress extends Callback {
  private epoch = 0;
  constructor(
    private readonly post: (reply: WorkerReply) => void,
    private readonly id: number,
    private readonly batches: boolean,
    private readonly cancelled: () => boolean,
  ) {
    super();
  }
  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }
  override onBatchEnd(batch: number, logs: Logs): void {
    if (this.batches) this.post({ type: "batch", id: this.id, epoch: this.epoch, batch, logs: { ...logs } });
    if (this.cancelled()) this.model.stopTraining = true;
  }
  override onEpochEnd(epoch: number, logs: Logs): void {
    this.post({ type: "epoch", id: this.id, epoch, logs: { ...logs } });
  }
}

/**
 * Answers the training-worker protocol on `endpoint` (a worker's global scope, or a MessagePort).
 * @example
 * // worker.ts, started by the page as new Worker("worker.js", { type: "module" })
 * import { serveTrainer } from "tessera-ml";
 * serveTrainer(self);
 */
export function serveTrainer(endpoint: MessageEndpoint): void {
  let model: Model | null = null;
  const cancelled = new Set<number>();
  let queue: Promise<void> = Promise.resolve();
  const post = (reply: WorkerReply, transfer: readonly unknown[] = []) =>
    endpoint.postMessage(reply, transfer);

  const fit = async (request: FitRequest): Promise<WireFitResult> => {
    const { options } = request;
    const trained = modelFromWire(request.model, "fit");
    if (request.model.training === null)
      throw new ConfigError("fit: the model is not compiled; call compile() first");
    if (options.seed !== undefined) seed(options.seed);
    let x = fromWire(request.x, "fit: x");
    let y = fromWire(request.y, "fit: y");
    if (x.shape[0] !== y.shape[0])
      throw new ValueError(`fit: x has ${x.shape[0]} rows but y has ${y.shape[0]}`);
    let validationData: [Tensor, Tensor] | undefined;
    if (options.validationData !== undefined) {
      validationData = [
        fromWire(options.validationData[0], "fit: validation x"),
        fromWire(options.validationData[1], "fit: validation y"),
      ];
    } else if (options.validationSplit !== undefined && options.validationSplit > 0) {
      // Keras: the last fraction of the rows, taken before shuffling.
      const fraction = options.validationSplit;
      const n = x.shape[0] ?? 0;
      const at = Math.floor(n * (1 - fraction));
      if (!(fraction < 1) || at === 0 || at === n)
        throw new ValueError(
          `fit: validationSplit ${fraction} of ${n} rows leaves no training or no validation rows`,
        );
      validationData = [sliceRows(x, at, n), sliceRows(y, at, n)];
      x = sliceRows(x, 0, at);
      y = sliceRows(y, 0, at);
    }
    const batchSize = checkBatchSize("fit", options.batchSize);
    model = trained;
    const history = await trained.fit(yieldingBatches(x, y, batchSize, options.shuffle ?? true), {
      epochs: options.epochs ?? 1,
      verbose: 0,
      ...(validationData === undefined ? {} : { validationData, validationBatchSize: batchSize }),
      callbacks: [new WorkerProgress(post, request.id, request.batches, () => cancelled.has(request.id))],
    });
    const wasCancelled = cancelled.delete(request.id);
    const finished = Object.values(history.history)[0]?.length ?? 0;
    return {
      history: history.history,
      epochs: finished,
      cancelled: wasCancelled,
      model: modelToWire(trained),
    };
  };

  const handle = async (
    request: WorkerRequest,
  ): Promise<{ value: unknown; transfer: readonly unknown[] }> => {
    switch (request.type) {
      case "init":
        if (request.wasm !== null) await useWasm(request.wasm);
        return { value: describeBackend(), transfer: [] };
      case "fit": {
        const result = await fit(request);
        return { value: result, transfer: weightBuffers(result.model) };
      }
      case "predict": {
        if (model === null)
          throw new ValueError("predict: the worker has no model yet; fit or load one first");
        const out = model.predict(fromWire(request.x, "predict: x"), {
          verbose: 0,
          ...(request.batchSize === undefined ? {} : { batchSize: request.batchSize }),
        });
        return { value: toWire(out), transfer: [out.data.buffer] };
      }
      case "load": {
        model = await loadModelFromUrl(request.url);
        const wire = modelToWire(model);
        return { value: wire, transfer: weightBuffers(wire) };
      }
      case "weights": {
        if (model === null)
          throw new ValueError("weights: the worker has no model yet; fit or load one first");
        const wire = modelToWire(model);
        return { value: wire, transfer: weightBuffers(wire) };
      }
      case "cancel":
        return { value: null, transfer: [] };
      default: {
        const unknown = request as { type?: unknown };
        throw new ValueError(`training worker: unknown request type ${JSON.stringify(unknown.type)}`);
      }
    }
  };

  endpoint.addEventListener("message", (event) => {
    const request = event.data as WorkerRequest;
    if (typeof request !== "object" || request === null || typeof request.id !== "number") return;
    // A cancel acts at once, even while a fit runs; everything else waits its turn.
    if (request.type === "cancel") {
      cancelled.add(request.id);
      return;
    }
    queue = queue.then(async () => {
      try {
        const { value, transfer } = await handle(request);
        post({ type: "result", id: request.id, value }, transfer);
      } catch (error) {
        cancelled.delete(request.id);
        post({ type: "error", id: request.id, error: errorToWire(error) });
      }
    });
  });
}

/** Serves the protocol on this worker's global scope: the whole of a training worker's script. */
export function startTrainerWorker(): void {
  serveTrainer(globalThis as unknown as MessageEndpoint);
}
