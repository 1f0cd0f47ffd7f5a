// train/privacy/private-fit: what `fit(x, y, { privacy })` changes. The arrays become an endless
// stream of Poisson-sampled batches (q = batchSize / N, ceil(N / batchSize) steps per epoch, as
// Opacus's DPDataLoader), and each batch goes through a DP-SGD step (fit's trainStep option) whose
// logs add `epsilon`, so the progress line, callbacks and History show the privacy spent. With
// targetEpsilon instead of noiseMultiplier, the noise is the smallest that keeps the whole run
// within it. The final guarantee is kept per model (privacySpentOf) for the model file.
import { noGrad } from "../../autograd/mode.js";
import { ConfigError } from "../../core/errors.js";
import { getGenerator } from "../../core/random.js";
import type { Model } from "../../models/model.js";
import type { StepBatch, StepLogs } from "../../models/model-data.js";
import { add, sub } from "../../ops/binary.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ArrayData, countRows, splitValidation } from "../array-data.js";
import { arrayData } from "../evaluate.js";
import type { FitOptions } from "../fit.js";
import { isBatchIterable } from "../model-data.js";
import { classWeightToSampleWeight } from "../sample-weights.js";
import { forward } from "../step.js";
import { DpSgd, type PrivacySpent } from "./dp-sgd.js";
import { poissonBatches } from "./poisson-sampling.js";
import { findNoiseMultiplier } from "./rdp-accountant.js";

/** fit's `privacy` option. */
export interface PrivacyOptions {
  /** Noise standard deviation over the clipping norm (sigma). Give this or targetEpsilon. */
  noiseMultiplier?: number;
  /** The epsilon the whole run may spend; the noise multiplier is found for it. */
  targetEpsilon?: number;
  /** Each example's gradient is clipped to this L2 norm over all parameters. */
  l2NormClip: number;
  /** Default 1e-5; keep it well below 1 / (number of training examples). */
  delta?: number;
}

const spentByModel = new WeakMap<Model, PrivacySpent>();

/** The privacy a model's last private fit spent (null if it was not trained privately). */
export function privacySpentOf(model: Model): PrivacySpent | null {
  return spentByModel.get(model) ?? null;
}

function optionalNumber(key: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ConfigError(`fit: privacy.${key} must be a finite number (got ${String(value)})`);
  }
  return value;
}

/** Batches in the form fit's iterable path reads ({ x, y } without a null sampleWeight). */
function* asFitBatches(batches: Iterable<ArrayData>): Generator<unknown> {
  for (const b of batches) yield b.sampleWeight === null ? { x: b.x, y: b.y } : b;
}

/** fit's arguments rewritten for a private run (x an iterable of Poisson batches, y undefined). */
export function preparePrivateFit(
  model: Model,
  x: unknown,
  y: unknown,
  options: FitOptions & { privacy: PrivacyOptions },
): { x: Iterable<unknown>; y: undefined; options: FitOptions } {
  const op = "fit";
  const {
    privacy,
    batchSize: givenBatch,
    shuffle: _shuffle,
    sampleWeight,
    validationSplit,
    classWeight,
    ...rest
  } = options;
  if (typeof privacy !== "object" || privacy === null) {
    throw new ConfigError(`${op}: privacy must be an object such as { noiseMultiplier: 1.1, l2NormClip: 1 }`);
  }
  if (isBatchIterable(x)) {
    throw new ConfigError(
      `${op}: privacy needs the training data as arrays (Poisson sampling draws each step from the whole set), not an iterable of batches`,
    );
  }
  if (rest.trainStep !== undefined) throw new ConfigError(`${op}: privacy and trainStep cannot be combined`);
  const noise = optionalNumber("noiseMultiplier", privacy.noiseMultiplier);
  const target = optionalNumber("targetEpsilon", privacy.targetEpsilon);
  if ((noise === undefined) === (target === undefined)) {
    throw new ConfigError(`${op}: privacy needs exactly one of noiseMultiplier and targetEpsilon`);
  }
  let data: ArrayData = arrayData(op, model, x, y, sampleWeight, rest.checkFinite ?? true);
  let validationData = rest.validationData;
  if (validationSplit !== undefined && validationSplit !== 0) {
    if (validationData !== undefined)
      throw new ConfigError(`${op}: pass validationData or validationSplit, not both`);
    const split = splitValidation(data, validationSplit);
    data = split.train;
    const v = split.validation;
    validationData = { x: v.x.length === 1 ? v.x[0] : v.x, y: v.y.length === 1 ? v.y[0] : v.y };
  }
  if (classWeight !== undefined) {
    data = { ...data, sampleWeight: classWeightToSampleWeight(op, classWeight, data.y[0]!) };
  }
  const n = countRows(op, data);
  const batchSize = givenBatch ?? 32;
  const sampleRate = Math.min(1, batchSize / n);
  const stepsPerEpoch = rest.stepsPerEpoch ?? Math.ceil(n / batchSize);
  const epochs = rest.epochs ?? 1;
  const initialEpoch = rest.initialEpoch ?? 0;
  const delta = optionalNumber("delta", privacy.delta) ?? 1e-5;
  const l2NormClip = optionalNumber("l2NormClip", privacy.l2NormClip) ?? Number.NaN;
  const noiseMultiplier =
    noise ??
    findNoiseMultiplier({ targetEpsilon: target!, delta, sampleRate, steps: epochs * stepsPerEpoch });
  const generator = getGenerator().fork();
  const dp = new DpSgd(model, { noiseMultiplier, l2NormClip, delta, sampleRate, datasetSize: n }, generator);
  dp.steps = initialEpoch * stepsPerEpoch; // a resumed run has spent the earlier epochs' steps
  let lastLogs: StepLogs = {};
  const trainStep = (m: Model, batch: StepBatch): StepLogs => {
    const optimizer = m.optimizer;
    if (optimizer === null) throw new ConfigError(`${op}: compile the model before fit`);
    const dataLoss = (predictions: Tensor[], b: ArrayData): Tensor => {
      // the compiled loss without the weight penalties, which DpSgd adds unclipped
      const total = m.computeLoss(b, predictions);
      const penalties = m.losses;
      return penalties.length === 0
        ? total
        : sub(
            total,
            penalties.reduce((a, p) => add(a, p)),
          );
    };
    const out = dp.step(optimizer, batch, (xs) => forward(m, xs, true), dataLoss);
    if (out !== null) {
      const penalties = m.losses;
      const loss = noGrad(() =>
        penalties.length === 0 ? out.loss : penalties.reduce((a, p) => add(a, p), out.loss),
      );
      lastLogs = m.computeMetrics(batch, out.predictions, loss);
    }
    const spent = dp.spent();
    spentByModel.set(m, spent);
    return { ...lastLogs, epsilon: spent.epsilon };
  };
  spentByModel.set(model, dp.spent());
  return {
    x: asFitBatches(poissonBatches(data, n, sampleRate, generator)),
    y: undefined,
    options: { ...rest, validationData, stepsPerEpoch, trainStep },
  };
}
