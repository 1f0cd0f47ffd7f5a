// train/callbacks/progress-logger: prints Keras 3's progress output for fit, evaluate and predict:
// "Epoch 3/10" (when there is more than one epoch), then per epoch
// "25/25 ━━━━━━━━━━━━━━━━━━━━ 2s 15ms/step - accuracy: 0.8785 - loss: 0.4982 - val_loss: ..."
// (verbose 1; a live bar on a TTY) or "25/25 - 2s - 15ms/step - ..." (verbose 2).
import { defaultWriter, Progbar, type ProgressWriter } from "../progbar.js";
import { Callback, type CallbackModel, type CallbackParams, type Logs } from "./callback.js";

export interface ProgressLoggerOptions {
  /** Where the text goes (standard output by default). */
  writer?: ProgressWriter;
  /** Overrides the verbosity fit/evaluate/predict pass in their params. */
  verbose?: 0 | 1 | 2;
}

/**
 * The progress bar callback. fit/evaluate/predict add one when `verbose` is not 0; pass your own
 * to choose the writer.
 * @example
 * const out = memoryWriter();
 * await model.fit(x, y, { epochs: 2, callbacks: [progressLogger({ writer: out })] });
 */
export class ProgressLogger extends Callback<CallbackModel> {
  private readonly writer: ProgressWriter;
  private readonly forcedVerbose: 0 | 1 | 2 | undefined;
  private verbose: 0 | 1 | 2 = 1;
  private epochs = 1;
  private target: number | null = null;
  private seen = 0;
  private progbar: Progbar | null = null;
  private calledInFit = false;

  constructor(options: ProgressLoggerOptions = {}) {
    super();
    this.writer = options.writer ?? defaultWriter();
    this.forcedVerbose = options.verbose;
  }

  override setParams(params: CallbackParams): void {
    super.setParams(params);
    this.verbose = this.forcedVerbose ?? params.verbose;
    this.epochs = params.epochs;
    this.target = params.steps;
  }

  override onTrainBegin(_logs: Logs): void {
    // Validation inside fit stays silent: its results appear on the epoch's line.
    this.calledInFit = true;
  }

  override onTrainEnd(_logs: Logs): void {
    this.calledInFit = false;
  }

  override onTestBegin(_logs: Logs): void {
    if (!this.calledInFit) this.reset();
  }

  override onPredictBegin(_logs: Logs): void {
    this.reset();
  }

  override onEpochBegin(epoch: number, _logs: Logs): void {
    this.reset();
    if (this.verbose !== 0 && this.epochs > 1) this.writer.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    this.updateBar(batch, logs);
  }

  override onTestBatchEnd(batch: number, logs: Logs): void {
    if (!this.calledInFit) this.updateBar(batch, logs);
  }

  override onPredictBatchEnd(batch: number, _logs: Logs): void {
    this.updateBar(batch, {});
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    this.finalize(logs);
  }

  override onTestEnd(logs: Logs): void {
    if (!this.calledInFit) this.finalize(logs);
  }

  override onPredictEnd(_logs: Logs): void {
    this.finalize({});
  }

  private reset(): void {
    this.seen = 0;
    this.progbar = null;
  }

  private bar(): Progbar | null {
    if (this.verbose === 0) return null;
    if (this.progbar === null) {
      this.progbar = new Progbar({ target: this.target, verbose: this.verbose, writer: this.writer });
    }
    return this.progbar;
  }

  private updateBar(batch: number, logs: Logs): void {
    const bar = this.bar();
    this.seen = batch + 1;
    if (bar !== null && this.verbose === 1) bar.update(this.seen, Object.entries(logs), false);
  }

  private finalize(logs: Logs): void {
    const bar = this.bar();
    if (bar === null) return;
    // A dataset of unknown length: its first pass tells the length for the following epochs.
    if (this.target === null) this.target = this.seen;
    if (bar.target === null) bar.target = this.target;
    bar.update(bar.target, Object.entries(logs), true);
  }
}

/** A ProgressLogger callback. */
export function progressLogger(options: ProgressLoggerOptions = {}): ProgressLogger {
  return new ProgressLogger(options);
}
