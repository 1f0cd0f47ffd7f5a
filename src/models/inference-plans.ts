// models/inference-plans: the inference entry every prediction path goes through (predict,
// predictOnBatch, the server's workers, `tessera predict`): a model's outputs for one batch in
// inference mode, from a replayed plan (models/inference-plan) once an input signature repeats.
// Per model, a few signatures (shapes and dtypes of the inputs) are remembered, most recent kept:
// the first call at a signature runs eagerly, the second records and proves a plan, later ones
// replay it. Plans are dropped when the model's weights list changes (layers added or removed, a
// rebuild) and re-recorded when the backend changes; weight values are read at each call, so
// training, setWeights and loading weights need no invalidation. Layers that cannot be replayed
// (models/plannable-layers) keep the whole model eager. TESSERA_INFERENCE_PLAN=0 or
// setInferencePlanning(false) turns plans off (to compare, or to rule them out).
import { noGrad } from "../autograd/mode.js";
import { kernels } from "../backend/registry.js";
import { envVariable } from "../core/env.js";
import type { Layer } from "../nn/layer.js";
import { weightsCreated } from "../nn/weights.js";
import type { Tensor } from "../tensor/tensor.js";
import { capturePlan, type InferencePlan } from "./inference-plan.js";
import type { Model } from "./model.js";
import { unplannableReason } from "./plannable-layers.js";

/** Counts of how inference calls ran (this thread's, or one model's). */
export interface InferencePlanStats {
  /** Calls answered by replaying a plan. */
  replays: number;
  /** Calls run eagerly (first call at a signature, unplannable models, plans turned off). */
  eager: number;
  /** Plans recorded and proven. */
  plans: number;
  /** Recordings that did not replay exactly, and replays refused (an index out of range). */
  rejected: number;
}

/** Signatures remembered per model. */
const MAX_SIGNATURES = 8;

interface Signature {
  plan: InferencePlan | null;
  /** Why this signature stays eager, once a recording failed. */
  rejected: string | null;
}

interface ModelPlans {
  /** The weights list the plans were recorded with. */
  weights: Tensor[];
  /** weightsCreated() when the weights list was last compared. */
  epoch: number;
  /** The model's layers (flatLayers) then. */
  layers: Layer[];
  /** Why the model cannot be planned at all, or null. */
  unplannable: string | null;
  signatures: Map<string, Signature>;
  /** The dtypes and shapes of the most recent call's inputs, and their signature (skips the key). */
  lastInputs: readonly Pick<Tensor, "dtype" | "shape">[];
  lastSignature: Signature | undefined;
  stats: InferencePlanStats;
}

const byModel = new WeakMap<Model, ModelPlans>();
const totals: InferencePlanStats = { replays: 0, eager: 0, plans: 0, rejected: 0 };
let enabled = envVariable("TESSERA_INFERENCE_PLAN") !== "0";

/** Turns inference plans on or off for this thread (on unless TESSERA_INFERENCE_PLAN=0). */
export function setInferencePlanning(on: boolean): void {
  enabled = on;
}

function zeroStats(): InferencePlanStats {
  return { replays: 0, eager: 0, plans: 0, rejected: 0 };
}

/**
 * How inference calls ran: this thread's totals, or one model's.
 * @example
 * model.predictOnBatch(x); model.predictOnBatch(x); model.predictOnBatch(x);
 * inferencePlanStats(model); // { replays: 1, eager: 1, plans: 1, rejected: 0 }
 */
export function inferencePlanStats(model?: Model): InferencePlanStats {
  if (model === undefined) return { ...totals };
  return { ...(byModel.get(model)?.stats ?? zeroStats()) };
}

