// train/callbacks/lambda-callback: a callback made of plain functions, for one-off hooks without
// writing a subclass. Each function receives the same arguments as the Callback method of its name.
import type { Model } from "../../models/model.js";
import { Callback, type CallbackModel, type Logs } from "./callback.js";

type EpochHook<M> = (epoch: number, logs: Logs, model: M) => void;
type BatchHook<M> = (batch: number, logs: Logs, model: M) => void;
type RunHook<M> = (logs: Logs, model: M) => void;

export interface LambdaCallbackHooks<M extends CallbackModel = Model> {
  onTrainBegin?: RunHook<M>;
  onTrainEnd?: RunHook<M>;
  onEpochBegin?: EpochHook<M>;
  onEpochEnd?: EpochHook<M>;
  onBatchBegin?: BatchHook<M>;
  onBatchEnd?: BatchHook<M>;
  onTestBegin?: RunHook<M>;
  onTestEnd?: RunHook<M>;
  onTestBatchBegin?: BatchHook<M>;
  onTestBatchEnd?: BatchHook<M>;
  onPredictBegin?: RunHook<M>;
  onPredictEnd?: RunHook<M>;
  onPredictBatchBegin?: BatchHook<M>;
  onPredictBatchEnd?: BatchHook<M>;
}

/**
 * A callback whose hooks are the given functions (each also gets the model as last argument).
 * @example
 * lambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) })
 */
export class LambdaCallback<M extends CallbackModel = Model> extends Callback<M> {
  private readonly hooks: LambdaCallbackHooks<M>;

  constructor(hooks: LambdaCallbackHooks<M>) {
    super();
    this.hooks = { ...hooks };
  }

  override onTrainBegin(logs: Logs): void {
    this.hooks.onTrainBegin?.(logs, this.model);
  }
  override onTrainEnd(logs: Logs): void {
    this.hooks.onTrainEnd?.(logs, this.model);
  }
  override onEpochBegin(epoch: number, logs: Logs): void {
    this.hooks.onEpochBegin?.(epoch, logs, this.model);
  }
  override onEpochEnd(epoch: number, logs: Logs): void {
    this.hooks.onEpochEnd?.(epoch, logs, this.model);
  }
  override onBatchBegin(batch: number, logs: Logs): void {
    this.hooks.onBatchBegin?.(batch, logs, this.model);
  }
  override onBatchEnd(batch: number, logs: Logs): void {
    this.hooks.onBatchEnd?.(batch, logs, this.model);
  }
  override onTestBegin(logs: Logs): void {
    this.hooks.onTestBegin?.(logs, this.model);
  }
  override onTestEnd(logs: Logs): void {
    this.hooks.onTestEnd?.(logs, this.model);
  }
  override onTestBatchBegin(batch: number, logs: Logs): void {
    this.hooks.onTestBatchBegin?.(batch, logs, this.model);
  }
  override onTestBatchEnd(batch: number, logs: Logs): void {
    this.hooks.onTestBatchEnd?.(batch, logs, this.model);
  }
  override onPredictBegin(logs: Logs): void {
    this.hooks.onPredictBegin?.(logs, this.model);
  }
  override onPredictEnd(logs: Logs): void {
    this.hooks.onPredictEnd?.(logs, this.model);
  }
  override onPredictBatchBegin(batch: number, logs: Logs): void {
    this.hooks.onPredictBatchBegin?.(batch, logs, this.model);
  }
  override onPredictBatchEnd(batch: number, logs: Logs): void {
    this.hooks.onPredictBatchEnd?.(batch, logs, this.model);
  }
}

/** A LambdaCallback from hook functions. */
export function lambdaCallback<M extends CallbackModel = Model>(
  hooks: LambdaCallbackHooks<M>,
): LambdaCallback<M> {
  return new LambdaCallback<M>(hooks);
}
