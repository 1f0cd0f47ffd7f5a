// io/onnx/export-onnx: a built Tessera model as an ONNX model (opset 17, float32, dynamic batch
// axis). Walks a Sequential stack or a Functional graph (nested models included), hands each layer
// call to the exporter registered for its class, and names inputs and outputs after the model's
// input and output layers. Inference only: dropout and noise are identities, BatchNormalization
// uses its moving statistics. Preprocessing saved with a model is not part of the graph (it runs
// on raw records before the network). Layer: io.
import { ValueError } from "../../core/errors.js";
import { Functional } from "../../models/functional.js";
import type { Model } from "../../models/model.js";
import { Sequential } from "../../models/sequential.js";
import type { Layer } from "../../nn/layer.js";
import { InputLayer } from "../../nn/layers/input.js";
import type { SymbolicShape, SymbolicTensor } from "../../nn/symbolic-tensor.js";
import { writeFileAtomic } from "../atomic-write.js";
import { attentionExporters } from "./export-attention.js";
import { basicExporters } from "./export-basic.js";
import { convExporters } from "./export-conv.js";
import { normExporters } from "./export-norm.js";
import { recurrentExporters } from "./export-recurrent.js";
import { OnnxGraph } from "./graph-builder.js";
import type { LayerExporter } from "./layer-exporter.js";
import { OnnxDataType } from "./onnx-proto.js";

const EXPORTERS: Record<string, LayerExporter> = {
  ...basicExporters,
  ...convExporters,
  ...normExporters,
  ...recurrentExporters,
  ...attentionExporters,
};

/** Class names of the layers exportOnnx can write. */
export function exportableLayers(): string[] {
  return ["InputLayer", "Sequential", "Functional", ...Object.keys(EXPORTERS)].sort();
}

function asShapes(shape: ReturnType<Layer["computeOutputShape"]>, count: number): SymbolicShape[] {
  return count === 1 && !Array.isArray(shape[0])
    ? [shape as SymbolicShape]
    : [...(shape as readonly SymbolicShape[])];
}

/** Exports one layer call; models recurse into their layers. */
function emitLayer(
  g: OnnxGraph,
  layer: Layer,
  inputs: readonly string[],
  shapes: readonly SymbolicShape[],
): string[] {
  if (layer instanceof InputLayer) return [...inputs];
  if (layer instanceof Sequential) {
    let x = inputs[0]!;
    let shape = shapes[0]!;
    for (const inner of layer.layers) {
      [x] = emitLayer(g, inner, [x], [shape]) as [string];
      shape = asShapes(inner.computeOutputShape(shape), 1)[0]!;
    }
    return [x];
  }
  if (layer instanceof Functional) return emitGraph(g, layer, inputs);
  const exporter = EXPORTERS[layer.className];
  if (exporter === undefined) {
    throw new ValueError(
      `exportOnnx: layer "${layer.name}" (${layer.className}) cannot be exported to ONNX: no exporter for this layer class (exportable: ${Object.keys(EXPORTERS).join(", ")})`,
    );
  }
  return exporter({ g, layer, inputs, inputShapes: shapes, emit: (l, i, s) => emitLayer(g, l, i, s) });
}

function emitGraph(g: OnnxGraph, model: Functional, inputs: readonly string[]): string[] {
  const values = new Map<SymbolicTensor, string>();
  model.inputs.forEach((t, i) => {
    values.set(t, inputs[i]!);
  });
  for (const node of model.graphNodes) {
    if (node.isInput) continue;
    const names = node.inputs.map((t) => values.get(t)!);
    const outs = emitLayer(
      g,
      node.layer,
      names,
      node.inputs.map((t) => t.shape),
    );
    if (outs.length !== node.outputs.length) {
      throw new ValueError(
        `exportOnnx: layer "${node.layer.name}" gave ${outs.length} outputs where the graph uses ${node.outputs.length}`,
      );
    }
    node.outputs.forEach((t, i) => {
      values.set(t, outs[i]!);
    });
  }
  return model.outputs.map((t) => values.get(t)!);
}

function elemType(dtype: string): number {
  return dtype === "int32" ? OnnxDataType.INT32 : dtype === "bool" ? OnnxDataType.BOOL : OnnxDataType.FLOAT;
}

/** Options of exportOnnx. */
export interface ExportOnnxOptions {
  /** Free text stored as the model's doc_string. */
  docString?: string;
}

/**
 * The ONNX ModelProto bytes of a built model.
 * @example
 * const bytes = modelToOnnx(model); // Uint8Array, for onnxruntime's InferenceSession.create(bytes)
 */
export function modelToOnnx(model: Model, options: ExportOnnxOptions = {}): Uint8Array {
  const shapes = model.inputShapes;
  if (shapes.length === 0 || !model.built) {
    throw new ValueError(
      `exportOnnx: model "${model.name}" is not built (give it an input shape, or call it once, before exporting)`,
    );
  }
  const g = new OnnxGraph();
  const dtypes =
    model instanceof Functional ? model.inputs.map((t) => t.dtype) : shapes.map(() => inputDType(model));
  const inputs = model.inputNames.map((name, i) => g.input(name, elemType(dtypes[i]!), shapes[i]!));
  const outputs = emitLayer(g, model, inputs, shapes);
  const outShapes = model.outputShapes;
  model.outputNames.forEach((name, i) => {
    g.output(outputs[i]!, name, OnnxDataType.FLOAT, outShapes[i] ?? []);
  });
  return g.encode(model.name, options.docString ?? `Tessera model "${model.name}" exported for inference`, {
    "tessera:class": model.className,
  });
}

function inputDType(model: Model): string {
  const first = model.layers[0];
  return first !== undefined &&
    (first.className === "Embedding" || first.className === "TokenAndPositionEmbedding")
    ? "int32"
    : "float32";
}

/**
 * Writes a built model as an ONNX file (atomically). Throws a ValueError naming the first layer
 * that ONNX cannot express.
 * @example
 * await exportOnnx(model, "model.onnx");
 */
export async function exportOnnx(model: Model, path: string, options: ExportOnnxOptions = {}): Promise<void> {
  await writeFileAtomic(path, modelToOnnx(model, options));
}
