// train/compile: what compile() records on a model — the optimizer, one loss, loss weight and
// metric list per output, and the running means fit logs — kept in a WeakMap beside the model
// (models/ sits below train/, so the Model class cannot hold these fields itself; its methods reach
// them through the trainer of model-methods.ts).
//
// Loss, metric and lossWeights specs may be given once for every output, as a list in output
// order, or as a record keyed by output name. They are resolved against the outputs at the first
// batch, when the number and shapes of the outputs are known even for subclassed models.

import { describe } from "../core/config.js";
import { ConfigError, ValueError } from "../core/errors.js";
import type { Model } from "../models/model.js";
import type { Optimizer } from "../optim/optimizer.js";
import { getOptimizer, type OptimizerName } from "../optim/registry.js";
import type { Tensor } from "../tensor/tensor.js";
import type { History } from "./callbacks/history.js";
import type { Loss } from "./losses/loss.js";
import { getLoss, type LossName } from "./losses/registry.js";
import { Mean } from "./metrics/mean.js";
import type { Metric } from "./metrics/metric.js";
import { getMetric, type MetricName } from "./metrics/registry.js";

/**
 * A loss as compile accepts it: a name ("mse", "sparse_categorical_crossentropy"; a typo does not
 * type-check), a Loss or a function. A name read at run time: getLoss(name) or isLossName(name).
 */
export type LossSpec = LossName | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor);
/** A metric as compile accepts it: a name ("accuracy", "mae"), a Metric or a function. */
export type MetricSpec = MetricName | Metric | ((yTrue: Tensor, yPred: Tensor) => Tensor);
/** An optimizer as compile accepts it: a name ("adam") or an Optimizer. */
export type OptimizerSpec = OptimizerName | Optimizer;

export interface CompileOptions {
  /** Default "rmsprop" (Keras). */
  optimizer?: OptimizerSpec;
  /**
   * One loss for every output, one per output (list), or by output name (null: no loss for that
   * output). Required by the built-in training step; a model that overrides trainStep (a GAN) may
   * leave it out, as in Keras.
   */
  loss?: LossSpec | readonly (LossSpec | null)[] | Readonly<Record<string, LossSpec | null>>;
  /** Metrics for every output (flat list), per output (list of lists), or by output name. */
  metrics?:
    | readonly MetricSpec[]
    | readonly (readonly MetricSpec[])[]
    | Readonly<Record<string, MetricSpec | readonly MetricSpec[]>>;
  /** Weights of the per-output losses in the total loss (default 1 each): a list or a record by output name. */
  lossWeights?: readonly number[] | Readonly<Record<string, number>>;
}

/** One output's share of training: its loss, weight and metrics with their log keys. */
export interface OutputTraining {
  readonly name: string;
  readonly loss: Loss | null;
  readonly lossWeight: number;
  readonly metrics: readonly { readonly key: string; readonly metric: Metric }[];
  /** Running mean of this output's loss (logged as "<name>_loss" when there are several outputs). */
  readonly lossTracker: Mean;
}

/** Everything compile() set up for one model. */
export class TrainingState {
  readonly optimizer: Optimizer;
  readonly options: CompileOptions;
  /** Running mean of the total loss over the batches seen since the last reset (weighted by batch size). */
  readonly lossTracker = new Mean({ name: "loss" });
  outputs: OutputTraining[] | null = null;
  history: History | null = null;

  constructor(optimizer: Optimizer, options: CompileOptions) {
    this.optimizer = optimizer;
    this.options = options;
  }

  /** Every tracker and metric back to empty (start of an epoch or of an evaluation). */
  resetMetrics(): void {
    this.lossTracker.reset();
    for (const out of this.outputs ?? []) {
      out.lossTracker.reset();
      for (const m of out.metrics) m.metric.reset();
    }
  }

  /** Log keys in the order evaluate() returns values: "loss", per-output losses, then metrics. */
  metricsNames(): string[] {
    const names = ["loss"];
    const outputs = this.outputs ?? [];
    if (outputs.length > 1) for (const o of outputs) if (o.loss !== null) names.push(`${o.name}_loss`);
    for (const o of outputs) for (const m of o.metrics) names.push(m.key);
    return names;
  }

