// train/privacy/dp-sgd: one DP-SGD step (Abadi et al. 2016, Algorithm 1, as Opacus runs it): the
// per-example gradients g_b of a Poisson-sampled batch, each clipped to l2NormClip over ALL
// parameters (g_b * min(1, C / (||g_b|| + 1e-6))), summed, plus Gaussian noise N(0, (sigma C)^2)
// per coordinate, divided by the EXPECTED batch size q N (so an empty batch is still a step).
// Weight penalties (kernelRegularizer...) do not depend on the data and are added unclipped. The
// accountant counts the steps; epsilon is the RDP bound at the configured delta.
// NOTE: the noise is the backend's gaussianNoise kernel (Philox4x32-10 and Box-Muller, the same bits
// on every backend, ISA and thread count) keyed by two words drawn from Tessera's seeded generator
// once per step (reproducible runs); like Opacus without secure_mode, it is not a cryptographically
// secure source.
import { gradientsOf } from "../../autograd/backward.js";
import { kernels } from "../../backend/registry.js";
import type { FloatArray } from "../../core/dtype.js";
import { ConfigError } from "../../core/errors.js";
import type { Generator } from "../../core/random.js";
import type { Model } from "../../models/model.js";
import { add } from "../../ops/binary.js";
import type { Optimizer } from "../../optim/optimizer.js";
import { zerosLike } from "../../tensor/creation.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { ArrayData } from "../array-data.js";
import {
  type BatchLossFn,
  type PerExamplePlan,
  perExampleGradients,
  planPerExample,
} from "./per-example-grads.js";
import { computeRdp, DEFAULT_ORDERS, rdpToEpsilon } from "./rdp-accountant.js";

/** The settings of a private run (all required here; see private-fit for defaults). */
export interface DpSgdSettings {
  readonly noiseMultiplier: number;
  readonly l2NormClip: number;
  readonly delta: number;
  /** q: the probability of each example being in a batch. */
  readonly sampleRate: number;
  /** The number of training examples N (the expected batch size is q N). */
  readonly datasetSize: number;
}

/** What the model file records about a private run (metadata.privacy). */
export interface PrivacySpent {
  epsilon: number;
  delta: number;
  noiseMultiplier: number;
  l2NormClip: number;
  sampleRate: number;
  steps: number;
  accountant: "rdp";
}

/** Checks the settings, with errors that name the field. */
export function checkDpSgdSettings(op: string, s: DpSgdSettings): void {
  if (!(s.noiseMultiplier > 0) || !Number.isFinite(s.noiseMultiplier)) {
    throw new ConfigError(
      `${op}: privacy.noiseMultiplier must be a finite number > 0 (got ${s.noiseMultiplier}); 0 would add no noise and give no privacy`,
    );
  }
  if (!(s.l2NormClip > 0) || !Number.isFinite(s.l2NormClip)) {
    throw new ConfigError(`${op}: privacy.l2NormClip must be a finite number > 0 (got ${s.l2NormClip})`);
  }
  if (!(s.delta > 0 && s.delta < 1))
    throw new ConfigError(`${op}: privacy.delta must be in (0, 1) (got ${s.delta})`);
  if (!(s.sampleRate > 0 && s.sampleRate <= 1)) {
    throw new ConfigError(`${op}: the sampling rate must be in (0, 1] (got ${s.sampleRate})`);
  }
}

/**
 * (sum + std * N(0, 1)) * factor element-wise, in place: sum is a fresh tensor DpSgd owns. The
 * noise of one step is keyed by (key0, key1); each parameter is its own counter stream.
 */
function noisyMean(
  sum: Tensor,
  std: number,
  factor: number,
  key: readonly [number, number],
  stream: number,
): Tensor {
  const data = sum.data as FloatArray;
  kernels().gaussianNoise(data, {
    n: data.length,
    std,
    scale: factor,
    key0: key[0],
    key1: key[1],
    stream,
    offset: 0,
  });
  return sum;
}

