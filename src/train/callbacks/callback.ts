// train/callbacks/callback: the base class of every callback. fit/evaluate/predict call its hooks
// (all no-ops here) with the epoch or batch index and the logs (metric name -> value) so far.
// Subclass it and override the hooks you need; set `this.model.stopTraining = true` to stop fit.
import { ValueError } from "../../core/errors.js";
import type { Model } from "../../models/model.js";
import type { Tensor } from "../../tensor/tensor.js";

/** Metric name -> value, e.g. `{ loss: 0.41, accuracy: 0.87, val_loss: 0.45 }`. */
export type Logs = Record<string, number>;

/** The optimizer surface a callback may use (learning-rate callbacks). */
export interface CallbackOptimizer {
  readonly learningRate: number;
  setLearningRate(learningRate: number): void;
}

/** What the built-in callbacks use of the model being trained (a Model satisfies it). */
export interface CallbackModel {
  /** Set to true to stop fit after the current batch. */
  stopTraining: boolean;
  /** The compiled optimizer (null before compile). */
  readonly optimizer: CallbackOptimizer | null;
  /** Every weight (trainable and not), in a stable order. */
  getWeights(): Tensor[];
  setWeights(weights: readonly Tensor[]): void;
  /** "up" when larger is better, "down" when smaller is, for a logged name such as "val_accuracy". */
  metricDirection?(name: string): "up" | "down" | undefined;
}

/** What fit/evaluate/predict tell callbacks about the run. */
export interface CallbackParams {
  epochs: number;
  /** Batches per epoch, or null when not known yet (a dataset of unknown length). */
  steps: number | null;
  verbose: 0 | 1 | 2;
}

/**
 * Base callback: every hook does nothing. Hooks run synchronously, in the order the callbacks
 * were given, and may add entries to `logs` (later callbacks and the history then see them).
 * `this.model` is the Model being trained (M is only narrowed by the built-in callbacks).
 * @example
 * class PrintLoss extends Callback {
 *   override onEpochEnd(epoch: number, logs: Logs): void { console.log(epoch, logs.loss); }
 * }
 */
export class Callback<M extends CallbackModel = Model> {
  params: CallbackParams = { epochs: 1, steps: null, verbose: 0 };
  private boundModel: M | null = null;

  /** The model this callback is attached to (fit/evaluate/predict set it). */
  get model(): M {
    if (this.boundModel === null) {
      throw new ValueError(`${this.constructor.name}: no model is set (fit, evaluate and predict set it)`);
    }
    return this.boundModel;
  }

  setModel(model: M): void {
    this.boundModel = model;
  }

  setParams(params: CallbackParams): void {
    this.params = params;
  }

  onTrainBegin(_logs: Logs): void {}
  onTrainEnd(_logs: Logs): void {}
  onEpochBegin(_epoch: number, _logs: Logs): void {}
  onEpochEnd(_epoch: number, _logs: Logs): void {}
  /** Before a training batch (`batch` counts from 0 in each epoch). */
  onBatchBegin(_batch: number, _logs: Logs): void {}
  /** After a training batch; `logs` hold the epoch's running means so far. */
  onBatchEnd(_batch: number, _logs: Logs): void {}
  onTestBegin(_logs: Logs): void {}
  onTestEnd(_logs: Logs): void {}
  onTestBatchBegin(_batch: number, _logs: Logs): void {}
  onTestBatchEnd(_batch: number, _logs: Logs): void {}
  onPredictBegin(_logs: Logs): void {}
  onPredictEnd(_logs: Logs): void {}
  onPredictBatchBegin(_batch: number, _logs: Logs): void {}
  onPredictBatchEnd(_batch: number, _logs: Logs): void {}
}
