// train/predict: the model's outputs over many samples, computed in batches in inference mode
// (no gradient graph) and joined along the batch axis, with the predict hooks of the callbacks.
import { allocate } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import type { Model } from "../models/model.js";
import { Tensor } from "../tensor/tensor.js";
import { batchIndices, checkBatchSize, countRows, takeRows } from "./array-data.js";
import type { Callback, CallbackModel } from "./callbacks/callback.js";
import { CallbackList } from "./callbacks/callback-list.js";
import { positiveIntOption, resolveVerbose } from "./evaluate.js";
import { inputList, unpackPredictBatch } from "./model-data.js";
import type { Verbosity } from "./progbar.js";
import { predictStep } from "./step.js";

export interface PredictOptions {
  /** Default 32. */
  batchSize?: number;
  /** Default "auto" (1): a progress line, as Keras; pass 0 for silence. */
  verbose?: Verbosity;
  /** For an iterable: stop after this many batches. */
  steps?: number;
  callbacks?: readonly Callback<CallbackModel>[];
}

/** Joins batches of each output along axis 0 (one copy into a preallocated array). */
export function concatBatches(perBatch: readonly (readonly Tensor[])[]): Tensor[] {
  const first = perBatch[0];
  if (first === undefined) throw new ValueError("predict: no batches to join");
  return first.map((proto, k) => {
    let rows = 0;
    for (const outs of perBatch) rows += outs[k]!.shape[0] ?? 1;
    if (perBatch.length === 1) return proto;
    const out = allocate(
      proto.dtype,
      perBatch.reduce((n, outs) => n + outs[k]!.size, 0),
    );
    let offset = 0;
    for (const outs of perBatch) {
      out.set(outs[k]!.data, offset);
      offset += outs[k]!.size;
    }
    return new Tensor(out, [rows, ...proto.shape.slice(1)]);
  });
}

function predictCallbacks(model: Model, options: PredictOptions, steps: number | null): CallbackList {
  const verbose = resolveVerbose("predict", options.verbose);
  return new CallbackList(options.callbacks ?? [], {
    model,
    params: { epochs: 1, steps, verbose },
    addProgress: verbose !== 0,
  });
}

/** Every output of the model for array inputs, batch by batch. */
export function predictArrays(model: Model, x: unknown, options: PredictOptions): Tensor[] {
  const op = "predict";
  const inputs = inputList(op, model, x);
  const n = countRows(op, { x: inputs, y: [], sampleWeight: null });
  const batchSize = checkBatchSize(op, options.batchSize);
  const batches = batchIndices(n, batchSize, null);
  const callbacks = predictCallbacks(model, options, batches.length);
  callbacks.onPredictBegin({});
  const results: Tensor[][] = [];
  batches.forEach((indices, step) => {
    callbacks.onPredictBatchBegin(step, {});
    results.push(predictStep(model, inputs.length === 0 ? [] : inputs.map((t) => takeRows(t, indices))));
    callbacks.onPredictBatchEnd(step, {});
  });
  callbacks.onPredictEnd({});
  if (results.length === 0) {
    // N = 0: one empty forward pass gives outputs of the right trailing shape.
    return predictStep(model, inputs);
  }
  return concatBatches(results);
}

/** Every output of the model for an iterable of input batches. */
export async function predictIterable(
  model: Model,
  batches: AsyncIterable<unknown> | Iterable<unknown>,
  options: PredictOptions,
): Promise<Tensor[]> {
  const op = "predict";
  const steps = positiveIntOption(op, "steps", options.steps);
  const callbacks = predictCallbacks(model, options, steps ?? null);
  callbacks.onPredictBegin({});
  const results: Tensor[][] = [];
  for await (const element of batches) {
    const inputs = inputList(op, model, unpackPredictBatch(element));
    countRows(op, { x: inputs, y: [], sampleWeight: null });
    callbacks.onPredictBatchBegin(results.length, {});
    results.push(predictStep(model, inputs));
    callbacks.onPredictBatchEnd(results.length - 1, {});
    if (steps !== undefined && results.length >= steps) break;
  }
  callbacks.onPredictEnd({});
  if (results.length === 0) throw new ValueError(`${op}: the data yielded no batches`);
  return concatBatches(results);
}