/**
 * DP-SGD for one model: call step() once per Poisson-sampled batch. It owns the step count and
 * reports the privacy spent so far.
 * @example
 * const dp = new DpSgd(model, { noiseMultiplier: 1.1, l2NormClip: 1, delta: 1e-5, sampleRate: 0.01, datasetSize: 6000 }, gen);
 * dp.step(optimizer, batch, forward, lossOf); dp.spent().epsilon;
 */
export class DpSgd {
  readonly settings: DpSgdSettings;
  readonly plan: PerExamplePlan;
  steps = 0;
  private readonly generator: Generator;
  private readonly model: Model;
  private readonly rdpPerStep: number[];

  constructor(model: Model, settings: DpSgdSettings, generator: Generator) {
    checkDpSgdSettings("privacy", settings);
    this.settings = settings;
    this.model = model;
    this.generator = generator;
    this.plan = planPerExample(model);
    this.rdpPerStep = computeRdp({
      sampleRate: settings.sampleRate,
      noiseMultiplier: settings.noiseMultiplier,
      steps: 1,
      orders: DEFAULT_ORDERS,
    });
  }

  /** Epsilon after the steps taken so far (0 before the first). */
  get epsilon(): number {
    if (this.steps === 0) return 0;
    const rdp = this.rdpPerStep.map((r) => r * this.steps);
    return rdpToEpsilon(DEFAULT_ORDERS, rdp, this.settings.delta).epsilon;
  }

  spent(): PrivacySpent {
    const { delta, noiseMultiplier, l2NormClip, sampleRate } = this.settings;
    return {
      epsilon: this.epsilon,
      delta,
      noiseMultiplier,
      l2NormClip,
      sampleRate,
      steps: this.steps,
      accountant: "rdp",
    };
  }

  /**
   * One private step: sets each parameter's .grad to the noisy clipped mean, lets the optimizer
   * update, applies constraints. Returns the batch's loss and predictions (null for an empty batch)
   * for the metrics.
   */
  step(
    optimizer: Optimizer,
    batch: ArrayData,
    forward: (x: readonly Tensor[]) => Tensor[],
    lossOf: BatchLossFn,
  ): { loss: Tensor; predictions: Tensor[] } | null {
    const { l2NormClip, noiseMultiplier, sampleRate, datasetSize } = this.settings;
    // the plan's params: a layer frozen or unfrozen since the last step changes the list
    const params = this.model.trainableWeights;
    const plan = sameList(params, this.plan.params) ? this.plan : planPerExample(this.model);
    optimizer.attach([...plan.params]);
    const rows = batch.x[0]?.shape[0] ?? 0;
    let sums: Tensor[];
    let out: { loss: Tensor; predictions: Tensor[] } | null = null;
    if (rows > 0) {
      const result = perExampleGradients(plan, batch, forward, lossOf);
      const norms = result.squaredNorms();
      const factors = norms.map((n) => Math.min(1, l2NormClip / (Math.sqrt(n) + 1e-6)));
      sums = result.weightedSum(factors);
      out = { loss: result.loss, predictions: result.predictions };
    } else {
      sums = plan.params.map((p) => zerosLike(p));
    }
    const expectedBatch = sampleRate * datasetSize;
    const key = [this.generator.nextUint32(), this.generator.nextUint32()] as const;
    let grads = sums.map((s, i) => noisyMean(s, noiseMultiplier * l2NormClip, 1 / expectedBatch, key, i));
    grads = this.addPenaltyGradients(plan.params, grads);
    plan.params.forEach((p, i) => {
      p.grad = grads[i]!;
    });
    optimizer.step();
    optimizer.zeroGrad();
    this.model.applyConstraints();
    this.steps += 1;
    return out;
  }

  /** The weight penalties' gradients (data-independent), added without clipping or noise. */
  private addPenaltyGradients(params: readonly Tensor[], grads: Tensor[]): Tensor[] {
    const penalties = this.model.losses;
    if (penalties.length === 0) return grads;
    const total = penalties.reduce((a, b) => add(a, b));
    if (!total.requiresGrad) return grads;
    const found = gradientsOf(total, params);
    return grads.map((g, i) => {
      const extra = found[i];
      return extra === null || extra === undefined ? g : add(g, extra);
    });
  }
}

function sameList(a: readonly Tensor[], b: readonly Tensor[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}
