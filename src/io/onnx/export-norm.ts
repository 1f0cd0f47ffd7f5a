// io/onnx/export-norm: ONNX exporters of the normalisation layers. BatchNormalization at inference
// is one affine map per feature, folded here into a scale and a shift; LayerNormalization over
// trailing axes is ONNX's LayerNormalization (opset 17), other axes and RMSNormalization /
// GroupNormalization are written out with ReduceMean. Layer: io.
import type { BatchNormalization } from "../../nn/layers/batch-normalization.js";
import type { GroupNormalization } from "../../nn/layers/group-normalization.js";
import type { LayerNormalization } from "../../nn/layers/layer-normalization.js";
import type { RMSNormalization } from "../../nn/layers/rms-normalization.js";
import type { SymbolicShape } from "../../nn/symbolic-tensor.js";
import { f, type OnnxGraph } from "./graph-builder.js";
import {
  type LayerExporter,
  notExportable,
  optionalWeight,
  positiveAxis,
  weightOf,
} from "./layer-exporter.js";

/** The shape that puts a parameter over `axes` of a rank-r input (1 elsewhere). */
function paramShape(
  layer: LayerNormalization | RMSNormalization,
  shape: SymbolicShape,
  axes: number[],
): number[] {
  return shape.map((d, i) => {
    if (!axes.includes(i)) return 1;
    if (d === null) throw notExportable(layer, `axis ${i} must have a known size`);
    return d;
  });
}

/** (x - mean) / sqrt(var + eps) over `axes`, composed. */
function standardise(g: OnnxGraph, x: string, axes: number[], epsilon: number, scope: string): string {
  const m = g.op("ReduceMean", [x], { axes, keepdims: 1 }, scope);
  const d = g.op("Sub", [x, m], {}, scope);
  const v = g.op("ReduceMean", [g.op("Mul", [d, d], {}, scope)], { axes, keepdims: 1 }, scope);
  return g.op(
    "Div",
    [d, g.op("Sqrt", [g.op("Add", [v, g.scalar(epsilon)], {}, scope)], {}, scope)],
    {},
    scope,
  );
}

function normalisedAxisList(axis: readonly number[], rank: number): number[] {
  return axis.map((a) => positiveAxis(a, rank)).sort((a, b) => a - b);
}

export const normExporters: Record<string, LayerExporter> = {
  BatchNormalization: ({ g, layer: l, inputs, inputShapes }) => {
    const layer = l as BatchNormalization;
    const rank = inputShapes[0]!.length;
    const axis = positiveAxis(layer.axis, rank);
    const mean = weightOf(layer, "moving_mean").data;
    const variance = weightOf(layer, "moving_variance").data;
    const gamma = optionalWeight(layer, "gamma")?.data ?? null;
    const beta = optionalWeight(layer, "beta")?.data ?? null;
    const C = mean.length;
    // y = (x - mean) gamma / sqrt(var + eps) + beta = x scale + shift
    const scale = new Float32Array(C);
    const shift = new Float32Array(C);
    for (let c = 0; c < C; c++) {
      const s = (gamma === null ? 1 : gamma[c]!) / Math.sqrt(variance[c]! + layer.epsilon);
      scale[c] = s;
      shift[c] = (beta === null ? 0 : beta[c]!) - mean[c]! * s;
    }
    const dims = [C, ...new Array<number>(rank - 1 - axis).fill(1)];
    const y = g.op(
      "Mul",
      [inputs[0]!, g.floatInitializer(`${layer.name}/scale`, scale, dims)],
      {},
      layer.name,
    );
    return [g.op("Add", [y, g.floatInitializer(`${layer.name}/shift`, shift, dims)], {}, layer.name)];
  },
  LayerNormalization: ({ g, layer: l, inputs, inputShapes }) => {
    const layer = l as LayerNormalization;
    const shape = inputShapes[0]!;
    const axes = normalisedAxisList(layer.axis, shape.length);
    const gamma = optionalWeight(layer, "gamma");
    const beta = optionalWeight(layer, "beta");
    const scope = layer.name;
    if (axes.every((a, i) => a === shape.length - axes.length + i)) {
      const dims = paramShape(layer, shape, axes).filter((_, i) => axes.includes(i));
      const size = dims.reduce((a, b) => a * b, 1);
      const scale =
        gamma === null
          ? g.floatInitializer(`${scope}/gamma`, new Float32Array(size).fill(1), dims)
          : g.weight(`${scope}/gamma`, gamma, dims);
      const args = [inputs[0]!, scale];
      if (beta !== null) args.push(g.weight(`${scope}/beta`, beta, dims));
      return [g.op("LayerNormalization", args, { axis: axes[0]!, epsilon: f(layer.epsilon) }, scope)];
    }
    const dims = paramShape(layer, shape, axes);
    let y = standardise(g, inputs[0]!, axes, layer.epsilon, scope);
    if (gamma !== null) y = g.op("Mul", [y, g.weight(`${scope}/gamma`, gamma, dims)], {}, scope);
    if (beta !== null) y = g.op("Add", [y, g.weight(`${scope}/beta`, beta, dims)], {}, scope);
    return [y];
  },
  RMSNormalization: ({ g, layer: l, inputs, inputShapes }) => {
    const layer = l as RMSNormalization;
    const shape = inputShapes[0]!;
    const axes = normalisedAxisList(layer.axis, shape.length);
    const scope = layer.name;
    const x = inputs[0]!;
    // x / sqrt(mean(x^2) + eps) * scale
    const ms = g.op("ReduceMean", [g.op("Mul", [x, x], {}, scope)], { axes, keepdims: 1 }, scope);
    const rms = g.op("Sqrt", [g.op("Add", [ms, g.scalar(layer.epsilon)], {}, scope)], {}, scope);
    const scale = g.weight(`${scope}/scale`, weightOf(layer, "scale"), paramShape(layer, shape, axes));
    return [g.op("Mul", [g.op("Div", [x, rms], {}, scope), scale], {}, scope)];
  },
  GroupNormalization: ({ g, layer: l, inputs, inputShapes }) => {
    const layer = l as GroupNormalization;
    const shape = inputShapes[0]!;
    const rank = shape.length;
    const a = positiveAxis(layer.axis, rank);
    const C = shape[a];
    if (C === null || C === undefined) throw notExportable(layer, "the channel axis must have a known size");
    const scope = layer.name;
    const G = layer.groups;
    // channels last, then (B, S, G, C/G) with the statistics over S and C/G
    const order = [...Array(rank).keys()].filter((i) => i !== a);
    order.push(a);
    const moved = a === rank - 1 ? inputs[0]! : g.transpose(inputs[0]!, order, scope);
    const grouped = g.reshape(moved, [0, -1, G, C / G], scope);
    let y = g.op(
      "Reshape",
      [standardise(g, grouped, [1, 3], layer.epsilon, scope), g.op("Shape", [moved], {}, scope)],
      {},
      scope,
    );
    const gamma = optionalWeight(layer, "gamma");
    const beta = optionalWeight(layer, "beta");
    if (gamma !== null) y = g.op("Mul", [y, g.weight(`${scope}/gamma`, gamma)], {}, scope);
    if (beta !== null) y = g.op("Add", [y, g.weight(`${scope}/beta`, beta)], {}, scope);
    if (a === rank - 1) return [y];
    return [
      g.transpose(
        y,
        order.map((_, i) => order.indexOf(i)),
        scope,
      ),
    ];
  },
};
