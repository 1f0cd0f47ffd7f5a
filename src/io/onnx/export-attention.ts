// io/onnx/export-attention: MultiHeadAttention written out with MatMul / Softmax (opset 17 has no
// attention op), and TransformerEncoder / TransformerDecoder as their residual sub-blocks over the
// exported LayerNormalization, MultiHeadAttention and Dense sub-layers. Shapes: B batch, T time
// (Tq queries, Tk keys), D width, N heads, K key depth, V value depth. Layer: io.
import type { Layer } from "../../nn/layer.js";
import type { MultiHeadAttention } from "../../nn/layers/multi-head-attention.js";
import type { TransformerBlock } from "../../nn/layers/transformer-base.js";
import type { SymbolicShape } from "../../nn/symbolic-tensor.js";
import type { OnnxGraph } from "./graph-builder.js";
import {
  type LayerCall,
  type LayerExporter,
  notExportable,
  optionalWeight,
  weightOf,
} from "./layer-exporter.js";

/** The lowest float32, as ops/attention gives hidden scores (not -Infinity). */
const LOWEST_FLOAT32 = -3.4028234663852886e38;

/** x (B, T, D) @ kernel (D, N, depth) + bias (N, depth), as heads (B, N, T, depth). */
function heads(g: OnnxGraph, layer: MultiHeadAttention, x: string, name: string, depth: number): string {
  const kernel = weightOf(layer, `${name}_kernel`);
  const D = kernel.shape[0]!;
  const N = layer.numHeads;
  const w = g.weight(`${layer.name}/${name}_kernel`, kernel, [D, N * depth]);
  const biasTensor = optionalWeight(layer, `${name}_bias`);
  const bias = biasTensor === null ? null : g.weight(`${layer.name}/${name}_bias`, biasTensor, [N * depth]);
  const projected = g.matmulAdd(x, w, bias, layer.name); // (B, T, N*depth)
  return g.transpose(g.reshape(projected, [0, 0, N, depth], layer.name), [0, 2, 1, 3], layer.name);
}

/** A scalar int64 value: dimension `axis` of x's shape. */
function dim(g: OnnxGraph, x: string, axis: number, scope: string): string {
  const shape = g.op("Shape", [x], {}, scope);
  const one = g.op("Slice", [shape, g.ints([axis]), g.ints([axis + 1]), g.ints([0])], {}, scope);
  return g.op("Squeeze", [one, g.ints([0])], {}, scope);
}

/** scores (B, N, Tq, Tk) with the keys after each query hidden (key j visible to query i when j <= i). */
function causalMask(g: OnnxGraph, scores: string, scope: string): string {
  const zero = g.ints([0]);
  const one = g.ints([1]);
  const range = (axis: number) =>
    g.op(
      "Range",
      [
        g.op("Squeeze", [zero, zero], {}, scope),
        dim(g, scores, axis, scope),
        g.op("Squeeze", [one, zero], {}, scope),
      ],
      {},
      scope,
    );
  const rows = g.op("Unsqueeze", [range(2), one], {}, scope); // (Tq, 1)
  const hidden = g.op("Greater", [range(3), rows], {}, scope); // (Tq, Tk)
  return g.op("Where", [hidden, g.scalar(LOWEST_FLOAT32), scores], {}, scope);
}

