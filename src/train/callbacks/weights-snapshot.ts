// train/callbacks/weights-snapshot: a deep copy of a model's weights and its exact restoration
// (earlyStopping's restoreBestWeights). Copies the data so later updates cannot alter it.
import { Tensor } from "../../tensor/tensor.js";
import type { CallbackModel } from "./callback.js";

/** Copies of every weight's data, in getWeights() order. */
export function snapshotWeights(model: CallbackModel): Tensor[] {
  return model.getWeights().map((w) => new Tensor(w.data.slice(), w.shape));
}

/** Puts a snapshot back into the model (bit for bit). */
export function restoreWeights(model: CallbackModel, snapshot: readonly Tensor[]): void {
  model.setWeights(snapshot);
}
