// train/privacy/per-example-grads: the gradient of every example in a batch, for DP-SGD's clipping.
// planPerExample() picks a rule per layer with trainable weights (Dense, Conv1D, Conv2D, Embedding,
// LayerNormalization, SimpleRNN, LSTM, GRU); perExampleGradients() then runs ONE forward and ONE
// backward pass with the ruled layers captured and derives norms and clipped sums from the
// captures. A model with a trainable layer no rule covers (attention, GroupNormalization,
// depthwise/separable/transposed convolutions, ...) falls back to one forward/backward per
// example: exact for any layer, B times the work (documented).
// The loss is the usual batch MEAN, so example b's own gradient is B times its share of it.
import { gradientsOf } from "../../autograd/backward.js";
import { noGrad } from "../../autograd/mode.js";
import type { FloatArray } from "../../core/dtype.js";
import { ConfigError } from "../../core/errors.js";
import type { Model } from "../../models/model.js";
import type { Layer } from "../../nn/layer.js";
import { BatchNormalization } from "../../nn/layers/batch-normalization.js";
import { zerosLike } from "../../tensor/creation.js";
import { Tensor } from "../../tensor/tensor.js";
import { type ArrayData, takeData } from "../array-data.js";
import { type Captures, withCapturedLayers } from "./layer-capture.js";
import type { LayerPerExample, PerExampleRule } from "./per-example-rule.js";
import { addRowSquaredNorms, weightedRowSum } from "./per-example-rule.js";
import { convRule, denseRule } from "./rules-dense-conv.js";
import { embeddingRule, layerNormRule } from "./rules-embedding-norm.js";
import { gruRule } from "./rules-gru.js";
import { recurrentRule } from "./rules-recurrent.js";

const RULES: readonly PerExampleRule[] = [
  denseRule,
  convRule,
  embeddingRule,
  layerNormRule,
  recurrentRule,
  gruRule,
];

/** Which layers get a rule, and why the model falls back to the per-example loop (null: it does not). */
export interface PerExamplePlan {
  readonly params: readonly Tensor[];
  readonly layers: readonly { layer: Layer; rule: PerExampleRule }[];
  readonly fallback: string | null;
}

/** What a batch loss needs: the model's predictions and the rows they belong to. */
export type BatchLossFn = (predictions: Tensor[], batch: ArrayData) => Tensor;

/** The per-example gradients of one batch, g_b = d(loss of example b)/d(params). */
export interface PerExampleResult {
  readonly params: readonly Tensor[];
  readonly batchSize: number;
  /** The batch loss (the mean, as in ordinary training) and the predictions, for the trackers. */
  readonly loss: Tensor;
  readonly predictions: Tensor[];
  /** ||g_b||^2 over all parameters. */
  squaredNorms(): Float64Array;
  /** sum_b weights[b] g_b, one tensor per parameter. */
  weightedSum(weights: Float64Array): Tensor[];
  /** g_b materialised: [B, ...shape] per parameter. */
  perExample(): Tensor[];
}

function layerHasActivityRegularizer(layer: Layer): boolean {
  const value = (layer as { activityRegularizer?: unknown }).activityRegularizer;
  return value !== undefined && value !== null;
}

/**
 * The plan for a model: every layer that owns a trainable weight needs a rule, or the model uses the
 * per-example loop. BatchNormalization (trainable) and activity regularizers are refused: both make
 * one example's loss depend on the others (or add an unclipped data-dependent term).
 */
export function planPerExample(model: Model): PerExamplePlan {
  const params = model.trainableWeights;
  const trainable = new Set(params);
  const layers: { layer: Layer; rule: PerExampleRule }[] = [];
  let fallback: string | null = null;
  for (const layer of model.flattenLayers()) {
    if (layer === (model as Layer)) continue;
    if (layerHasActivityRegularizer(layer)) {
      throw new ConfigError(
        `privacy: layer ${layer.name} has an activity regularizer, whose gradient depends on the whole batch and is not clipped per example; remove it for private training`,
      );
    }
    const owned = layer.ownWeightEntries.filter((w) => trainable.has(w.tensor));
    if (owned.length === 0) continue;
    if (layer instanceof BatchNormalization) {
      throw new ConfigError(
        `privacy: layer ${layer.name} is a trainable BatchNormalization, which mixes the examples of a batch so no per-example gradient exists (Opacus refuses it too); use LayerNormalization or GroupNormalization, or freeze it (trainable = false runs it in inference mode)`,
      );
    }
    const rule = RULES.find((r) => r.refuses(layer) === null);
    if (rule === undefined) fallback ??= `${layer.name} (${layer.className})`;
    else layers.push({ layer, rule });
  }
  return { params, layers, fallback };
}

