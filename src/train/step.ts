// train/step: one batch of training, evaluation or prediction. A training step runs the forward
// pass in training mode, adds the weighted per-output losses and the model's regularization
// losses, backpropagates, lets the optimizer update the weights in place, applies the weight
// constraints, and updates the running loss means and metrics (which read plain typed arrays).
// These are the default Model.trainStep/testStep; computeLoss and computeMetrics are the pieces a
// custom step (Model.trainStep override or fit's trainStep option) reuses, as in Keras 3.
import { noGrad } from "../autograd/mode.js";
import { ValueError } from "../core/errors.js";
import { inferBatch } from "../models/inference-plans.js";
import type { Model } from "../models/model.js";
import type { StepBatch, StepLogs } from "../models/model-data.js";
import { getMask } from "../nn/mask.js";
import { add, mul } from "../ops/binary.js";
import { cast } from "../ops/cast.js";
import type { Tensor } from "../tensor/tensor.js";
import { ensureOutputs, type OutputTraining, type TrainingState } from "./compile.js";
import { alignWeights, computeLoss } from "./losses/loss.js";
import { scratchForward } from "./scratch-forward.js";

export type { StepBatch, StepLogs } from "../models/model-data.js";

/** Runs the model on a list of inputs (a single input is passed as one tensor). */
export function forward(model: Model, x: readonly Tensor[], training: boolean): Tensor[] {
  return model.applyMulti(x.length === 1 ? x[0]! : x, { training });
}

/** The total loss of a batch (a scalar with its gradient graph) and each output's weighted loss. */
function batchLoss(
  model: Model,
  outputs: readonly OutputTraining[],
  y: readonly Tensor[],
  predictions: readonly Tensor[],
  sampleWeight: Tensor | null,
): { total: Tensor; perOutput: (Tensor | null)[] } {
  if (y.length !== outputs.length) {
    throw new ValueError(`fit: got ${y.length} targets for a model with ${outputs.length} outputs`);
  }
  let total: Tensor | null = null;
  const perOutput = outputs.map((out, i) => {
    if (out.loss === null) return null;
    const value = computeLoss(out.loss, y[i]!, predictions[i]!, sampleWeight ?? undefined);
    const weighted = out.lossWeight === 1 ? value : mul(value, out.lossWeight);
    total = total === null ? weighted : add(total, weighted);
    return weighted;
  });
  // Regularization penalties and activity losses (read here, where the graph is recorded).
  for (const penalty of model.losses) total = total === null ? penalty : add(total, penalty);
  if (total === null) throw new ValueError("fit: no output has a loss");
  return { total, perOutput };
}

/**
 * The metrics' sample weights for one output: as given, or, when the prediction carries a Keras
 * mask (B, T), the mask times the per-sample weights, so padded steps do not count (as in Keras).
 */
function metricWeights(prediction: Tensor, sampleWeight: Tensor | undefined): Tensor | undefined {
  const mask = getMask(prediction);
  if (mask === null) return sampleWeight;
  const m = cast(mask, "float64");
  return sampleWeight === undefined ? m : mul(m, alignWeights("fit", sampleWeight, m));
}

function updateTrackers(
  state: TrainingState,
  outputs: readonly OutputTraining[],
  total: Tensor,
  perOutput: readonly (Tensor | null)[],
  batch: StepBatch,
  predictions: readonly Tensor[],
): void {
  const size = batch.x[0]?.shape[0] ?? batch.y[0]?.shape[0] ?? 1;
  state.lossTracker.update(total.item(), size);
  const sw = batch.sampleWeight ?? undefined;
  outputs.forEach((out, i) => {
    const value = perOutput[i];
    if (value !== null && value !== undefined) out.lossTracker.update(value.item(), size);
    const weight = metricWeights(predictions[i]!, sw);
    for (const m of out.metrics) m.metric.update(batch.y[i]!, predictions[i]!, weight);
  });
}

/** One optimizer step on a batch; the trackers then hold this batch's contribution. Returns the logs. */
export function trainStep(model: Model, state: TrainingState, batch: StepBatch): StepLogs {
  const optimizer = state.optimizer;
  const params = model.trainableWeights;
  optimizer.attach(params); // the same list keeps the optimizer's state; a new one (unfrozen layers) starts it
  for (const p of params) p.grad = null;
  // a plain Sequential of built-in layers lets backward() recycle its activations (train/scratch-forward)
  const predictions = scratchForward(model, () => forward(model, batch.x, true));
  const outputs = ensureOutputs(model, state, predictions, "Model.trainStep");
  const { total, perOutput } = batchLoss(model, outputs, batch.y, predictions, batch.sampleWeight);
  if (total.requiresGrad) {
    total.backward();
    optimizer.step();
    optimizer.zeroGrad();
    model.applyConstraints();
  }
  noGrad(() => updateTrackers(state, outputs, total, perOutput, batch, predictions));
  return state.results();
}

/** Loss and metrics of a batch in inference mode, without touching the weights. Returns the logs. */
export function testStep(model: Model, state: TrainingState, batch: StepBatch): StepLogs {
  noGrad(() => {
    const predictions = forward(model, batch.x, false);
    const outputs = ensureOutputs(model, state, predictions, "Model.testStep");
    const { total, perOutput } = batchLoss(model, outputs, batch.y, predictions, batch.sampleWeight);
    updateTrackers(state, outputs, total, perOutput, batch, predictions);
  });
  return state.results();
}

/** The compiled loss of a batch (Keras compute_loss): weighted output losses plus regularization. */
export function compiledLoss(
  model: Model,
  state: TrainingState,
  batch: StepBatch,
  predictions: readonly Tensor[],
): Tensor {
  const outputs = ensureOutputs(model, state, predictions, "Model.computeLoss");
  return batchLoss(model, outputs, batch.y, predictions, batch.sampleWeight).total;
}

/**
 * Adds a batch to the trackers (Keras compute_metrics, plus the loss mean): `loss` is the batch's
 * total loss; the per-output losses of a multi-output model are recomputed without a graph.
 */
export function compiledMetrics(
  model: Model,
  state: TrainingState,
  batch: StepBatch,
  predictions: readonly Tensor[],
  loss: Tensor,
): StepLogs {
  noGrad(() => {
    const outputs = ensureOutputs(model, state, predictions, "Model.computeMetrics");
    const perOutput =
      outputs.length > 1
        ? batchLoss(model, outputs, batch.y, predictions, batch.sampleWeight).perOutput
        : outputs.map(() => null);
    updateTrackers(state, outputs, loss, perOutput, batch, predictions);
  });
  return state.results();
}

/**
 * The model's outputs for a batch in inference mode (no gradient graph), replayed from an
 * inference plan once the batch's shapes repeat (models/inference-plans).
 */
export function predictStep(model: Model, x: readonly Tensor[]): Tensor[] {
  return inferBatch(model, x);
}
