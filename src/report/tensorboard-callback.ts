// report/tensorboard-callback: ts.callbacks.tensorBoard({ logDir }) writes what Keras's TensorBoard
// callback writes, in the real tfevents format: logDir/train and logDir/validation event files
// with "epoch_<metric>" scalars (and "batch_<metric>" every updateFreq batches), histograms of
// every weight by its stable path ("dense_1/kernel"), and the model summary as text. Layer: report.
import { join } from "node:path";
import { ConfigError } from "../core/errors.js";
import type { Model } from "../models/model.js";
import { Callback, type Logs } from "../train/callbacks/callback.js";
import { EventFileWriter } from "./tfevents/event-file.js";

export interface TensorBoardOptions {
  /** The folder TensorBoard is pointed at (`tensorboard --logdir <logDir>`). */
  logDir: string;
  /** Write weight histograms every this many epochs (default 1; 0 = never). */
  histogramFreq?: number;
  /** "epoch" (default) or a batch count: also write batch-level scalars every that many batches. */
  updateFreq?: "epoch" | number;
  /** Write the model summary to the Text tab (default true). */
  writeSummary?: boolean;
}

/** The TensorBoard callback; see tensorBoard(). */
export class TensorBoard extends Callback<Model> {
  readonly logDir: string;
  readonly histogramFreq: number;
  readonly updateFreq: "epoch" | number;
  readonly writeSummary: boolean;
  private train: EventFileWriter | null = null;
  private validation: EventFileWriter | null = null;
  private globalBatch = 0;

  constructor(options: TensorBoardOptions) {
    super();
    if (
      options === null ||
      typeof options !== "object" ||
      typeof options.logDir !== "string" ||
      options.logDir === ""
    ) {
      throw new ConfigError("tensorBoard: logDir must be a folder path");
    }
    const histogramFreq = options.histogramFreq ?? 1;
    if (!Number.isInteger(histogramFreq) || histogramFreq < 0) {
      throw new ConfigError(`tensorBoard: histogramFreq must be an integer >= 0 (got ${histogramFreq})`);
    }
    const updateFreq = options.updateFreq ?? "epoch";
    if (updateFreq !== "epoch" && !(Number.isInteger(updateFreq) && updateFreq >= 1)) {
      throw new ConfigError(
        `tensorBoard: updateFreq must be "epoch" or an integer >= 1 (got ${String(updateFreq)})`,
      );
    }
    this.logDir = options.logDir;
    this.histogramFreq = histogramFreq;
    this.updateFreq = updateFreq;
    this.writeSummary = options.writeSummary ?? true;
  }

  override onTrainBegin(_logs: Logs): void {
    this.close();
    this.globalBatch = 0;
    this.train = new EventFileWriter(join(this.logDir, "train"));
    if (this.writeSummary) {
      const lines: string[] = [];
      this.model.summary((line) => lines.push(line));
      // Four-space indentation: a preformatted block in the Text tab's markdown.
      this.train.text("model_summary", lines.map((line) => `    ${line}`).join("\n"), 0);
    }
  }

  override onBatchEnd(_batch: number, logs: Logs): void {
    this.globalBatch++;
    if (this.updateFreq === "epoch" || this.train === null || this.globalBatch % this.updateFreq !== 0)
      return;
    for (const [name, value] of Object.entries(logs))
      this.train.scalar(`batch_${name}`, value, this.globalBatch);
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const train = this.train;
    if (train === null) return;
    for (const [name, value] of Object.entries(logs)) {
      if (name.startsWith("val_")) {
        this.validation ??= new EventFileWriter(join(this.logDir, "validation"));
        this.validation.scalar(`epoch_${name.slice(4)}`, value, epoch);
      } else {
        train.scalar(`epoch_${name}`, value, epoch);
      }
    }
    const optimizer = this.model.optimizer;
    if (!("learning_rate" in logs) && optimizer !== null)
      train.scalar("epoch_learning_rate", optimizer.learningRate, epoch);
    if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0) {
      for (const weight of this.model.weightEntries())
        train.histogram(weight.path, weight.tensor.data, epoch);
    }
  }

  override onTrainEnd(_logs: Logs): void {
    this.close();
  }

  private close(): void {
    this.train?.close();
    this.validation?.close();
    this.train = null;
    this.validation = null;
  }
}

/**
 * Writes TensorBoard logs while fit runs; view them with `tensorboard --logdir <logDir>`.
 * @example
 * await model.fit(x, y, { epochs: 10, validationSplit: 0.2, callbacks: [ts.callbacks.tensorBoard({ logDir: "runs/logs" })] });
 */
export function tensorBoard(options: TensorBoardOptions): TensorBoard {
  return new TensorBoard(options);
}
