// train/callbacks/terminate-on-nan: stops fit at the first batch whose running loss is NaN or
// infinite, with a message naming the epoch (from 1, as the progress bar) and batch (from 0, as Keras).
import { defaultWriter, type ProgressWriter } from "../progbar.js";
import { Callback, type CallbackModel, type Logs } from "./callback.js";

export interface TerminateOnNaNOptions {
  writer?: ProgressWriter;
}

/**
 * Stops training on a NaN/infinite loss. The epoch's logs (with the NaN) still reach the history.
 * @example
 * callbacks: [terminateOnNaN()]
 */
export class TerminateOnNaN extends Callback<CallbackModel> {
  /** Where it stopped (0-based epoch and batch), or null while the loss stayed finite. */
  stoppedAt: { epoch: number; batch: number } | null = null;
  private epoch = 0;
  private readonly writer: ProgressWriter | undefined;

  constructor(options: TerminateOnNaNOptions = {}) {
    super();
    this.writer = options.writer;
  }

  override onTrainBegin(_logs: Logs): void {
    this.stoppedAt = null;
  }

  override onEpochBegin(epoch: number, _logs: Logs): void {
    this.epoch = epoch;
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    const loss = logs.loss;
    if (loss === undefined || Number.isFinite(loss)) return;
    this.stoppedAt = { epoch: this.epoch, batch };
    (this.writer ?? defaultWriter()).write(
      `Epoch ${this.epoch + 1}, batch ${batch}: invalid loss (${loss}), terminating training\n`,
    );
    this.model.stopTraining = true;
  }
}

/** A TerminateOnNaN callback. */
export function terminateOnNaN(options: TerminateOnNaNOptions = {}): TerminateOnNaN {
  return new TerminateOnNaN(options);
}
