// train/fit: the training loop. Over arrays: epochs of batches, reshuffled each epoch by the seeded
// global generator, the Keras validationSplit (last fraction, before shuffling), class and sample
// weights. Over an iterable of batches (the data pipeline's Dataset): one pass per epoch, or
// `stepsPerEpoch` batches from a running iterator. Each batch goes through model.trainStep() (or
// the trainStep option); the logs it returns reach the callbacks, the progress line and History.
import { ConfigError, ValueError } from "../core/errors.js";
import { getGenerator } from "../core/random.js";
import type { Model } from "../models/model.js";
import type { StepBatch, StepLogs } from "../models/model-data.js";
import type { Tensor } from "../tensor/tensor.js";
import {
  type ArrayData,
  batchIndices,
  checkBatchSize,
  checkFiniteData,
  countRows,
  splitValidation,
  takeData,
} from "./array-data.js";
import type { Callback, CallbackModel, Logs } from "./callbacks/callback.js";
import { CallbackList } from "./callbacks/callback-list.js";
import type { History } from "./callbacks/history.js";
import { requireCompiled } from "./compile.js";
import {
  arrayData,
  evaluateArrays,
  evaluateIterable,
  positiveIntOption,
  resolveVerbose,
} from "./evaluate.js";
import { inputList, isBatchIterable, targetList, unpackBatch } from "./model-data.js";
import { type PrivacyOptions, preparePrivateFit } from "./privacy/private-fit.js";
import type { Verbosity } from "./progbar.js";
import { type ClassWeight, classWeightToSampleWeight } from "./sample-weights.js";

/**
 * A training step given to fit in place of model.trainStep(): it gets the model (its optimizer,
 * computeLoss, computeMetrics, trainableWeights) and one batch, updates the weights, and returns
 * the logs to show and record.
 */
export type TrainStepFunction = (model: Model, batch: StepBatch) => StepLogs;

/** Validation data: `[x, y]`, `[x, y, sampleWeight]`, `{ x, y, sampleWeight? }` or an iterable of batches. */
export type ValidationData =
  | readonly [unknown, unknown]
  | readonly [unknown, unknown, Tensor]
  | { readonly x: unknown; readonly y: unknown; readonly sampleWeight?: Tensor }
  | AsyncIterable<unknown>
  | Iterable<unknown>;

export interface FitOptions {
  /** Default 1. */
  epochs?: number;
  /** Default 32 (arrays only). */
  batchSize?: number;
  /** Default "auto" (1): a bar per epoch; 2: one line per epoch; 0: silent. */
  verbose?: Verbosity;
  callbacks?: readonly Callback<CallbackModel>[];
  /** Fraction (0..1) of the samples, taken from the END before shuffling, used for validation. */
  validationSplit?: number;
  validationData?: ValidationData;
  /** Reshuffle the training samples every epoch (default true; arrays only). */
  shuffle?: boolean;
  /** Weight per class index, for single-output models. */
  classWeight?: ClassWeight;
  /** Weight per training sample (arrays only). */
  sampleWeight?: Tensor | ArrayLike<number>;
  /** Epoch to start from (to resume a run): epochs run from initialEpoch to epochs - 1. */
  initialEpoch?: number;
  /** Batches per epoch; with an iterable, its iterator then runs on across epochs. */
  stepsPerEpoch?: number;
  /** Batches of validation per epoch (iterables). */
  validationSteps?: number;
  /** Default: batchSize. */
  validationBatchSize?: number;
  /** Validate every this many epochs (default 1). */
  validationFreq?: number;
  /**
   * Refuse NaN and Infinity in x, y and sample weights (training and validation data) with a
   * ValueError naming the row and column, instead of training to NaN weights (default true).
   */
  checkFinite?: boolean;
  /**
   * Replaces model.trainStep() for this run (Keras's train_step, as an option): callbacks, the
   * progress line, validation and History stay as they are.
   */
  trainStep?: TrainStepFunction;
  /**
   * Differentially private training (DP-SGD, train/privacy): Poisson-sampled batches of expected
   * size batchSize, per-example clipping, Gaussian noise; the logs add `epsilon`. Arrays only.
   */
  privacy?: PrivacyOptions;
}

interface Source {
  /** Batches per epoch when known. */
  steps: number | null;
  /** Runs the epoch's training batches; returns false when the data ran out before any batch. */
  runEpoch(epoch: number, onBatch: (step: number, batch: ArrayData) => boolean): Promise<boolean>;
}

