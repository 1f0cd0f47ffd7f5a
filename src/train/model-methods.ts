// train/model-methods: compile, fit, evaluate, predict and the *OnBatch methods as methods of
// Model. Declared by module augmentation (models/ sits below train/ in the layering) and installed
// on the prototype here; importing src/index.ts installs them.
import { ValueError } from "../core/errors.js";
import { Model } from "../models/model.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { Tensor } from "../tensor/tensor.js";
import type { History } from "./callbacks/history.js";
import { type CompileOptions, compileModel, requireCompiled, trainingStateOf } from "./compile.js";
import { arrayData, type EvaluateOptions, evaluateModel, orderedValues } from "./evaluate.js";
import { type FitOptions, fitModel } from "./fit.js";
import { type Batch, inputList, isBatchIterable, type ModelData, type PredictBatch } from "./model-data.js";
import { type PredictOptions, predictArrays, predictIterable, singleOutput } from "./predict.js";
import { type ClassWeight, classWeightToSampleWeight } from "./sample-weights.js";
import { predictStep, testStep, trainStep } from "./step.js";

/** Options of trainOnBatch / testOnBatch. */
export interface OnBatchOptions {
  sampleWeight?: Tensor | ArrayLike<number>;
  /** trainOnBatch only. */
  classWeight?: ClassWeight;
}

type Iterables<T> = AsyncIterable<T> | Iterable<T>;

declare module "../models/model.js" {
  interface Model {
    /**
     * Sets the optimizer, loss(es), metrics and loss weights used by fit/evaluate.
     * @example
     * model.compile({ optimizer: optimizers.adam({ learningRate: 1e-3 }), loss: "mse", metrics: ["mae"] });
     */
    compile(options: CompileOptions): void;
    /**
     * Trains for `epochs` over arrays (x, y) or an iterable of `{ x, y }` / `[x, y]` batches.
     * @example
     * const history = await model.fit(x, y, { epochs: 10, batchSize: 32, validationSplit: 0.2 });
     * history.history.val_loss;
     */
    fit(batches: Iterables<Batch>, options?: FitOptions): Promise<History>;
    fit(x: ModelData, y: ModelData, options?: FitOptions): Promise<History>;
    /**
     * Loss and metrics over data. Values come in `metricsNames` order (loss first), or as a
     * record with `returnDict: true`.
     */
    evaluate(
      batches: Iterables<Batch>,
      options: EvaluateOptions & { returnDict: true },
    ): Promise<Record<string, number>>;
    evaluate(
      batches: Iterables<Batch>,
      options?: EvaluateOptions & { returnDict?: false },
    ): Promise<number[]>;
    evaluate(
      x: ModelData,
      y: ModelData,
      options: EvaluateOptions & { returnDict: true },
    ): Promise<Record<string, number>>;
    evaluate(
      x: ModelData,
      y: ModelData,
      options?: EvaluateOptions & { returnDict?: false },
    ): Promise<number[]>;
    /**
     * The output of a single-output model for many samples, in batches, without a gradient graph.
     * Multi-output models use predictOutputs().
     */
    predict(batches: Iterables<PredictBatch>, options?: PredictOptions): Promise<Tensor>;
    predict(x: ModelData, options?: PredictOptions): Tensor;
    /** Every output of the model, in outputNames order, for many samples. */
    predictOutputs(batches: Iterables<PredictBatch>, options?: PredictOptions): Promise<Tensor[]>;
    predictOutputs(x: ModelData, options?: PredictOptions): Tensor[];
    /** One optimizer step on one batch; returns this batch's loss and metrics (metricsNames order). */
    trainOnBatch(
      x: ModelData,
      y: ModelData,
      options: OnBatchOptions & { returnDict: true },
    ): Record<string, number>;
    trainOnBatch(x: ModelData, y: ModelData, options?: OnBatchOptions & { returnDict?: false }): number[];
    /** Loss and metrics of one batch in inference mode (metricsNames order). */
    testOnBatch(
      x: ModelData,
      y: ModelData,
      options: OnBatchOptions & { returnDict: true },
    ): Record<string, number>;
    testOnBatch(x: ModelData, y: ModelData, options?: OnBatchOptions & { returnDict?: false }): number[];
    /** The output of a single-output model for one batch. */
    predictOnBatch(x: ModelData): Tensor;
    /** Every output of the model for one batch. */
    predictOnBatchOutputs(x: ModelData): Tensor[];
    /** Empties the running loss means and metrics. */
    resetMetrics(): void;
    /** Set by a callback to stop fit after the current batch. */
    stopTraining: boolean;
    /** The compiled optimizer, or null before compile. */
    readonly optimizer: Optimizer | null;
    /** Whether compile() was called. */
    readonly compiled: boolean;
    /** Names of the values evaluate/trainOnBatch return: "loss", per-output losses, metrics. */
    readonly metricsNames: string[];
    /** The History of the last fit, or null. */
    readonly history: History | null;
    /** "up" when larger is better for a logged metric name (e.g. "accuracy"), "down" for losses. */
    metricDirection(name: string): "up" | "down" | undefined;
  }
}

const stopFlags = new WeakMap<Model, boolean>();
// Metric classes by which way they improve (names as the metrics registry's classes spell them).
const LOWER_IS_BETTER = /Loss|Error|Crossentropy|Hinge|Poisson|Divergence|LogCosh|Huber/i;
const HIGHER_IS_BETTER = /Accuracy|AUC|Precision|Recall|F1|FBeta|R2|IoU/i;

