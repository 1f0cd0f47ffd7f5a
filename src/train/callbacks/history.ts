// train/callbacks/history: records every epoch's logs. fit adds one itself and returns it.
import { Callback, type CallbackModel, type Logs } from "./callback.js";

/**
 * The record of a fit: `history[name][i]` is the value of `name` at the end of epoch `epoch[i]`.
 * @example
 * const h = await model.fit(x, y, { epochs: 3 });
 * h.history.loss; // [0.9, 0.6, 0.4]
 */
export class History extends Callback<CallbackModel> {
  /** Metric name -> one value per epoch run (NaN included when the loss diverged). */
  history: Record<string, number[]> = {};
  /** The (0-based) epoch index of each entry. */
  epoch: number[] = [];

  override onTrainBegin(_logs: Logs): void {
    this.epoch = [];
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [name, value] of Object.entries(logs)) {
      let values = this.history[name];
      if (values === undefined) {
        values = [];
        this.history[name] = values;
      }
      values.push(value);
    }
  }
}

/** A new History callback. */
export function history(): History {
  return new History();
}
