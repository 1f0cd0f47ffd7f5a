// report/dashboard-callback: ts.callbacks.dashboard({ port }) serves a live training page on
// loopback while fit runs: loss and metrics per batch and per epoch (train and validation), the
// learning rate, throughput, epoch timing, the model summary and system figures, plus the run
// folders under runsDir side by side. The server runs in a worker thread (see dashboard/worker);
// this callback only copies each batch's logs into a buffer and posts it every batchIntervalMs,
// so training pays microseconds per batch. Layer: report.
import { describeBackend } from "../backend/registry.js";
import { ConfigError, ValueError } from "../core/errors.js";
import { spawnModuleWorker } from "../io/module-worker.js";
import type { Model } from "../models/model.js";
import { Callback, type Logs } from "../train/callbacks/callback.js";
import type { BatchMessage, DashboardMessage, SystemInfo } from "./dashboard/messages.js";
import { type DashboardServerOptions, pageUrl } from "./dashboard/server.js";
import type { WorkerCommand, WorkerData, WorkerReport } from "./dashboard/worker.js";

export interface DashboardOptions extends DashboardServerOptions {
  /** The run's name on the page (default "run"). */
  name?: string;
  /** Rows per batch, to report samples/s (without it the page shows batches/s). */
  batchSize?: number;
  /** Milliseconds between batch updates sent to the page (default 100). */
  batchIntervalMs?: number;
}

function systemInfo(): SystemInfo {
  const memory = process.memoryUsage();
  return { backend: describeBackend(), rss: memory.rss, heapUsed: memory.heapUsed };
}

/** The dashboard callback; see dashboard(). */
export class Dashboard extends Callback<Model> {
  readonly options: DashboardOptions;
  private worker: ReturnType<typeof spawnModuleWorker> | null = null;
  private listening: Promise<string> | null = null;
  private pageUrl: string | null = null;
  /** Where the worker publishes its port (0 until it listens). */
  private readonly portCell = new Int32Array(new SharedArrayBuffer(4));
  private run = 0;
  private runStarted = 0;
  private epochStarted = 0;
  private epochBatches = 0;
  private epoch = 0;
  private globalStep = 0;
  private lastFlush = 0;
  private rows: BatchMessage["rows"] = [];

