// io/onnx/export-recurrent: LSTM, GRU and SimpleRNN as ONNX's LSTM / GRU / RNN ops, and
// Bidirectional as one op per direction plus the merge. Keras kernels (F, G*H) become ONNX W
// (1, G*H, F) with the gate blocks reordered: LSTM Keras [i f c o] -> ONNX [i o f c]; GRU
// [z r h] in both (resetAfter = ONNX linear_before_reset). ONNX runs time-major: X (T, B, F),
// Y (T, 1, B, H) by input time, Y_h (1, B, H). Shapes: B batch, T time, F features, H units.
// Layer: io.
import type { Layer } from "../../nn/layer.js";
import type { Bidirectional } from "../../nn/layers/bidirectional.js";
import type { GRU } from "../../nn/layers/gru.js";
import type { RecurrentLayer } from "../../nn/layers/recurrent-base.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { OnnxGraph } from "./graph-builder.js";
import {
  type LayerExporter,
  notExportable,
  optionalWeight,
  recurrentActivationName,
  weightOf,
} from "./layer-exporter.js";

/** (F, G*H) Keras kernel -> (1, G*H, F) ONNX weight with gate block b taken from Keras block order[b]. */
function gateMatrix(kernel: Tensor, order: readonly number[], H: number): Float32Array {
  const [F, width] = kernel.shape as [number, number];
  const src = kernel.data;
  const out = new Float32Array(width * F);
  order.forEach((from, b) => {
    for (let j = 0; j < H; j++)
      for (let i = 0; i < F; i++) out[(b * H + j) * F + i] = src[i * width + from * H + j]!;
  });
  return out;
}

/** A Keras bias (G*H) with its gate blocks reordered. */
function gateVector(bias: ArrayLike<number> | null, order: readonly number[], H: number): Float32Array {
  const out = new Float32Array(order.length * H);
  if (bias === null) return out;
  order.forEach((from, b) => {
    for (let j = 0; j < H; j++) out[b * H + j] = bias[from * H + j]!;
  });
  return out;
}

function activationNames(layer: RecurrentLayer & { recurrentActivation?: { name: string } }): string[] {
  const names =
    layer.className === "SimpleRNN"
      ? [layer.activation.name]
      : layer.className === "LSTM"
        ? [layer.recurrentActivation!.name, layer.activation.name, layer.activation.name]
        : [layer.recurrentActivation!.name, layer.activation.name];
  return names.map((n) => {
    const onnx = recurrentActivationName(n);
    if (onnx === null) throw notExportable(layer, `the activation "${n}" has no ONNX recurrent form`);
    return onnx;
  });
}

/** The ONNX recurrent node for one layer on a time-major input; returns [Y, Y_h, Y_c?]. */
function emitCell(g: OnnxGraph, layer: RecurrentLayer, xTime: string, F: number): string[] {
  if (layer.stateful)
    throw notExportable(layer, "stateful layers keep state between calls, which ONNX cannot");
  const H = layer.units;
  const scope = layer.name;
  const kernel = weightOf(layer, "kernel");
  const recurrent = weightOf(layer, "recurrent_kernel");
  const bias = optionalWeight(layer, "bias");
  const kind = layer.className;
  const order = kind === "LSTM" ? [0, 3, 1, 2] : kind === "GRU" ? [0, 1, 2] : [0];
  const G = order.length;
  const W = g.floatInitializer(`${scope}/W`, gateMatrix(kernel, order, H), [1, G * H, F]);
  const R = g.floatInitializer(`${scope}/R`, gateMatrix(recurrent, order, H), [1, G * H, H]);
  // B = [input biases Wb (G*H), recurrent biases Rb (G*H)]
  const b = new Float32Array(2 * G * H);
  if (bias !== null) {
    if (kind === "GRU" && (layer as GRU).resetAfter) {
      b.set(gateVector(bias.data.subarray(0, G * H), order, H), 0);
      b.set(gateVector(bias.data.subarray(G * H), order, H), G * H);
    } else b.set(gateVector(bias.data, order, H), 0);
  }
  const B = g.floatInitializer(`${scope}/B`, b, [1, 2 * G * H]);
  const attrs = {
    hidden_size: H,
    direction: layer.goBackwards ? "reverse" : "forward",
    activations: {
      strings: activationNames(layer as RecurrentLayer & { recurrentActivation?: { name: string } }),
    },
    ...(kind === "GRU" ? { linear_before_reset: (layer as GRU).resetAfter ? 1 : 0 } : {}),
  };
  const op = kind === "LSTM" ? "LSTM" : kind === "GRU" ? "GRU" : "RNN";
  return g.node(op, [xTime, W, R, B], attrs, kind === "LSTM" ? 3 : 2, scope);
}