  /** Current values of every tracker and metric, keys sorted as Keras 3 logs them. */
  results(): Record<string, number> {
    const values: [string, number][] = [["loss", this.lossTracker.result()]];
    const outputs = this.outputs ?? [];
    if (outputs.length > 1) {
      for (const o of outputs) if (o.loss !== null) values.push([`${o.name}_loss`, o.lossTracker.result()]);
    }
    for (const o of outputs) for (const m of o.metrics) values.push([m.key, m.metric.result()]);
    values.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(values);
  }
}

const states = new WeakMap<Model, TrainingState>();

/** The training state of a compiled model, or null. */
export function trainingStateOf(model: Model): TrainingState | null {
  return states.get(model) ?? null;
}

/** The training state, or an error telling the user to compile first. */
export function requireCompiled(op: string, model: Model): TrainingState {
  const state = states.get(model);
  if (state === undefined) {
    throw new ValueError(
      `${op}: the model must be compiled before training or evaluating it; call model.compile({ optimizer, loss })`,
    );
  }
  return state;
}

/** Checks compile's options and records them for `model` (replacing an earlier compile). */
export function compileModel(model: Model, options: CompileOptions): TrainingState {
  if (typeof options !== "object" || options === null) {
    throw new ConfigError("compile: expected an options object { optimizer, loss, metrics, lossWeights }");
  }
  if (options.loss === null) {
    throw new ConfigError(
      'compile: loss must be a loss (e.g. "mse" or "sparse_categorical_crossentropy"), or left out for a custom trainStep (got null)',
    );
  }
  const optimizer = getOptimizer(options.optimizer ?? "rmsprop");
  const state = new TrainingState(optimizer, options);
  // Resolve now when the outputs are known, so a bad spec fails at compile rather than in fit.
  const names = model.outputNames;
  if (names.length > 0 && options.loss !== undefined) {
    const shapes = model.outputShapes.map((s) => s.map((d) => d ?? -1));
    state.outputs = resolveOutputs(options, names, shapes);
  }
  states.set(model, state);
  return state;
}

/** Resolves the outputs on first use (subclassed models), from the output tensors of a batch. */
export function ensureOutputs(
  model: Model,
  state: TrainingState,
  outputs: readonly Tensor[],
  op = "fit",
): OutputTraining[] {
  if (state.options.loss === undefined) {
    throw new ConfigError(
      `${op}: the model was compiled without a loss, which the built-in training and test steps need; pass one to compile() (e.g. loss: "mse"), or override trainStep()/testStep()`,
    );
  }
  if (state.outputs !== null) {
    if (state.outputs.length !== outputs.length) {
      throw new ValueError(
        `fit: the model returned ${outputs.length} outputs but was compiled for ${state.outputs.length}`,
      );
    }
    return state.outputs;
  }
  const names =
    model.outputNames.length === outputs.length
      ? model.outputNames
      : outputs.map((_, i) => `output_${i + 1}`);
  state.outputs = resolveOutputs(
    state.options,
    names,
    outputs.map((t) => [...t.shape]),
  );
  return state.outputs;
}

/** Picks output i's entry from a spec given once, as a list, or by name. */
function perOutput<T>(
  what: string,
  spec: T | readonly T[] | Readonly<Record<string, T>>,
  names: readonly string[],
  isSingle: (value: unknown) => value is T,
  fallback: T,
): T[] {
  if (Array.isArray(spec)) {
    if (spec.length !== names.length) {
      throw new ConfigError(
        `compile: ${what} has ${spec.length} entries but the model has ${names.length} outputs (${names.join(", ")})`,
      );
    }
    return [...(spec as readonly T[])];
  }
  if (isSingle(spec)) return names.map(() => spec);
  if (typeof spec !== "object" || spec === null) {
    throw new ConfigError(
      `compile: ${what} must be one value, a list with one per output or an object keyed by output name (got ${describe(spec)})`,
    );
  }
  const record = spec as Readonly<Record<string, T>>;
  for (const key of Object.keys(record)) {
    if (!names.includes(key)) {
      throw new ConfigError(
        `compile: ${what} names an unknown output "${key}" (outputs: ${names.join(", ")})`,
      );
    }
  }
  // Own keys only: an output named "constructor" must not find Object.prototype's.
  return names.map((n) => (Object.hasOwn(record, n) ? record[n]! : fallback));
}