function onBatchData(op: string, model: Model, x: ModelData, y: ModelData, options: OnBatchOptions) {
  if (options.classWeight !== undefined && options.sampleWeight !== undefined) {
    throw new ValueError(`${op}: pass classWeight or sampleWeight, not both`);
  }
  const data = arrayData(op, model, x, y, options.sampleWeight);
  if (options.classWeight === undefined) return data;
  return { ...data, sampleWeight: classWeightToSampleWeight(op, options.classWeight, data.y[0]!) };
}

/**
 * The options of fit/evaluate over an iterable of batches: `fit(batches, options)` or, as with
 * arrays, `fit(batches, undefined, options)`. NOTE: reading only the second argument silently
 * dropped options given in third position.
 */
function iterableOptions<O extends object>(op: string, second: unknown, third: O | undefined): O {
  if (second !== undefined && second !== null && third !== undefined) {
    throw new ValueError(
      `${op}: y must be left out when x is an iterable of batches (got both y and options)`,
    );
  }
  return (second ?? third ?? {}) as O;
}

function batchResult(model: Model, returnDict: boolean | undefined): Record<string, number> | number[] {
  const state = requireCompiled("onBatch", model);
  const logs = state.results();
  return returnDict === true ? logs : orderedValues(state, logs);
}

const methods = {
  compile(this: Model, options: CompileOptions): void {
    compileModel(this, options);
  },

  async fit(this: Model, x: unknown, y?: unknown, options?: FitOptions): Promise<History> {
    if (isBatchIterable(x)) return fitModel(this, x, undefined, iterableOptions("fit", y, options));
    return fitModel(this, x, y, options ?? {});
  },

  async evaluate(
    this: Model,
    x: unknown,
    y?: unknown,
    options?: EvaluateOptions & { returnDict?: boolean },
  ): Promise<Record<string, number> | number[]> {
    const iterable = isBatchIterable(x);
    const opts = iterable ? iterableOptions("evaluate", y, options) : (options ?? {});
    const logs = await evaluateModel(this, x, iterable ? undefined : y, opts);
    return opts.returnDict === true ? logs : orderedValues(requireCompiled("evaluate", this), logs);
  },

  predict(this: Model, x: unknown, options?: PredictOptions): Tensor | Promise<Tensor> {
    if (isBatchIterable(x))
      return predictIterable(this, x, options ?? {}).then((o) => singleOutput("predict", o));
    return singleOutput("predict", predictArrays(this, x, options ?? {}));
  },

  predictOutputs(this: Model, x: unknown, options?: PredictOptions): Tensor[] | Promise<Tensor[]> {
    if (isBatchIterable(x)) return predictIterable(this, x, options ?? {});
    return predictArrays(this, x, options ?? {});
  },

  trainOnBatch(
    this: Model,
    x: ModelData,
    y: ModelData,
    options: OnBatchOptions & { returnDict?: boolean } = {},
  ): Record<string, number> | number[] {
    const state = requireCompiled("trainOnBatch", this);
    const data = onBatchData("trainOnBatch", this, x, y, options);
    state.resetMetrics(); // the values returned are this batch's alone
    trainStep(this, state, data);
    return batchResult(this, options.returnDict);
  },

  testOnBatch(
    this: Model,
    x: ModelData,
    y: ModelData,
    options: OnBatchOptions & { returnDict?: boolean } = {},
  ): Record<string, number> | number[] {
    const state = requireCompiled("testOnBatch", this);
    if (options.classWeight !== undefined) throw new ValueError("testOnBatch: classWeight is not supported");
    const data = onBatchData("testOnBatch", this, x, y, options);
    state.resetMetrics();
    testStep(this, state, data);
    return batchResult(this, options.returnDict);
  },

  predictOnBatch(this: Model, x: ModelData): Tensor {
    return singleOutput("predictOnBatch", predictStep(this, inputList("predictOnBatch", this, x)));
  },

  predictOnBatchOutputs(this: Model, x: ModelData): Tensor[] {
    return predictStep(this, inputList("predictOnBatch", this, x));
  },

  resetMetrics(this: Model): void {
    trainingStateOf(this)?.resetMetrics();
  },

  metricDirection(this: Model, name: string): "up" | "down" | undefined {
    if (name === "loss" || name.endsWith("_loss")) return "down";
    for (const out of trainingStateOf(this)?.outputs ?? []) {
      const found = out.metrics.find((m) => m.key === name);
      if (found === undefined) continue;
      const className = found.metric.getConfig().className;
      if (LOWER_IS_BETTER.test(className)) return "down";
      if (HIGHER_IS_BETTER.test(className)) return "up";
    }
    return undefined;
  },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Model.prototype, name, { value: fn, writable: true, configurable: true });
}

Object.defineProperty(Model.prototype, "stopTraining", {
  configurable: true,
  get(this: Model): boolean {
    const state = trainingStateOf(this);
    return state === null ? (stopFlags.get(this) ?? false) : state.stopTraining;
  },
  set(this: Model, value: boolean): void {
    const state = trainingStateOf(this);
    if (state === null) stopFlags.set(this, value === true);
    else state.stopTraining = value === true;
  },
});

const getters: Record<string, (this: Model) => unknown> = {
  optimizer(this: Model) {
    return trainingStateOf(this)?.optimizer ?? null;
  },
  compiled(this: Model) {
    return trainingStateOf(this) !== null;
  },
  metricsNames(this: Model) {
    return trainingStateOf(this)?.metricsNames() ?? [];
  },
  history(this: Model) {
    return trainingStateOf(this)?.history ?? null;
  },
};
for (const [name, get] of Object.entries(getters)) {
  Object.defineProperty(Model.prototype, name, { get, configurable: true });
}