function sameList(a: readonly Tensor[], b: readonly Tensor[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/** Every layer below `layer`, depth first (the order layersMatch walks). */
function flatLayers(layer: Layer, out: Layer[] = []): Layer[] {
  for (const child of layer.childLayers()) {
    out.push(child);
    flatLayers(child, out);
  }
  return out;
}

/** Whether the layers below `layer` are still `list` (walked without allocating); the next index, or -1. */
function layersMatch(layer: Layer, list: readonly Layer[], at: number): number {
  let i = at;
  for (const child of layer.childLayers()) {
    if (list[i] !== child) return -1;
    i = layersMatch(child, list, i + 1);
    if (i < 0) return -1;
  }
  return i;
}

/**
 * The model's plan state. Plans are dropped when its weights list changed since they were
 * recorded; the list is only rebuilt and compared when some layer was built since the last call
 * (weightsCreated moved) or the model's layers are not the same objects (an add() or pop()).
 */
function plansOf(model: Model): ModelPlans {
  let state = byModel.get(model);
  const epoch = weightsCreated();
  if (
    state !== undefined &&
    state.epoch === epoch &&
    layersMatch(model, state.layers, 0) === state.layers.length
  )
    return state;
  const weights = model.weights;
  if (state === undefined || !sameList(state.weights, weights)) {
    state = {
      weights,
      epoch,
      layers: flatLayers(model),
      unplannable: unplannableReason(model),
      signatures: new Map(),
      lastInputs: [],
      lastSignature: undefined,
      stats: state?.stats ?? zeroStats(),
    };
    byModel.set(model, state);
  } else {
    state.epoch = epoch;
    state.layers = flatLayers(model);
  }
  return state;
}

function signatureKey(inputs: readonly Tensor[]): string {
  let key = "";
  for (const t of inputs) key += `${t.dtype}[${t.shape.join(",")}]`;
  return key;
}

function count(state: ModelPlans, field: keyof InferencePlanStats): void {
  state.stats[field]++;
  totals[field]++;
}

/**
 * The model's outputs for one batch (a tensor per model input), in inference mode with no gradient
 * graph: a plan's replay when one is proven for these shapes, else the eager forward pass.
 */
export function inferBatch(model: Model, inputs: readonly Tensor[]): Tensor[] {
  if (!enabled || inputs.length === 0 || inputs.some((t) => t.size === 0) || !model.built)
    return runEager(model, inputs);
  const state = plansOf(model);
  if (state.unplannable !== null) {
    count(state, "eager");
    return runEager(model, inputs);
  }
  let signature = sameShapes(state.lastInputs, inputs) ? state.lastSignature : undefined;
  if (signature === undefined) {
    const key = signatureKey(inputs);
    signature = state.signatures.get(key);
    if (signature === undefined) {
      // first sight of these shapes: eager (a one-off shape, such as predict's last batch, costs no recording)
      remember(state, key, inputs, { plan: null, rejected: null });
      count(state, "eager");
      return runEager(model, inputs);
    }
    remember(state, key, inputs, signature);
  }
  if (signature.plan !== null && signature.plan.table === kernels()) {
    const outputs = signature.plan.run(inputs);
    if (outputs !== null) {
      count(state, "replays");
      return outputs;
    }
    count(state, "rejected");
    return runEager(model, inputs);
  }
  if (signature.rejected !== null) {
    count(state, "eager");
    return runEager(model, inputs);
  }
  const capture = capturePlan((x) => runEager(model, x), inputs, state.weights);
  signature.plan = capture.plan;
  signature.rejected = capture.reason;
  count(state, capture.plan === null ? "rejected" : "plans");
  count(state, "eager");
  return capture.outputs;
}

/** The eager forward pass (inference mode, no gradient graph). */
function runEager(model: Model, inputs: readonly Tensor[]): Tensor[] {
  return noGrad(() => model.applyMulti(inputs.length === 1 ? inputs[0]! : [...inputs], { training: false }));
}

/** Whether `inputs` have the dtypes and shapes of `last` (the previous call's, kept without copying). */
function sameShapes(last: readonly Pick<Tensor, "dtype" | "shape">[], inputs: readonly Tensor[]): boolean {
  if (last.length !== inputs.length) return false;
  for (let i = 0; i < inputs.length; i++) {
    const a = last[i]!;
    const b = inputs[i]!;
    if (a.dtype !== b.dtype || a.shape.length !== b.shape.length) return false;
    for (let d = 0; d < a.shape.length; d++) if (a.shape[d] !== b.shape[d]) return false;
  }
  return true;
}

/** Stores a signature as the most recent one, forgetting the oldest beyond MAX_SIGNATURES. */
function remember(state: ModelPlans, key: string, inputs: readonly Tensor[], signature: Signature): void {
  state.signatures.delete(key);
  state.signatures.set(key, signature);
  if (state.signatures.size > MAX_SIGNATURES) {
    const oldest = state.signatures.keys().next().value;
    if (oldest !== undefined) state.signatures.delete(oldest);
  }
  // shapes only: the tensors' data is not read, but keep no caller arrays alive
  state.lastInputs = inputs.map((t) => ({ dtype: t.dtype, shape: t.shape }));
  state.lastSignature = signature;
}

/** Why inference on `model` cannot use plans (a layer that cannot be replayed), or null. */
export function inferencePlanBlocker(model: Model): string | null {
  return plansOf(model).unplannable;
}
