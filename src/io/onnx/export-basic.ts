// io/onnx/export-basic: ONNX exporters of the core layers: Dense, Activation, the inference-time
// identities (Dropout, GaussianNoise), reshapes (Flatten, Reshape, Permute, RepeatVector), the
// merge layers, Embedding, PositionEmbedding, TokenAndPositionEmbedding and TimeDistributed.
// Shapes: B batch, T time, F features. Layer: io.
import type { Activation } from "../../nn/activations.js";
import type { Layer } from "../../nn/layer.js";
import type { Concatenate } from "../../nn/layers/concatenate.js";
import type { Dense } from "../../nn/layers/dense.js";
import type { Dot } from "../../nn/layers/dot.js";
import type { Embedding } from "../../nn/layers/embedding.js";
import type { Permute } from "../../nn/layers/permute.js";
import type { PositionEmbedding } from "../../nn/layers/position-embedding.js";
import type { RepeatVector } from "../../nn/layers/repeat-vector.js";
import type { Reshape } from "../../nn/layers/reshape.js";
import type { TimeDistributed } from "../../nn/layers/time-distributed.js";
import type { TokenAndPositionEmbedding } from "../../nn/layers/token-and-position-embedding.js";
import type { SymbolicShape } from "../../nn/symbolic-tensor.js";
import type { OnnxGraph } from "./graph-builder.js";
import {
  emitActivation,
  type LayerCall,
  type LayerExporter,
  notExportable,
  optionalWeight,
  positiveAxis,
  single,
  weightOf,
} from "./layer-exporter.js";
import { OnnxDataType } from "./onnx-proto.js";

/** x @ kernel + bias, then the activation, on the last axis (Dense, and the blocks' own Dense). */
export function emitDense(g: OnnxGraph, layer: Layer, x: string, activation: Activation): string {
  const scope = layer.name;
  const kernel = g.weight(`${scope}/kernel`, weightOf(layer, "kernel"));
  const biasTensor = optionalWeight(layer, "bias");
  const bias = biasTensor === null ? null : g.weight(`${scope}/bias`, biasTensor);
  return emitActivation(g, layer, activation, g.matmulAdd(x, kernel, bias, scope), scope);
}

const identity: LayerExporter = (call) => [single(call)[0]];

/** Elementwise merge of two or more inputs with a binary ONNX op (numpy broadcasting, as Merge). */
function merge(op: string): LayerExporter {
  return ({ g, layer, inputs }) => [
    inputs.slice(1).reduce((acc, x) => g.op(op, [acc, x], {}, layer.name), inputs[0]!),
  ];
}

/** The dynamic first `count` dims of x's shape, as an int64 vector value. */
export function leadingDims(g: OnnxGraph, x: string, count: number, scope: string): string {
  const shape = g.op("Shape", [x], {}, scope);
  return g.op("Slice", [shape, g.ints([0]), g.ints([count]), g.ints([0])], {}, scope);
}

/** The positions [start, start + T) of a (sequenceLength, D) table, broadcast to x (..., T, D). */
function emitPositions(g: OnnxGraph, layer: PositionEmbedding, x: string, rank: number): string {
  const scope = layer.name;
  const table = g.weight(`${scope}/embeddings`, weightOf(layer, "embeddings"));
  const shape = g.op("Shape", [x], {}, scope);
  const steps = g.op("Slice", [shape, g.ints([rank - 2]), g.ints([rank - 1]), g.ints([0])], {}, scope);
  const end = g.op("Add", [steps, g.ints([layer.startIndex])], {}, scope);
  const positions = g.op("Slice", [table, g.ints([layer.startIndex]), end, g.ints([0])], {}, scope);
  return g.op("Expand", [positions, shape], {}, scope);
}

/** Gather of integer ids (float ids are cast, as Tessera's Embedding does). */
function emitEmbedding(g: OnnxGraph, layer: Embedding, ids: string, idsAreFloat: boolean): string {
  if (layer.maskZero)
    throw notExportable(layer, "maskZero: masks are not exported (ONNX graphs carry no masks)");
  const table = g.weight(`${layer.name}/embeddings`, weightOf(layer, "embeddings"));
  const index = idsAreFloat ? g.op("Cast", [ids], { to: OnnxDataType.INT64 }, layer.name) : ids;
  return g.op("Gather", [table, index], { axis: 0 }, layer.name);
}

