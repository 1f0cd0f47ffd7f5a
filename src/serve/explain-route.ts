// serve/explain-route: the /explain routes' request options and response body. POST
// /v2/models/{name}/explain takes a KServe v2 inference body, POST /v1/models/{name}:explain
// (KServe v1's explain verb) a TF-Serving {"instances": [...]} body; either may carry
// "parameters": {"method": "ig" | "saliency", "steps": 1..1024, "target": output index}.
// Attributions are per model-input feature (after the saved preprocessing).
import type { TypedArray } from "../core/dtype.js";
import { badRequest, isRecord } from "./http-util.js";
import type { ExplainRequest, ServingSignature } from "./servable.js";
import { describe } from "./tensor-values.js";

/** The most integration steps a request may ask for: each costs a forward and backward pass per row. */
export const MAX_EXPLAIN_STEPS = 1024;

/** The explanation options of a request body's "parameters" (defaults: ig, 50 steps, predicted class). */
export function readExplainRequest(body: unknown): ExplainRequest {
  const parameters = isRecord(body) ? body.parameters : undefined;
  if (parameters === undefined) return { method: "ig", steps: 50 };
  if (!isRecord(parameters))
    throw badRequest("parameters", `expected an object (got ${describe(parameters)})`);
  const { method = "ig", steps = 50, target } = parameters;
  if (method !== "ig" && method !== "saliency")
    throw badRequest("parameters.method", `expected "ig" or "saliency" (got ${describe(method)})`);
  if (!Number.isInteger(steps) || (steps as number) < 1 || (steps as number) > MAX_EXPLAIN_STEPS)
    throw badRequest(
      "parameters.steps",
      `expected an integer from 1 to ${MAX_EXPLAIN_STEPS} (got ${describe(steps)})`,
    );
  if (target !== undefined && (!Number.isInteger(target) || (target as number) < 0))
    throw badRequest("parameters.target", `expected an output index (got ${describe(target)})`);
  return target === undefined
    ? { method, steps: steps as number }
    : { method, steps: steps as number, target: target as number };
}

/** The response: one explanation per row, attributions in the model input's feature order. */
export function encodeExplanation(
  signature: ServingSignature,
  id: string | undefined,
  request: ExplainRequest,
  rows: number,
  outputs: readonly TypedArray[],
): Record<string, unknown> {
  const [attributions, targets, delta] = outputs as [TypedArray, TypedArray, TypedArray];
  const width = attributions.length / Math.max(rows, 1);
  const labels = signature.outputs[0]?.labels;
  const explanations = Array.from({ length: rows }, (_, r) => {
    const target = targets[r]!;
    return {
      target,
      ...(labels !== undefined && target < labels.length ? { label: labels[target] } : {}),
      attributions: Array.from(attributions.subarray(r * width, (r + 1) * width)),
      ...(request.method === "ig" ? { delta: delta[r]! } : {}),
    };
  });
  return {
    model_name: signature.name,
    model_version: signature.version,
    ...(id === undefined ? {} : { id }),
    method: request.method,
    ...(signature.featureNames === undefined ? {} : { feature_names: signature.featureNames }),
    explanations,
  };
}
