// io/training-config: compile() options to and from the JSON kept in model.json's "training"
// field, so a loaded model can be evaluated or trained further at once. The optimizer is saved
// as its {className, config}; losses as names or {className, config}; metrics as names. Options
// that are code (a loss or metric written as a function, a custom Metric object) cannot be
// written to a file: the field then records `"loss": null` or `"metrics": null` and the loaded
// model is compiled only when its loss could be restored.
import type { Model } from "../models/model.js";
import { getOptimizer } from "../optim/registry.js";
import {
  type CompileOptions,
  compileModel,
  type LossSpec,
  type MetricSpec,
  trainingStateOf,
} from "../train/compile.js";
import { getLoss } from "../train/losses/registry.js";
import type { JsonObject, JsonValue } from "./strict-json.js";

function lossToJson(spec: unknown): JsonValue | undefined {
  if (spec === null) return null;
  if (typeof spec === "string") return spec;
  if (typeof spec === "object" && typeof (spec as { getConfig?: unknown }).getConfig === "function") {
    const config = (
      spec as { getConfig(): { className: string; config: Record<string, unknown> } }
    ).getConfig();
    if (config.className === "Custom") return undefined; // a wrapped function
    return JSON.parse(JSON.stringify(config)) as JsonValue;
  }
  return undefined; // a function
}

/** A loss spec (single, list or by output name) as JSON, or undefined if any part is code. */
function lossesToJson(spec: CompileOptions["loss"]): JsonValue | undefined {
  if (Array.isArray(spec)) {
    const list = spec.map(lossToJson);
    return list.includes(undefined) ? undefined : (list as JsonValue[]);
  }
  const single = lossToJson(spec);
  if (single !== undefined) return single;
  if (
    typeof spec === "object" &&
    spec !== null &&
    typeof (spec as { perSample?: unknown }).perSample !== "function"
  ) {
    const out: JsonObject = {};
    for (const [name, value] of Object.entries(spec as Record<string, unknown>)) {
      const json = lossToJson(value);
      if (json === undefined) return undefined;
      out[name] = json;
    }
    return out;
  }
  return undefined;
}

/** Metrics as JSON when every one is a name (flat, per-output lists or by output name). */
function metricsToJson(spec: CompileOptions["metrics"]): JsonValue | undefined {
  if (spec === undefined) return [];
  const names = (value: unknown): JsonValue | undefined => {
    if (typeof value === "string") return value;
    if (Array.isArray(value)) {
      const list = value.map(names);
      return list.includes(undefined) ? undefined : (list as JsonValue[]);
    }
    if (
      typeof value === "object" &&
      value !== null &&
      typeof (value as { update?: unknown }).update !== "function"
    ) {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const json = names(v);
        if (json === undefined) return undefined;
        out[k] = json;
      }
      return out;
    }
    return undefined;
  };
  return names(spec);
}

/** The JSON form of a compiled model's compile() options, or null if it was never compiled. */
export function compileConfigOf(model: Model): JsonObject | null {
  const state = trainingStateOf(model);
  if (state === null) return null;
  const { options } = state;
  const optimizer = JSON.parse(JSON.stringify(state.optimizer.getConfig())) as JsonObject;
  const lossWeights =
    options.lossWeights === undefined ? null : (JSON.parse(JSON.stringify(options.lossWeights)) as JsonValue);
  return {
    optimizer,
    loss: lossesToJson(options.loss) ?? null,
    metrics: metricsToJson(options.metrics) ?? null,
    lossWeights,
  };
}

/** Compiles `model` from saved JSON (a fresh optimizer with the saved config). Returns false if the loss is missing. */
export function compileFromConfig(model: Model, training: JsonObject): boolean {
  if (training.loss === null || training.loss === undefined) return false;
  const optimizer = getOptimizer(
    training.optimizer as unknown as { className: string; config?: Record<string, unknown> },
  );
  // A saved {className, config} becomes a Loss here, so it is not mistaken for a by-output record.
  const restore = (value: JsonValue): unknown => {
    if (typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return value.map(restore);
    if (typeof value.className === "string") {
      return getLoss(value as unknown as { className: string; config?: Record<string, unknown> });
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restore(v)]));
  };
  const options: CompileOptions = { optimizer, loss: restore(training.loss) as LossSpec };
  if (training.metrics !== null && training.metrics !== undefined) {
    options.metrics = training.metrics as unknown as readonly MetricSpec[];
  }
  if (training.lossWeights !== null && training.lossWeights !== undefined) {
    options.lossWeights = training.lossWeights as unknown as readonly number[];
  }
  compileModel(model, options);
  return true;
}