/** query, value, key (B, T, D) -> [output (B, Tq, outDim), attention scores?]. */
function emitAttention(
  g: OnnxGraph,
  layer: MultiHeadAttention,
  query: string,
  value: string,
  key: string,
): string[] {
  const scope = layer.name;
  const q = heads(g, layer, query, "query", layer.keyDim); // (B, N, Tq, K)
  const k = heads(g, layer, key, "key", layer.keyDim); // (B, N, Tk, K)
  const v = heads(g, layer, value, "value", layer.valueDim); // (B, N, Tk, V)
  let scores = g.op("MatMul", [q, g.transpose(k, [0, 1, 3, 2], scope)], {}, scope);
  scores = g.op("Mul", [scores, g.scalar(1 / Math.sqrt(layer.keyDim))], {}, scope);
  if (layer.useCausalMask) scores = causalMask(g, scores, scope);
  const probabilities = g.op("Softmax", [scores], { axis: -1 }, scope);
  const attended = g.transpose(g.op("MatMul", [probabilities, v], {}, scope), [0, 2, 1, 3], scope); // (B, Tq, N, V)
  const merged = g.reshape(attended, [0, 0, layer.numHeads * layer.valueDim], scope);
  const outKernel = weightOf(layer, "output_kernel");
  const outDim = outKernel.shape[2]!;
  const w = g.weight(`${scope}/output_kernel`, outKernel, [layer.numHeads * layer.valueDim, outDim]);
  const biasTensor = optionalWeight(layer, "output_bias");
  const bias = biasTensor === null ? null : g.weight(`${scope}/output_bias`, biasTensor);
  const y = g.matmulAdd(merged, w, bias, scope);
  return layer.returnAttentionScores ? [y, probabilities] : [y];
}

/** The block's sub-layer called `${block}_${suffix}`. */
function child(block: Layer, suffix: string): Layer {
  const name = `${block.name}_${suffix}`;
  const found = block.childLayers().find((l) => l.name === name);
  if (found === undefined) throw notExportable(block, `its sub-layer "${name}" is missing (is it built?)`);
  return found;
}

/** x + body(norm(x)) (pre-norm) or norm(x + body(x)) (post-norm); dropout is the identity here. */
function residual(
  call: LayerCall,
  block: TransformerBlock,
  prefix: string,
  x: string,
  shape: SymbolicShape,
  body: (h: string) => string,
): string {
  const norm = child(block, `${prefix}_layer_norm`);
  const h = block.normalizeFirst ? call.emit(norm, [x], [shape])[0]! : x;
  const y = call.g.op("Add", [body(h), x], {}, block.name);
  return block.normalizeFirst ? y : call.emit(norm, [y], [shape])[0]!;
}

function feedforward(call: LayerCall, block: TransformerBlock, x: string, shape: SymbolicShape): string {
  const intermediate = child(block, "feedforward_intermediate_dense");
  const output = child(block, "feedforward_output_dense");
  return residual(call, block, "feedforward", x, shape, (h) => {
    const inner = call.emit(intermediate, [h], [shape])[0]!;
    return call.emit(output, [inner], [[...shape.slice(0, -1), block.intermediateDim]])[0]!;
  });
}

export const attentionExporters: Record<string, LayerExporter> = {
  MultiHeadAttention: ({ g, layer, inputs }) => {
    if (inputs.length > 3) throw notExportable(layer, "an attentionMask input is not exported");
    const query = inputs[0]!;
    const value = inputs[1] ?? query;
    const key = inputs[2] ?? value;
    return emitAttention(g, layer as MultiHeadAttention, query, value, key);
  },
  TransformerEncoder: (call) => {
    const block = call.layer as TransformerBlock;
    if (call.inputs.length > 1) throw notExportable(block, "an attentionMask input is not exported");
    const shape = call.inputShapes[0]!;
    const mha = child(block, "self_attention");
    const x = residual(
      call,
      block,
      "self_attention",
      call.inputs[0]!,
      shape,
      (h) => call.emit(mha, [h], [shape])[0]!,
    );
    return [feedforward(call, block, x, shape)];
  },
  TransformerDecoder: (call) => {
    const block = call.layer as TransformerBlock;
    const shape = call.inputShapes[0]!;
    const self = child(block, "self_attention");
    let y = residual(
      call,
      block,
      "self_attention",
      call.inputs[0]!,
      shape,
      (h) => call.emit(self, [h], [shape])[0]!,
    );
    const encoder = call.inputs[1];
    if (encoder !== undefined) {
      const cross = child(block, "cross_attention");
      const encoderShape = call.inputShapes[1]!;
      y = residual(
        call,
        block,
        "cross_attention",
        y,
        shape,
        (h) => call.emit(cross, [h, encoder], [shape, encoderShape])[0]!,
      );
    }
    return [feedforward(call, block, y, shape)];
  },
};