/** Reverses axis `axis` (a Slice with step -1). */
function flip(g: OnnxGraph, x: string, axis: number, scope: string): string {
  return g.op("Slice", [x, g.ints([-1]), g.ints([-(2 ** 62)]), g.ints([axis]), g.ints([-1])], {}, scope);
}

/**
 * One recurrent layer on (B, T, F) -> [output, ...final states]. The output sequence is in the
 * layer's processing order (reversed for goBackwards, as Keras) unless `timeOrder` is set.
 */
function emitRecurrent(
  g: OnnxGraph,
  layer: RecurrentLayer,
  x: string,
  F: number,
  timeOrder = false,
): string[] {
  const scope = layer.name;
  const xTime = g.transpose(x, [1, 0, 2], scope); // (T, B, F)
  const [Y, Yh, Yc] = emitCell(g, layer, xTime, F);
  const finals = [Yh!, ...(Yc === undefined ? [] : [Yc])].map((s) =>
    g.op("Squeeze", [s, g.ints([0])], {}, scope),
  );
  let output: string;
  if (layer.returnSequences) {
    const seq = g.transpose(g.op("Squeeze", [Y!, g.ints([1])], {}, scope), [1, 0, 2], scope); // (B, T, H)
    output = layer.goBackwards && !timeOrder ? flip(g, seq, 1, scope) : seq;
  } else output = finals[0]!;
  return layer.returnState ? [output, ...finals] : [output];
}

function features(layer: Layer, shape: readonly (number | null)[]): number {
  const F = shape[2];
  if (shape.length !== 3 || F === null || F === undefined)
    throw notExportable(layer, "expected (batch, time, features) with known features");
  return F;
}

const recurrent: LayerExporter = ({ g, layer, inputs, inputShapes }) => {
  if (inputs.length > 1) throw notExportable(layer, "initial states given as inputs are not exported");
  return emitRecurrent(g, layer as RecurrentLayer, inputs[0]!, features(layer, inputShapes[0]!));
};

export const recurrentExporters: Record<string, LayerExporter> = {
  LSTM: recurrent,
  GRU: recurrent,
  SimpleRNN: recurrent,
  Bidirectional: ({ g, layer: l, inputs, inputShapes }) => {
    const layer = l as Bidirectional;
    if (inputs.length > 1) throw notExportable(layer, "initial states given as inputs are not exported");
    const F = features(layer, inputShapes[0]!);
    const forward = emitRecurrent(g, layer.forwardLayer, inputs[0]!, F, true);
    const backward = emitRecurrent(g, layer.backwardLayer, inputs[0]!, F, true);
    const a = forward[0]!;
    const b = backward[0]!;
    const scope = layer.name;
    let outputs: string[];
    switch (layer.mergeMode) {
      case "sum":
        outputs = [g.op("Add", [a, b], {}, scope)];
        break;
      case "mul":
        outputs = [g.op("Mul", [a, b], {}, scope)];
        break;
      case "ave":
        outputs = [g.op("Mul", [g.op("Add", [a, b], {}, scope), g.scalar(0.5)], {}, scope)];
        break;
      case null:
        outputs = [a, b];
        break;
      default:
        outputs = [g.op("Concat", [a, b], { axis: -1 }, scope)];
    }
    return layer.forwardLayer.returnState ? [...outputs, ...forward.slice(1), ...backward.slice(1)] : outputs;
  },
};