function arraySource(
  data: ArrayData,
  batchSize: number,
  shuffle: boolean,
  stepsPerEpoch: number | undefined,
): Source {
  const n = countRows("fit", data);
  const perEpoch = Math.ceil(n / batchSize);
  return {
    steps: stepsPerEpoch === undefined ? perEpoch : Math.min(stepsPerEpoch, perEpoch),
    async runEpoch(_epoch, onBatch) {
      const batches = batchIndices(n, batchSize, shuffle ? getGenerator() : null);
      const limit = Math.min(batches.length, stepsPerEpoch ?? batches.length);
      for (let step = 0; step < limit; step++) {
        if (!onBatch(step, takeData(data, batches[step]!))) break;
      }
      return n > 0;
    },
  };
}

function iterableSource(
  model: Model,
  iterable: AsyncIterable<unknown> | Iterable<unknown>,
  stepsPerEpoch: number | undefined,
  classWeight: ClassWeight | undefined,
  checkFinite: boolean,
): Source {
  let iterator: AsyncIterator<unknown> | Iterator<unknown> | null = null;
  const open = (): AsyncIterator<unknown> | Iterator<unknown> =>
    Symbol.asyncIterator in iterable
      ? (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator]()
      : (iterable as Iterable<unknown>)[Symbol.iterator]();
  const toData = (element: unknown, step: number): ArrayData => {
    const { x, y, sampleWeight } = unpackBatch("fit", element);
    const data: ArrayData = { x: inputList("fit", model, x), y: targetList("fit", model, y), sampleWeight };
    countRows("fit", data);
    if (checkFinite) checkFiniteData(`fit: batch ${step}`, data);
    if (classWeight === undefined) return data;
    return { ...data, sampleWeight: classWeightToSampleWeight("fit", classWeight, data.y[0]!) };
  };
  return {
    steps: stepsPerEpoch ?? null,
    async runEpoch(_epoch, onBatch) {
      // Without stepsPerEpoch every epoch is a fresh pass; with it the iterator runs on and is
      // reopened when it ends (one more time per epoch at most).
      if (stepsPerEpoch === undefined || iterator === null) iterator = open();
      let step = 0;
      let reopened = false;
      while (stepsPerEpoch === undefined || step < stepsPerEpoch) {
        const next = await iterator.next();
        if (next.done === true) {
          iterator = null;
          if (stepsPerEpoch === undefined || step > 0 || reopened) break;
          iterator = open();
          reopened = true;
          continue;
        }
        const keepGoing = onBatch(step, toData(next.value, step));
        step += 1;
        if (!keepGoing) break;
      }
      return step > 0;
    },
  };
}

function checkEpochs(options: FitOptions): { epochs: number; initialEpoch: number } {
  const epochs = options.epochs ?? 1;
  const initialEpoch = options.initialEpoch ?? 0;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new ValueError(`fit: epochs must be an integer >= 0 (got ${epochs})`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) {
    throw new ValueError(`fit: initialEpoch must be an integer >= 0 (got ${initialEpoch})`);
  }
  return { epochs, initialEpoch };
}

type Validation =
  | { kind: "arrays"; data: ArrayData; batchSize: number }
  | { kind: "iterable"; batches: AsyncIterable<unknown> | Iterable<unknown>; steps: number | undefined };

function validationFrom(
  model: Model,
  value: ValidationData,
  batchSize: number,
  steps: number | undefined,
  checkFinite: boolean,
): Validation {
  if (isBatchIterable(value)) return { kind: "iterable", batches: value, steps };
  const { x, y, sampleWeight } = unpackBatch("fit: validationData", value);
  return {
    kind: "arrays",
    data: arrayData("fit: validationData", model, x, y, sampleWeight ?? undefined, checkFinite),
    batchSize,
  };
}

/** A step's logs, checked: a record of numbers (a custom step may return anything). */
function checkLogs(op: string, logs: unknown): Logs {
  if (typeof logs !== "object" || logs === null || Array.isArray(logs)) {
    throw new ValueError(
      `${op}: trainStep must return a record of logs such as { loss: 0.5 } (got ${String(logs)})`,
    );
  }
  for (const [key, value] of Object.entries(logs)) {
    if (typeof value !== "number") {
      throw new ValueError(
        `${op}: trainStep returned a non-number log "${key}" (${typeof value}); return numbers, e.g. loss.item()`,
      );
    }
  }
  return logs as Logs;
}