const isLossSpec = (v: unknown): v is LossSpec | null =>
  v === null ||
  typeof v === "string" ||
  typeof v === "function" ||
  (typeof v === "object" && typeof (v as Loss).perSample === "function");
const isNumber = (v: unknown): v is number => typeof v === "number";

function resolveOutputs(
  options: CompileOptions,
  names: readonly string[],
  shapes: readonly (readonly number[])[],
): OutputTraining[] {
  const lossSpecs = perOutput<LossSpec | null>("loss", options.loss ?? null, names, isLossSpec, null);
  const weights = perOutput<number>("lossWeights", options.lossWeights ?? 1, names, isNumber, 1);
  weights.forEach((w, i) => {
    if (typeof w !== "number" || !Number.isFinite(w)) {
      throw new ConfigError(
        `compile: lossWeights for output "${names[i]}" must be a finite number (got ${String(w)})`,
      );
    }
  });
  const metricSpecs = metricsPerOutput(options.metrics ?? [], names);
  const multi = names.length > 1;
  const instances = new Set<Metric>();
  if (lossSpecs.every((l) => l === null)) throw new ConfigError("compile: at least one output needs a loss");
  return names.map((name, i) => {
    const spec = lossSpecs[i] ?? null;
    const loss = spec === null ? null : getLoss(spec);
    const seen = new Set<string>();
    const metrics = (metricSpecs[i] ?? []).map((m) => {
      const metric = getMetric(m, { ...(loss === null ? {} : { loss }), outputShape: shapes[i] ?? [] });
      if (instances.has(metric)) {
        throw new ConfigError(
          `compile: the same Metric object "${metric.name}" is used twice; pass a name or one instance per output`,
        );
      }
      instances.add(metric);
      const key = multi ? `${name}_${metric.name}` : metric.name;
      if (seen.has(key)) throw new ConfigError(`compile: metric "${key}" is listed twice`);
      seen.add(key);
      return { key, metric };
    });
    return { name, loss, lossWeight: weights[i]!, metrics, lossTracker: new Mean({ name: `${name}_loss` }) };
  });
}

function metricsPerOutput(
  spec: NonNullable<CompileOptions["metrics"]>,
  names: readonly string[],
): MetricSpec[][] {
  if (Array.isArray(spec)) {
    const list = spec as readonly (MetricSpec | readonly MetricSpec[])[];
    if (list.length > 0 && list.every((m) => Array.isArray(m))) {
      if (list.length !== names.length) {
        throw new ConfigError(
          `compile: metrics has ${list.length} lists but the model has ${names.length} outputs (${names.join(", ")})`,
        );
      }
      return list.map((m) => [...(m as readonly MetricSpec[])]);
    }
    // A flat list applies to every output.
    return names.map(() => [...(list as readonly MetricSpec[])]);
  }
  if (typeof spec !== "object" || spec === null) {
    throw new ConfigError(
      `compile: metrics must be a list or an object keyed by output name (got ${describe(spec)})`,
    );
  }
  const record = spec as Readonly<Record<string, MetricSpec | readonly MetricSpec[]>>;
  for (const key of Object.keys(record)) {
    if (!names.includes(key)) {
      throw new ConfigError(
        `compile: metrics names an unknown output "${key}" (outputs: ${names.join(", ")})`,
      );
    }
  }
  return names.map((n) => {
    const entry = Object.hasOwn(record, n) ? record[n] : undefined;
    if (entry === undefined) return [];
    return Array.isArray(entry) ? [...(entry as readonly MetricSpec[])] : [entry as MetricSpec];
  });
}
