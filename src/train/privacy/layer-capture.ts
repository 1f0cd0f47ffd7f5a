// train/privacy/layer-capture: records, for chosen layers, what each call received and the
// gradient of the loss with respect to what it returned (Opacus's forward and backward hooks).
// During one run the chosen layers' `call` is wrapped ON THE INSTANCE (the class is untouched and
// the wrapper is removed in `finally`); the output passes through an identity node whose gradient
// rule stores dy. One backward pass then fills every capture: no second pass, no batch-1 loop.
import { record } from "../../autograd/backward.js";
import { retainGradient } from "../../autograd/gradient-recycler.js";
import type { Layer } from "../../nn/layer.js";
import type { CallContext, LayerInputs } from "../../nn/layer-types.js";
import { Tensor } from "../../tensor/tensor.js";
import { addOptional } from "./per-example-rule.js";

/** One call of a layer: its (single) input, its output, and dLoss/dOutput once backward ran. */
export interface LayerCall {
  readonly input: Tensor;
  readonly output: Tensor;
  dOutput: Tensor | null;
}

/** The calls of each captured layer during one run, in call order. */
export type Captures = Map<Layer, LayerCall[]>;

/** `out` seen through an identity node whose gradient rule also hands dy to `onGradient`. */
export function tapGradient(out: Tensor, onGradient: (dy: Tensor) => void): Tensor {
  if (!out.requiresGrad) return out;
  const seen = new Tensor(out.data, out.shape);
  return record("privacy tap", seen, [out], (dy) => {
    onGradient(retainGradient(dy)); // kept past the walk: never recycled
    return [dy];
  });
}

function tap(out: Tensor, entry: LayerCall): Tensor {
  return tapGradient(out, (dy) => {
    entry.dOutput = addOptional(entry.dOutput, dy);
  });
}

/**
 * Runs `body` with `layers` captured; the captures fill in when a backward pass runs through the
 * outputs (inside body, or later while the returned map is held).
 */
export function withCapturedLayers<T>(
  layers: readonly Layer[],
  body: () => T,
): { result: T; captures: Captures } {
  const captures: Captures = new Map(layers.map((l) => [l, []]));
  const restore: (() => void)[] = [];
  try {
    for (const layer of layers) {
      const own = Object.hasOwn(layer, "call");
      const original = layer.call;
      const list = captures.get(layer)!;
      layer.call = (inputs: LayerInputs, context: CallContext) => {
        const result = original.call(layer, inputs, context);
        if (Array.isArray(result) || !(inputs instanceof Tensor)) return result;
        const entry: LayerCall = { input: inputs, output: result, dOutput: null };
        list.push(entry);
        return tap(result, entry);
      };
      restore.push(() => {
        if (own) layer.call = original;
        else delete (layer as { call?: unknown }).call;
      });
    }
    return { result: body(), captures };
  } finally {
    for (const undo of restore) undo();
  }
}
