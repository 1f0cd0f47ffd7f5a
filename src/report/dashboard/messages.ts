// report/dashboard/messages: what the dashboard callback tells the dashboard server (and the
// server streams to the page as server-sent events), and the replay log the server keeps so a
// page opened (or reopened) mid-run first receives everything so far. Layer: report.

/** Backend, threads and memory of the training process. */
export interface SystemInfo {
  backend: string;
  /** Resident set size and JS heap in use, bytes. */
  rss: number;
  heapUsed: number;
}

/** A run begins: its name, the fit's parameters and the model summary. */
export interface RunMessage {
  type: "run";
  run: number;
  name: string;
  epochs: number;
  steps: number | null;
  summary: string;
  system: SystemInfo;
  startedAt: number;
}

/** Batch-level logs: one row per batch, sent in groups. */
export interface BatchMessage {
  type: "batches";
  run: number;
  /** [epoch, batch in epoch, global step, seconds since the run began, logs]. */
  rows: [number, number, number, number, Record<string, number>][];
}

/** An epoch ended: its logs (train and val_), timing, throughput, learning rate and system figures. */
export interface EpochMessage {
  type: "epoch";
  run: number;
  epoch: number;
  logs: Record<string, number>;
  seconds: number;
  samplesPerSecond: number | null;
  batchesPerSecond: number;
  learningRate: number | null;
  system: SystemInfo;
}

/** The run ended (normally or stopped early). */
export interface EndMessage {
  type: "end";
  run: number;
  epochs: number;
  seconds: number;
}

export type DashboardMessage = RunMessage | BatchMessage | EpochMessage | EndMessage;

/** How many batch rows the replay keeps; past it every other row is dropped (the curve's shape stays). */
export const MAX_REPLAY_BATCH_ROWS = 20_000;

/**
 * The messages of the current run, for replay to a page that connects late. A new run replaces
 * the old one. Batch rows are thinned past MAX_REPLAY_BATCH_ROWS so memory stays bounded.
 */
export class ReplayLog {
  private run: RunMessage | null = null;
  private epochs: EpochMessage[] = [];
  private batchRows: BatchMessage["rows"] = [];
  private end: EndMessage | null = null;
  private readonly maxBatchRows: number;

  constructor(maxBatchRows = MAX_REPLAY_BATCH_ROWS) {
    this.maxBatchRows = maxBatchRows;
  }

  add(message: DashboardMessage): void {
    switch (message.type) {
      case "run":
        this.run = message;
        this.epochs = [];
        this.batchRows = [];
        this.end = null;
        return;
      case "batches":
        this.batchRows.push(...message.rows);
        if (this.batchRows.length > this.maxBatchRows)
          this.batchRows = this.batchRows.filter((_, i) => i % 2 === 0);
        return;
      case "epoch":
        this.epochs.push(message);
        return;
      case "end":
        this.end = message;
        return;
      default:
        message satisfies never;
    }
  }

  /** The messages to send a new page, in order: run, batches so far, epochs, end. */
  replay(): DashboardMessage[] {
    if (this.run === null) return [];
    const out: DashboardMessage[] = [this.run];
    if (this.batchRows.length > 0) out.push({ type: "batches", run: this.run.run, rows: this.batchRows });
    out.push(...this.epochs);
    if (this.end !== null) out.push(this.end);
    return out;
  }
}
