// train/callbacks/callback-list: runs a list of callbacks hook by hook, in order, and adds the
// defaults fit/evaluate/predict need: a ProgressLogger (when verbose is not 0 and the user gave
// none) and a History (fit), after the user's callbacks as in Keras, so they see logs the user's
// callbacks added (e.g. "learning_rate").
import { ConfigError } from "../../core/errors.js";
import { Callback, type CallbackModel, type CallbackParams, type Logs } from "./callback.js";
import { History } from "./history.js";
import { ProgressLogger } from "./progress-logger.js";

export interface CallbackListOptions {
  addHistory?: boolean;
  addProgress?: boolean;
  model: CallbackModel;
  params: CallbackParams;
}

/** The callbacks of one fit/evaluate/predict call. */
export class CallbackList {
  readonly callbacks: Callback<CallbackModel>[];
  readonly history: History | null;

  constructor(callbacks: readonly Callback<CallbackModel>[], options: CallbackListOptions) {
    this.callbacks = [...callbacks];
    for (const cb of this.callbacks) {
      if (!(cb instanceof Callback)) {
        throw new ConfigError(`callbacks: every callback must extend Callback (got ${String(cb)})`);
      }
    }
    const hasProgress = this.callbacks.some((cb) => cb instanceof ProgressLogger);
    if (options.addProgress === true && !hasProgress) this.callbacks.push(new ProgressLogger());
    let history = this.callbacks.find((cb): cb is History => cb instanceof History) ?? null;
    if (options.addHistory === true && history === null) {
      history = new History();
      this.callbacks.push(history);
    }
    this.history = history;
    for (const cb of this.callbacks) {
      cb.setModel(options.model);
      cb.setParams(options.params);
    }
  }

  setParams(params: CallbackParams): void {
    for (const cb of this.callbacks) cb.setParams(params);
  }

  onTrainBegin(logs: Logs): void {
    for (const cb of this.callbacks) cb.onTrainBegin(logs);
  }
  onTrainEnd(logs: Logs): void {
    for (const cb of this.callbacks) cb.onTrainEnd(logs);
  }
  onEpochBegin(epoch: number, logs: Logs): void {
    for (const cb of this.callbacks) cb.onEpochBegin(epoch, logs);
  }
  onEpochEnd(epoch: number, logs: Logs): void {
    for (const cb of this.callbacks) cb.onEpochEnd(epoch, logs);
  }
  onBatchBegin(batch: number, logs: Logs): void {
    for (const cb of this.callbacks) cb.onBatchBegin(batch, logs);
  }
  onBatchEnd(batch: number, logs: Logs): void {
    for (const cb of this.callbacks) cb.onBatchEnd(batch, logs);
  }
  onTestBegin(logs: Logs): void {
    for (const cb of this.callbacks) cb.onTestBegin(logs);
  }
  onTestEnd(logs: Logs): void {
    for (const cb of this.callbacks) cb.onTestEnd(logs);
  }
  onTestBatchBegin(batch: number, logs: Logs): void {
    for (const cb of this.callbacks) cb.onTestBatchBegin(batch, logs);
  }
  onTestBatchEnd(batch: number, logs: Logs): void {
    for (const cb of this.callbacks) cb.onTestBatchEnd(batch, logs);
  }
  onPredictBegin(logs: Logs): void {
    for (const cb of this.callbacks) cb.onPredictBegin(logs);
  }
  onPredictEnd(logs: Logs): void {
    for (const cb of this.callbacks) cb.onPredictEnd(logs);
  }
  onPredictBatchBegin(batch: number, logs: Logs): void {
    for (const cb of this.callbacks) cb.onPredictBatchBegin(batch, logs);
  }
  onPredictBatchEnd(batch: number, logs: Logs): void {
    for (const cb of this.callbacks) cb.onPredictBatchEnd(batch, logs);
  }
}