/** Dot: per-sample contraction of x's axis with y's (cosine similarity with normalize). */
const dotExporter: LayerExporter = ({ g, layer: l, inputs, inputShapes }) => {
  const layer = l as Dot;
  const scope = layer.name;
  const [sx, sy] = inputShapes as [SymbolicShape, SymbolicShape];
  const pair = typeof layer.axes === "number" ? [layer.axes, layer.axes] : layer.axes;
  const ax = positiveAxis(pair[0]!, sx.length);
  const ay = positiveAxis(pair[1]!, sy.length);
  const others = (shape: SymbolicShape, axis: number) =>
    shape.map((_, i) => i).filter((i) => i !== 0 && i !== axis);
  const [keepX, keepY] = [others(sx, ax), others(sy, ay)];
  const known = (shape: SymbolicShape, axes: number[]) => {
    const dims = axes.map((i) => shape[i] ?? null);
    if (dims.some((d) => d === null))
      throw notExportable(layer, "the non-batch input dimensions must be known");
    return dims as number[];
  };
  const [restX, restY] = [known(sx, keepX), known(sy, keepY)];
  const D = known(sx, [ax])[0]!;
  const l2 = (x: string, axis: number) => {
    // x / sqrt(max(sum(x^2), 1e-12)), as Keras's l2_normalize
    const squares = g.op(
      "ReduceSum",
      [g.op("Mul", [x, x], {}, scope), g.ints([axis])],
      { keepdims: 1 },
      scope,
    );
    return g.op(
      "Div",
      [x, g.op("Sqrt", [g.op("Max", [squares, g.scalar(1e-12)], {}, scope)], {}, scope)],
      {},
      scope,
    );
  };
  const x = layer.normalize ? l2(inputs[0]!, ax) : inputs[0]!;
  const y = layer.normalize ? l2(inputs[1]!, ay) : inputs[1]!;
  const size = (dims: number[]) => dims.reduce((p, d) => p * d, 1);
  // (B, Px, D) @ (B, D, Py) -> (B, Px, Py)
  const xs = g.reshape(g.transpose(x, [0, ...keepX, ax], scope), [0, size(restX), D], scope);
  const ys = g.reshape(g.transpose(y, [0, ay, ...keepY], scope), [0, D, size(restY)], scope);
  const product = g.op("MatMul", [xs, ys], {}, scope);
  const out = [...restX, ...restY];
  return [g.reshape(product, out.length === 0 ? [0, 1] : [0, ...out], scope)];
};

export const basicExporters: Record<string, LayerExporter> = {
  Dot: dotExporter,
  Dense: (call) => {
    const layer = call.layer as Dense;
    return [emitDense(call.g, layer, single(call)[0], layer.activation)];
  },
  Activation: (call) => {
    const layer = call.layer as Layer & { activation: Activation };
    return [emitActivation(call.g, layer, layer.activation, single(call)[0], layer.name)];
  },
  Dropout: identity,
  GaussianNoise: identity,
  Masking: ({ layer }) => {
    throw notExportable(layer, "masks are not exported (ONNX graphs carry no masks)");
  },
  Flatten: ({ g, layer, inputs }) => [g.reshape(inputs[0]!, [0, -1], layer.name)],
  Reshape: ({ g, layer, inputs }) => [
    g.reshape(inputs[0]!, [0, ...(layer as Reshape).targetShape], layer.name),
  ],
  Permute: ({ g, layer, inputs }) => [g.transpose(inputs[0]!, [0, ...(layer as Permute).dims], layer.name)],
  RepeatVector: ({ g, layer, inputs }) => {
    const n = (layer as RepeatVector).n;
    const expanded = g.op("Unsqueeze", [inputs[0]!, g.ints([1])], {}, layer.name); // (B, 1, F)
    return [g.op("Expand", [expanded, g.ints([1, n, 1])], {}, layer.name)]; // (B, n, F)
  },
  Add: merge("Add"),
  Subtract: merge("Sub"),
  Multiply: merge("Mul"),
  Maximum: merge("Max"),
  Minimum: merge("Min"),
  Average: (call) => {
    const sum = merge("Add")(call)[0]!;
    return [call.g.op("Div", [sum, call.g.scalar(call.inputs.length)], {}, call.layer.name)];
  },
  Concatenate: ({ g, layer, inputs, inputShapes }) => {
    const axis = positiveAxis((layer as Concatenate).axis, inputShapes[0]!.length);
    return [g.op("Concat", [...inputs], { axis }, layer.name)];
  },
  Embedding: (call) => {
    const layer = call.layer as Embedding;
    return [emitEmbedding(call.g, layer, single(call)[0], isFloatInput(call))];
  },
  PositionEmbedding: (call) => {
    const [x, shape] = single(call);
    return [emitPositions(call.g, call.layer as PositionEmbedding, x, shape.length)];
  },
  TokenAndPositionEmbedding: (call) => {
    const layer = call.layer as TokenAndPositionEmbedding;
    const [ids, shape] = single(call);
    const tokens = emitEmbedding(call.g, layer.tokenEmbedding, ids, isFloatInput(call)); // (B, T, D)
    const positions = emitPositions(call.g, layer.positionEmbedding, tokens, shape.length + 1);
    return [call.g.op("Add", [tokens, positions], {}, layer.name)];
  },
  TimeDistributed: (call) => {
    const layer = call.layer as TimeDistributed;
    const { g } = call;
    const [x, shape] = single(call);
    const stepShape: SymbolicShape = [null, ...shape.slice(2)];
    if (stepShape.slice(1).some((d) => d === null))
      throw notExportable(layer, "the per-step shape must be fully known");
    const folded = g.reshape(x, [-1, ...(stepShape.slice(1) as number[])], layer.name); // (B*T, ...)
    const [y] = call.emit(layer.layer, [folded], [stepShape]);
    const inner = layer.layer.computeOutputShape(stepShape) as SymbolicShape;
    if (inner.slice(1).some((d) => d === null))
      throw notExportable(layer, "the inner output shape must be known");
    const target = g.op(
      "Concat",
      [leadingDims(g, x, 2, layer.name), g.ints(inner.slice(1) as number[])],
      { axis: 0 },
      layer.name,
    );
    return [g.op("Reshape", [y!, target], {}, layer.name)];
  },
};

/** Whether the ids reaching an embedding are floats (the graph input's element type tells). */
function isFloatInput(call: LayerCall): boolean {
  return call.g.elemTypeOf(call.inputs[0]!) !== OnnxDataType.INT32;
}