/** The efficient path: one forward, one backward, rules on the captures. */
function ruledGradients(
  plan: PerExamplePlan,
  batch: ArrayData,
  batchSize: number,
  forward: (x: readonly Tensor[]) => Tensor[],
  lossOf: BatchLossFn,
): PerExampleResult {
  let predictions: Tensor[] = [];
  let loss: Tensor | null = null;
  const restore = plan.layers.flatMap(({ layer, rule }) => (rule.instrument ? [rule.instrument(layer)] : []));
  let captures: Captures;
  try {
    captures = withCapturedLayers(
      plan.layers.filter((l) => l.rule.instrument === undefined).map((l) => l.layer),
      () => {
        predictions = forward(batch.x);
        loss = lossOf(predictions, batch);
      },
    ).captures;
  } finally {
    for (const undo of restore) undo();
  }
  const total = loss as unknown as Tensor;
  // The backward pass fills the captures. The weights' summed gradients are not needed (the
  // rules rebuild them, clipped), so the weights are marked as not requiring one while it runs:
  // gradient rules such as linear's skip dW then, and the pass costs what plain training's does.
  if (total.requiresGrad) {
    const flags = plan.params.map((p) => p.requiresGrad);
    try {
      for (const p of plan.params) p.requiresGrad = false;
      gradientsOf(total, []);
    } finally {
      plan.params.forEach((p, i) => {
        p.requiresGrad = flags[i]!;
      });
    }
  }
  const index = new Map(plan.params.map((p, i) => [p, i]));
  const parts = computeParts(plan, captures, batchSize);
  const place = (
    lists: { lp: LayerPerExample; values: (Tensor | null)[] }[],
    fill: (p: Tensor) => Tensor,
  ) => {
    const out: (Tensor | null)[] = plan.params.map(() => null);
    for (const { lp, values } of lists) {
      lp.params.forEach((p, j) => {
        const i = p === null ? undefined : index.get(p);
        if (i !== undefined && values[j] !== null && values[j] !== undefined) out[i] = values[j]!;
      });
    }
    return out.map((t, i) => t ?? fill(plan.params[i]!));
  };
  return {
    params: plan.params,
    batchSize,
    loss: total,
    predictions,
    squaredNorms() {
      const out = new Float64Array(batchSize);
      for (const lp of parts) lp.addSquaredNorms(out);
      for (let b = 0; b < batchSize; b++) out[b] = out[b]! * batchSize * batchSize;
      return out;
    },
    weightedSum(weights) {
      const scaled = weights.map((w) => w * batchSize);
      return place(
        parts.map((lp) => ({ lp, values: lp.weightedSum(scaled) })),
        (p) => zerosLike(p),
      );
    },
    perExample() {
      const grads = place(
        parts.map((lp) => ({ lp, values: lp.perExample() })),
        (p) =>
          new Tensor(new (p.data.constructor as Float32ArrayConstructor)(batchSize * p.size), [
            batchSize,
            ...p.shape,
          ]),
      );
      return grads.map((g) => scaleTensor(g, batchSize));
    },
  };
}

function computeParts(plan: PerExamplePlan, captures: Captures, batchSize: number): LayerPerExample[] {
  return plan.layers.map(({ layer, rule }) => rule.compute(layer, captures.get(layer) ?? [], batchSize));
}

function scaleTensor(t: Tensor, factor: number): Tensor {
  const d = (t.data as FloatArray).slice() as FloatArray;
  for (let i = 0; i < d.length; i++) d[i] = d[i]! * factor;
  return new Tensor(d, t.shape);
}

/** The fallback: one forward/backward per example (any layer; B times the work). */
function loopGradients(
  plan: PerExamplePlan,
  batch: ArrayData,
  batchSize: number,
  forward: (x: readonly Tensor[]) => Tensor[],
  lossOf: BatchLossFn,
): PerExampleResult {
  const per: Tensor[][] = [];
  for (let b = 0; b < batchSize; b++) {
    const row = takeData(batch, [b]);
    const loss = lossOf(forward(row.x), row);
    const found = loss.requiresGrad ? gradientsOf(loss, plan.params) : plan.params.map(() => null);
    per.push(found.map((g, i) => g ?? zerosLike(plan.params[i]!)));
  }
  const stacked = plan.params.map((p, i) => {
    const out = new (p.data.constructor as Float32ArrayConstructor)(batchSize * p.size);
    for (let b = 0; b < batchSize; b++) out.set(per[b]![i]!.data as FloatArray, b * p.size);
    return new Tensor(out, [batchSize, ...p.shape]);
  });
  // the batch loss and predictions for the trackers, without a graph
  const { predictions, loss } = noGrad(() => {
    const out = forward(batch.x);
    return { predictions: out, loss: lossOf(out, batch) };
  });
  return {
    params: plan.params,
    batchSize,
    loss,
    predictions,
    squaredNorms() {
      const out = new Float64Array(batchSize);
      for (const g of stacked) addRowSquaredNorms(g, out);
      return out;
    },
    weightedSum: (weights) => stacked.map((g, i) => weightedRowSum(g, weights, plan.params[i]!.shape)!),
    perExample: () => stacked,
  };
}

/**
 * Per-example gradients of a batch. `forward` runs the model in training mode (recording a graph);
 * `lossOf` is the batch's mean loss without the weight penalties (added by the caller unclipped,
 * since they do not depend on the data).
 */
export function perExampleGradients(
  plan: PerExamplePlan,
  batch: ArrayData,
  forward: (x: readonly Tensor[]) => Tensor[],
  lossOf: BatchLossFn,
): PerExampleResult {
  const batchSize = batch.x[0]?.shape[0] ?? 0;
  return plan.fallback === null
    ? ruledGradients(plan, batch, batchSize, forward, lossOf)
    : loopGradients(plan, batch, batchSize, forward, lossOf);
}
