// io/search-workers: a TrialExecutor (ml/search-trials) that runs a search's trials on worker
// threads (io/search-worker), each worker holding the data once and taking the next trial as soon
// as it is free. Every worker gets a thread budget through TESSERA_NUM_THREADS (the usable cores
// divided among the workers), so parallel trials do not each ask the native kernels for every core.
// NOTE: the native addon's thread pool is one per process and runs one job at a time; a worker
// whose kernel finds it busy runs that kernel on its own thread, so the cores in use stay near
// workers + budget.
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { ConfigError, TesseraError, ValueError } from "../core/errors.js";
import type { EstimatorKind } from "../ml/registry.js";
import type { ParamValue } from "../ml/search-space.js";
import type { SearchTargets, TrialExecutor, TrialOutcome, TrialSpec } from "../ml/search-trials.js";
import { spawnModuleWorker } from "./module-worker.js";
import type { SearchWorkerData, SearchWorkerInit, SearchWorkerReply } from "./search-worker.js";

export interface SearchWorkersOptions {
  /** Worker threads (>= 1). */
  workers: number;
  estimator: EstimatorKind;
  /** Parameters every candidate shares. */
  fixed?: Record<string, ParamValue>;
  data: SearchWorkerData;
  y: SearchTargets;
  /** Native threads per worker (default: usable cores / workers, at least 1). */
  threadsPerWorker?: number;
}

/** A TrialExecutor on worker threads; close() ends the workers. */
export interface SearchWorkers extends TrialExecutor {
  readonly threadsPerWorker: number;
  close(): Promise<void>;
}

/**
 * Starts the workers (they are ready to take trials at once).
 * @example
 * const workers = startSearchWorkers({ workers: 2, estimator: "Ridge", data: { kind: "matrix", matrix: x }, y });
 * try { await search.fitAsync(x, y, { executor: workers }); } finally { await workers.close(); }
 */
export function startSearchWorkers(options: SearchWorkersOptions): SearchWorkers {
  const count = options.workers;
  if (!Number.isInteger(count) || count < 1)
    throw new ConfigError(`startSearchWorkers: workers must be an integer >= 1 (got ${count})`);
  const threads = options.threadsPerWorker ?? Math.max(1, Math.floor(availableParallelism() / count));
  const init: SearchWorkerInit = {
    searchWorker: true,
    estimator: options.estimator,
    fixed: options.fixed ?? {},
    data: options.data,
    y: options.y,
  };
  const env = { ...process.env, TESSERA_NUM_THREADS: String(threads) };
  const workers: Worker[] = Array.from({ length: count }, () =>
    spawnModuleWorker("./search-worker", import.meta.url, { workerData: init, env }),
  );
  let busy = false;

  async function run(
    trials: readonly TrialSpec[],
    onDone?: (trial: TrialSpec, outcome: TrialOutcome) => void,
  ): Promise<TrialOutcome[]> {
    if (busy) throw new ValueError("SearchWorkers.run: a batch is already running");
    busy = true;
    const outcomes: TrialOutcome[] = new Array(trials.length);
    let next = 0;
    try {
      await Promise.all(
        workers.map(async (worker) => {
          while (next < trials.length) {
            const id = next++;
            outcomes[id] = await ask(worker, id, trials[id]!);
            onDone?.(trials[id]!, outcomes[id]!);
          }
        }),
      );
    } finally {
      busy = false;
    }
    return outcomes;
  }

  return {
    threadsPerWorker: threads,
    run,
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Sends one trial to a worker and waits for its reply (a worker's crash rejects). */
function ask(worker: Worker, id: number, trial: TrialSpec): Promise<TrialOutcome> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: SearchWorkerReply) => {
      if (reply.id !== id) return;
      cleanup();
      if ("outcome" in reply) resolve(reply.outcome);
      else
        reject(
          new TesseraError(
            `search trial ${trial.key} failed in a worker: ${reply.error.name}: ${reply.error.message}`,
          ),
        );
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new TesseraError(`search worker crashed during trial ${trial.key}: ${error.message}`));
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new TesseraError(`search worker exited (code ${code}) during trial ${trial.key}`));
    };
    const cleanup = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage({ id, trial });
  });
}
