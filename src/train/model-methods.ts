// train/model-methods: the trainer behind Model's compile, fit, evaluate, predict, *OnBatch and
// step methods (declared and documented on Model in models/model.ts). Loading this file registers
// it with models/model-api.ts and adds train/'s option types to ModelApiTypes; importing
// "tessera-ml" (src/index.ts) loads it.
import { ValueError } from "../core/errors.js";
import type { Model } from "../models/model.js";
import { type ModelTrainer, registerTrainer, type WithReturnDict } from "../models/model-api.js";
import type { ModelData, StepLogs } from "../models/model-data.js";
import type { Tensor } from "../tensor/tensor.js";
import type { History } from "./callbacks/history.js";
import {
  type CompileOptions,
  compileModel,
  requireCompiled,
  type TrainingState,
  trainingStateOf,
} from "./compile.js";
import { arrayData, type EvaluateOptions, evaluateModel } from "./evaluate.js";
import { type FitOptions, fitModel } from "./fit.js";
import { inputList, isBatchIterable } from "./model-data.js";
import { type PredictOptions, predictArrays, predictIterable } from "./predict.js";
import { type ClassWeight, classWeightToSampleWeight } from "./sample-weights.js";
import { compiledLoss, compiledMetrics, predictStep, testStep, trainStep } from "./step.js";

/** Options of trainOnBatch / testOnBatch. */
export interface OnBatchOptions {
  sampleWeight?: Tensor | ArrayLike<number>;
  /** trainOnBatch only. */
  classWeight?: ClassWeight;
}

// Local names: inside the augmentation, CompileOptions etc. would name model-api's own aliases.
type TrainCompileOptions = CompileOptions;
type TrainFitOptions = FitOptions;
type TrainEvaluateOptions = EvaluateOptions;
type TrainPredictOptions = PredictOptions;
type TrainOnBatchOptions = OnBatchOptions;
type TrainHistory = History;

declare module "../models/model-api.js" {
  interface ModelApiTypes {
    CompileOptions: TrainCompileOptions;
    FitOptions: TrainFitOptions;
    EvaluateOptions: TrainEvaluateOptions;
    PredictOptions: TrainPredictOptions;
    OnBatchOptions: TrainOnBatchOptions;
    History: TrainHistory;
  }
}

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

/**
 * A step's logs as evaluate/trainOnBatch return them: the record, or values in metricsNames order
 * (loss first). Logs of a custom step that lack the compiled names come in their own order.
 */
export function logValues(state: TrainingState, logs: StepLogs): number[] {
  const names = state.metricsNames();
  if (names.every((name) => name in logs)) return names.map((name) => logs[name]!);
  return Object.values(logs);
}

/**
 * Size of the optimizer's state once a first step has created it: its slots (Adam's two moments
 * per weight) plus the iteration counter (8 bytes, Keras's int64 `iterations`). Keras 3's summary
 * counts the optimizer's variables the same way after fit.
 */
function optimizerParams(model: Model): { count: number; bytes: number } | null {
  const optimizer = trainingStateOf(model)?.optimizer;
  if (optimizer === undefined || optimizer.params.length === 0) return null;
  let count = 1;
  let bytes = 8;
  for (const slots of Object.values(optimizer.stateDict().state)) {
    for (const array of Object.values(slots)) {
      count += array.length;
      bytes += array.byteLength;
    }
  }
  return { count, bytes };
}

const trainer: ModelTrainer = {
  compile(model, options) {
    compileModel(model, options);
  },

  async fit(model, x, y, options) {
    if (isBatchIterable(x)) return fitModel(model, x, undefined, iterableOptions("fit", y, options));
    return fitModel(model, x, y, options ?? {});
  },

  async evaluate(model, x, y, options) {
    const iterable = isBatchIterable(x);
    const opts: WithReturnDict<EvaluateOptions> = iterable
      ? iterableOptions("evaluate", y, options)
      : (options ?? {});
    const logs = await evaluateModel(model, x, iterable ? undefined : y, opts);
    return opts.returnDict === true ? logs : logValues(requireCompiled("evaluate", model), logs);
  },

  predict(model, x, options) {
    if (isBatchIterable(x)) return predictIterable(model, x, options ?? {});
    return predictArrays(model, x, options ?? {});
  },

  trainOnBatch(model, x, y, options) {
    const state = requireCompiled("trainOnBatch", model);
    const data = onBatchData("trainOnBatch", model, x, y, options);
    model.resetMetrics(); // the values returned are this batch's alone
    const logs = model.trainStep(data);
    return options.returnDict === true ? logs : logValues(state, logs);
  },

  testOnBatch(model, x, y, options) {
    const state = requireCompiled("testOnBatch", model);
    if (options.classWeight !== undefined) throw new ValueError("testOnBatch: classWeight is not supported");
    const data = onBatchData("testOnBatch", model, x, y, options);
    model.resetMetrics();
    const logs = model.testStep(data);
    return options.returnDict === true ? logs : logValues(state, logs);
  },

  predictOnBatch(model, x) {
    return predictStep(model, inputList("predictOnBatch", model, x));
  },

  trainStep(model, batch) {
    return trainStep(model, requireCompiled("trainStep", model), batch);
  },

  testStep(model, batch) {
    return testStep(model, requireCompiled("testStep", model), batch);
  },

  computeLoss(model, batch, predictions) {
    return compiledLoss(model, requireCompiled("computeLoss", model), batch, predictions);
  },

  computeMetrics(model, batch, predictions, loss) {
    return compiledMetrics(model, requireCompiled("computeMetrics", model), batch, predictions, loss);
  },

  resetMetrics(model) {
    trainingStateOf(model)?.resetMetrics();
  },

  compiled(model) {
    return trainingStateOf(model) !== null;
  },

  optimizer(model) {
    return trainingStateOf(model)?.optimizer ?? null;
  },

  optimizerParams,

  metricsNames(model) {
    return trainingStateOf(model)?.metricsNames() ?? [];
  },

  history(model) {
    return trainingStateOf(model)?.history ?? null;
  },

  metricDirection(model, name) {
    if (name === "loss" || name.endsWith("_loss")) return "down";
    for (const out of trainingStateOf(model)?.outputs ?? []) {
      const found = out.metrics.find((m) => m.key === name);
      if (found === undefined) continue;
      const className = found.metric.getConfig().className;
      if (LOWER_IS_BETTER.test(className)) return "down";
      if (HIGHER_IS_BETTER.test(className)) return "up";
    }
    return undefined;
  },
};

registerTrainer(trainer);
