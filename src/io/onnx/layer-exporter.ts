// io/onnx/layer-exporter: what a layer exporter receives (the graph under construction, the
// layer, its input value names and shapes) and returns (its output value names), the error for a
// layer or option ONNX cannot express, and small helpers the exporters share. Layer: io.
import { ValueError } from "../../core/errors.js";
import type { Activation } from "../../nn/activations.js";
import type { Layer, WeightEntry } from "../../nn/layer.js";
import type { SymbolicShape } from "../../nn/symbolic-tensor.js";
import type { Tensor } from "../../tensor/tensor.js";
import { f, type OnnxGraph } from "./graph-builder.js";

/** One call of one layer, as the exporter sees it. */
export interface LayerCall {
  readonly g: OnnxGraph;
  readonly layer: Layer;
  /** ONNX value names of the inputs, in call order. */
  readonly inputs: readonly string[];
  /** Shapes of the inputs, batch axis first. */
  readonly inputShapes: readonly SymbolicShape[];
  /** Exports a sub-layer (a block's own Dense, norm, attention) on the given values. */
  readonly emit: (layer: Layer, inputs: readonly string[], inputShapes: readonly SymbolicShape[]) => string[];
}

/** Writes the ONNX nodes of one layer call and returns its output value names. */
export type LayerExporter = (call: LayerCall) => string[];

/** The error for a layer (or one of its options) that the exporter cannot express in ONNX. */
export function notExportable(layer: Layer, why: string): ValueError {
  return new ValueError(
    `exportOnnx: layer "${layer.name}" (${layer.className}) cannot be exported to ONNX: ${why}`,
  );
}

/** The layer's weight called `name` (as in its weight paths), or an error naming it. */
export function weightOf(layer: Layer, name: string): Tensor {
  const entry = layer.ownWeightEntries.find((w: WeightEntry) => w.name === name);
  if (entry === undefined) throw notExportable(layer, `it has no weight "${name}" (is it built?)`);
  return entry.tensor;
}

/** The layer's weight called `name`, or null when it has none (no bias). */
export function optionalWeight(layer: Layer, name: string): Tensor | null {
  return layer.ownWeightEntries.find((w) => w.name === name)?.tensor ?? null;
}

/** The single input of a one-input layer. */
export function single(call: LayerCall): [string, SymbolicShape] {
  if (call.inputs.length !== 1)
    throw notExportable(call.layer, `expected one input (got ${call.inputs.length})`);
  return [call.inputs[0]!, call.inputShapes[0]!];
}

/** Axis `axis` of a rank-`rank` tensor, made non-negative. */
export function positiveAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * Applies a named activation with ONNX ops (opset 17): one op where ONNX has it, its formula
 * otherwise (gelu, swish, mish, log_sigmoid, tanh_shrink). `axis` is softmax's axis.
 */
export function emitActivation(
  g: OnnxGraph,
  layer: Layer,
  activation: Activation | string,
  x: string,
  scope: string,
): string {
  const name = typeof activation === "string" ? activation : activation.name;
  const op = (type: string, inputs: string[], attrs = {}) => g.op(type, inputs, attrs, scope);
  switch (name) {
    case "linear":
      return x;
    case "relu":
      return op("Relu", [x]);
    case "sigmoid":
      return op("Sigmoid", [x]);
    case "tanh":
      return op("Tanh", [x]);
    case "softmax":
      return op("Softmax", [x], { axis: -1 });
    case "log_softmax":
      return op("LogSoftmax", [x], { axis: -1 });
    case "elu":
      return op("Elu", [x], { alpha: f(1) });
    case "selu":
      return op("Selu", [x], { alpha: f(SELU_ALPHA), gamma: f(SELU_SCALE) });
    case "gelu": {
      // 0.5 x (1 + erf(x / sqrt 2)); Gelu itself arrives in opset 20
      const erf = op("Erf", [op("Mul", [x, g.scalar(Math.SQRT1_2)])]);
      return op("Mul", [op("Mul", [x, g.scalar(0.5)]), op("Add", [erf, g.scalar(1)])]);
    }
    case "leaky_relu":
      return op("LeakyRelu", [x], { alpha: f(0.2) });
    case "softplus":
      return op("Softplus", [x]);
    case "softsign":
      return op("Softsign", [x]);
    case "silu":
    case "swish":
      return op("Mul", [x, op("Sigmoid", [x])]);
    case "relu6":
      return op("Clip", [x, g.scalar(0), g.scalar(6)]);
    case "hard_sigmoid":
      return op("HardSigmoid", [x], { alpha: f(1 / 6), beta: f(0.5) });
    case "hard_silu":
    case "hard_swish":
      return op("HardSwish", [x]);
    case "mish":
      return op("Mul", [x, op("Tanh", [op("Softplus", [x])])]);
    case "exponential":
      return op("Exp", [x]);
    case "log_sigmoid":
      return op("Neg", [op("Softplus", [op("Neg", [x])])]);
    case "tanh_shrink":
      return op("Sub", [x, op("Tanh", [x])]);
    default:
      throw notExportable(
        layer,
        `the activation "${name}" has no ONNX form (custom activations are not exported)`,
      );
  }
}

/** The ONNX LSTM/GRU/RNN activation name for a Keras activation, or null. */
export function recurrentActivationName(name: string): string | null {
  const table: Record<string, string> = { sigmoid: "Sigmoid", tanh: "Tanh", relu: "Relu" };
  return table[name] ?? null;
}
