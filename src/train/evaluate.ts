// train/evaluate: the loss and metrics of a model over data (arrays in batches, or an iterable of
// batches) through model.testStep(), with the test hooks of the callbacks. fit runs it for validation.
import { ConfigError, ValueError } from "../core/errors.js";
import type { Model } from "../models/model.js";
import type { Tensor } from "../tensor/tensor.js";
import {
  type ArrayData,
  batchIndices,
  checkBatchSize,
  checkFiniteData,
  countRows,
  takeData,
} from "./array-data.js";
import type { Callback, CallbackModel, Logs } from "./callbacks/callback.js";
import { CallbackList } from "./callbacks/callback-list.js";
import { requireCompiled } from "./compile.js";
import { inputList, isBatchIterable, type ModelData, targetList, unpackBatch } from "./model-data.js";
import type { Verbosity } from "./progbar.js";
import { toSampleWeight } from "./sample-weights.js";

export interface EvaluateOptions {
  /** Default 32. */
  batchSize?: number;
  /** Default "auto" (1). */
  verbose?: Verbosity;
  /** One weight per sample. */
  sampleWeight?: Tensor | ArrayLike<number>;
  /** For an iterable: stop after this many batches. */
  steps?: number;
  callbacks?: readonly Callback<CallbackModel>[];
  /** Refuse NaN and Infinity in the data with a ValueError naming row and column (default true). */
  checkFinite?: boolean;
}

/** Keras's verbosity with "auto" resolved (to 1) and checked. */
export function resolveVerbose(op: string, verbose: Verbosity | undefined): 0 | 1 | 2 {
  const v = verbose ?? "auto";
  if (v === "auto") return 1;
  if (v !== 0 && v !== 1 && v !== 2)
    throw new ConfigError(`${op}: verbose must be 0, 1, 2 or "auto" (got ${JSON.stringify(v)})`);
  return v;
}

/** Checks an optional positive integer option. */
export function positiveIntOption(op: string, name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1)
    throw new ValueError(`${op}: ${name} must be a positive integer (got ${value})`);
  return value;
}

/**
 * Arrays from user x, y and sampleWeight, in model order, checked to share the batch axis, to hold
 * at least one row and (unless `checkFinite` is false) to hold no NaN or Infinity.
 */
export function arrayData(
  op: string,
  model: Model,
  x: unknown,
  y: unknown,
  sampleWeight?: Tensor | ArrayLike<number>,
  checkFinite = true,
): ArrayData {
  let data: ArrayData = { x: inputList(op, model, x), y: targetList(op, model, y), sampleWeight: null };
  const rows = countRows(op, data);
  if (rows === 0) throw new ValueError(`${op}: the data has 0 rows`);
  if (sampleWeight !== undefined) data = { ...data, sampleWeight: toSampleWeight(op, sampleWeight, rows) };
  if (checkFinite) checkFiniteData(op, data);
  return data;
}

/**
 * Runs model.testStep() over arrays in order; the callbacks get the test hooks. Returns the last
 * step's logs (running means over every batch for the compiled step).
 */
export function evaluateArrays(
  model: Model,
  data: ArrayData,
  batchSize: number,
  callbacks: CallbackList,
): Logs {
  const n = countRows("evaluate", data);
  model.resetMetrics();
  callbacks.onTestBegin({});
  let logs: Logs = {};
  batchIndices(n, batchSize, null).forEach((indices, step) => {
    callbacks.onTestBatchBegin(step, {});
    logs = model.testStep(takeData(data, indices));
    callbacks.onTestBatchEnd(step, { ...logs });
  });
  callbacks.onTestEnd({ ...logs });
  return logs;
}

/** Runs model.testStep() over an iterable of batches (at most `steps`). Returns the last logs. */
export async function evaluateIterable(
  op: string,
  model: Model,
  batches: AsyncIterable<unknown> | Iterable<unknown>,
  steps: number | undefined,
  callbacks: CallbackList,
  checkFinite = true,
): Promise<Logs> {
  model.resetMetrics();
  callbacks.onTestBegin({});
  let logs: Logs = {};
  let step = 0;
  if (steps !== 0) {
    for await (const element of batches) {
      const { x, y, sampleWeight } = unpackBatch(op, element);
      const data: ArrayData = { x: inputList(op, model, x), y: targetList(op, model, y), sampleWeight };
      countRows(op, data);
      if (checkFinite) checkFiniteData(`${op}: batch ${step}`, data);
      callbacks.onTestBatchBegin(step, {});
      logs = model.testStep(data);
      callbacks.onTestBatchEnd(step, { ...logs });
      step += 1;
      if (steps !== undefined && step >= steps) break;
    }
  }
  if (step === 0) throw new ValueError(`${op}: the data yielded no batches`);
  callbacks.onTestEnd({ ...logs });
  return logs;
}

/** evaluate() for arrays or an iterable; returns the logs. */
export async function evaluateModel(
  model: Model,
  x: unknown,
  y: unknown,
  options: EvaluateOptions,
): Promise<Logs> {
  const op = "evaluate";
  requireCompiled(op, model);
  const verbose = resolveVerbose(op, options.verbose);
  const steps = positiveIntOption(op, "steps", options.steps);
  if (isBatchIterable(x)) {
    if (y !== undefined) throw new ValueError(`${op}: y must be left out when x is an iterable of batches`);
    const callbacks = new CallbackList(options.callbacks ?? [], {
      model,
      params: { epochs: 1, steps: steps ?? null, verbose },
      addProgress: verbose !== 0,
    });
    return evaluateIterable(op, model, x, steps, callbacks, options.checkFinite ?? true);
  }
  const batchSize = checkBatchSize(op, options.batchSize);
  const data = arrayData(op, model, x as ModelData, y, options.sampleWeight, options.checkFinite ?? true);
  const n = countRows(op, data);
  const callbacks = new CallbackList(options.callbacks ?? [], {
    model,
    params: { epochs: 1, steps: Math.ceil(n / batchSize), verbose },
    addProgress: verbose !== 0,
  });
  return evaluateArrays(model, data, batchSize, callbacks);
}