/** The training loop behind model.fit(). */
export async function fitModel(
  model: Model,
  x: unknown,
  y: unknown,
  options: FitOptions = {},
): Promise<History> {
  const op = "fit";
  if (options.privacy !== undefined) {
    const run = preparePrivateFit(model, x, y, { ...options, privacy: options.privacy });
    return fitModel(model, run.x, run.y, run.options);
  }
  const state = requireCompiled(op, model);
  const { epochs, initialEpoch } = checkEpochs(options);
  const verbose = resolveVerbose(op, options.verbose);
  const stepsPerEpoch = positiveIntOption(op, "stepsPerEpoch", options.stepsPerEpoch);
  const validationFreq = positiveIntOption(op, "validationFreq", options.validationFreq) ?? 1;
  const batchSize = checkBatchSize(op, options.batchSize);
  const checkFinite = options.checkFinite ?? true;
  const validationBatchSize = checkBatchSize(op, options.validationBatchSize ?? batchSize);
  if (options.classWeight !== undefined && model.outputNames.length > 1) {
    throw new ConfigError(`${op}: classWeight is only supported for models with a single output`);
  }
  if (options.classWeight !== undefined && options.sampleWeight !== undefined) {
    throw new ConfigError(`${op}: pass classWeight or sampleWeight, not both`);
  }

  let source: Source;
  let validation: Validation | null = null;
  if (isBatchIterable(x)) {
    if (y !== undefined && y !== null)
      throw new ValueError(`${op}: y must be left out when x is an iterable of batches`);
    for (const name of ["validationSplit", "sampleWeight"] as const) {
      if (options[name] !== undefined)
        throw new ConfigError(`${op}: ${name} is not supported with an iterable of batches`);
    }
    source = iterableSource(model, x, stepsPerEpoch, options.classWeight, checkFinite);
  } else {
    let data = arrayData(op, model, x, y, options.sampleWeight, checkFinite);
    if (options.validationSplit !== undefined && options.validationSplit !== 0) {
      if (options.validationData !== undefined) {
        throw new ConfigError(`${op}: pass validationData or validationSplit, not both`);
      }
      const split = splitValidation(data, options.validationSplit);
      data = split.train;
      validation = { kind: "arrays", data: split.validation, batchSize: validationBatchSize };
    }
    // Class weights weigh the training samples only (validation stays unweighted, as in Keras).
    if (options.classWeight !== undefined) {
      data = { ...data, sampleWeight: classWeightToSampleWeight(op, options.classWeight, data.y[0]!) };
    }
    source = arraySource(data, batchSize, options.shuffle ?? true, stepsPerEpoch);
  }
  if (options.validationData !== undefined) {
    validation = validationFrom(
      model,
      options.validationData,
      validationBatchSize,
      options.validationSteps,
      checkFinite,
    );
  }

  const callbacks = new CallbackList(options.callbacks ?? [], {
    model,
    params: { epochs, steps: source.steps, verbose },
    addHistory: true,
    addProgress: verbose !== 0,
  });
  const history = callbacks.history!;
  state.history = history;
  model.stopTraining = false;
  const custom = options.trainStep;
  const step: (batch: StepBatch) => StepLogs =
    custom === undefined ? (batch) => model.trainStep(batch) : (batch) => custom(model, batch);
  callbacks.onTrainBegin({});
  let epochLogs: Logs = {};
  for (let epoch = initialEpoch; epoch < epochs; epoch++) {
    model.resetMetrics();
    callbacks.onEpochBegin(epoch, {});
    let batchLogs: Logs = {};
    const ran = await source.runEpoch(epoch, (index, batch) => {
      callbacks.onBatchBegin(index, {});
      batchLogs = checkLogs(op, step(batch));
      callbacks.onBatchEnd(index, { ...batchLogs });
      return !model.stopTraining;
    });
    if (!ran && epoch === initialEpoch) {
      throw new ValueError(`${op}: the input yielded no batches; there is nothing to train on`);
    }
    if (!ran) {
      console.warn(
        `${op}: the input ran out of data; training stopped at epoch ${epoch + 1}. Make sure it yields at least stepsPerEpoch * epochs batches.`,
      );
      break;
    }
    // The last batch's logs: running means for the compiled step, as in Keras.
    epochLogs = { ...batchLogs };
    if (validation !== null && (epoch + 1) % validationFreq === 0) {
      const valLogs =
        validation.kind === "arrays"
          ? evaluateArrays(model, validation.data, validation.batchSize, callbacks)
          : await evaluateIterable(op, model, validation.batches, validation.steps, callbacks, checkFinite);
      for (const [k, v] of Object.entries(valLogs)) epochLogs[`val_${k}`] = v;
    }
    callbacks.onEpochEnd(epoch, epochLogs);
    if (model.stopTraining) break;
  }
  callbacks.onTrainEnd(epochLogs);
  return history;
}