  constructor(options: DashboardOptions = {}) {
    super();
    if (options === null || typeof options !== "object")
      throw new ConfigError("dashboard: options must be an object");
    const interval = options.batchIntervalMs ?? 100;
    if (!(Number.isFinite(interval) && interval >= 0)) {
      throw new ConfigError(
        `dashboard: batchIntervalMs must be a number >= 0 (got ${String(options.batchIntervalMs)})`,
      );
    }
    if (options.batchSize !== undefined && !(Number.isInteger(options.batchSize) && options.batchSize > 0)) {
      throw new ConfigError(
        `dashboard: batchSize must be an integer >= 1 (got ${String(options.batchSize)})`,
      );
    }
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ConfigError(
        `dashboard: port must be an integer from 0 to 65535 (got ${String(options.port)})`,
      );
    }
    this.options = options;
  }

  /** The page's URL once the server listens (null before). */
  get url(): string | null {
    return this.pageUrl;
  }

  /**
   * Starts the server (fit starts it too) and resolves to the page's URL. The worker does not
   * keep the process alive: a script that ends after fit closes the dashboard with it.
   */
  start(): Promise<string> {
    if (this.listening !== null) return this.listening;
    Atomics.store(this.portCell, 0, 0);
    const workerData = {
      port: this.options.port,
      host: this.options.host,
      runsDir: this.options.runsDir,
      heartbeatSeconds: this.options.heartbeatSeconds,
      portCell: this.portCell,
    } satisfies WorkerData;
    const worker = spawnModuleWorker("./dashboard/worker", import.meta.url, { workerData });
    worker.unref();
    this.worker = worker;
    this.listening = new Promise<string>((resolve, reject) => {
      worker.on("message", (report: WorkerReport) => {
        if (report.type === "listening") {
          this.pageUrl = report.url;
          resolve(report.url);
        } else if (report.type === "error") {
          reject(new ValueError(`dashboard: cannot listen (${report.message})`));
        }
      });
      worker.once("error", reject);
    });
    return this.listening;
  }

  /** Stops the server and its worker. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    this.listening = null;
    // Held by the event loop until it has exited (it is unref'd while it serves).
    worker.ref();
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    worker.postMessage({ type: "close" } satisfies WorkerCommand);
    await exited;
  }

  private post(message: DashboardMessage): void {
    this.worker?.postMessage(message satisfies WorkerCommand);
  }

  private flush(): void {
    if (this.rows.length === 0) return;
    this.post({ type: "batches", run: this.run, rows: this.rows });
    this.rows = [];
    this.lastFlush = performance.now();
  }

  override onTrainBegin(_logs: Logs): void {
    if (this.listening === null) {
      // Not started by the caller, so nobody has the URL yet: wait (up to 5 s) for the worker to
      // listen, and say where the page is. fit is synchronous here, so the wait is on a shared cell.
      void this.start().catch((error: unknown) => {
        console.warn((error as Error).message);
      });
      Atomics.wait(this.portCell, 0, 0, 5000);
      const port = Atomics.load(this.portCell, 0);
      if (port > 0) {
        this.pageUrl = pageUrl(this.options.host ?? "127.0.0.1", port);
        process.stderr.write(`dashboard: ${this.pageUrl}\n`);
      }
    }
    this.run++;
    this.globalStep = 0;
    this.rows = [];
    this.runStarted = performance.now();
    this.lastFlush = this.runStarted;
    const lines: string[] = [];
    this.model.summary((line) => lines.push(line));
    this.post({
      type: "run",
      run: this.run,
      name: this.options.name ?? "run",
      epochs: this.params.epochs,
      steps: this.params.steps,
      summary: lines.join("\n"),
      system: systemInfo(),
      startedAt: Date.now(),
    });
  }

  override onEpochBegin(epoch: number, _logs: Logs): void {
    this.epoch = epoch;
    this.epochBatches = 0;
    this.epochStarted = performance.now();
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    const now = performance.now();
    this.globalStep++;
    this.epochBatches++;
    this.rows.push([this.epoch, batch, this.globalStep, (now - this.runStarted) / 1000, { ...logs }]);
    if (now - this.lastFlush >= (this.options.batchIntervalMs ?? 100)) this.flush();
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.flush();
    const seconds = (performance.now() - this.epochStarted) / 1000;
    const batchesPerSecond = seconds > 0 ? this.epochBatches / seconds : 0;
    const batchSize = this.options.batchSize;
    this.post({
      type: "epoch",
      run: this.run,
      epoch,
      logs: { ...logs },
      seconds,
      batchesPerSecond,
      samplesPerSecond: batchSize === undefined ? null : batchesPerSecond * batchSize,
      learningRate: logs.learning_rate ?? this.model.optimizer?.learningRate ?? null,
      system: systemInfo(),
    });
  }

  override onTrainEnd(_logs: Logs): void {
    this.flush();
    this.post({
      type: "end",
      run: this.run,
      epochs: this.epoch + 1,
      seconds: (performance.now() - this.runStarted) / 1000,
    });
  }
}

/**
 * A live training dashboard on http://127.0.0.1:<port>/ (server-sent events; loopback unless
 * `host` says otherwise). `await dashboard.start()` gives the URL before fit; fit starts it too.
 * @example
 * const dashboard = ts.callbacks.dashboard({ port: 6007, runsDir: "runs" });
 * console.log(`open ${await dashboard.start()}`);
 * await model.fit(x, y, { epochs: 50, callbacks: [dashboard] });
 */
export function dashboard(options: DashboardOptions = {}): Dashboard {
  return new Dashboard(options);
}
