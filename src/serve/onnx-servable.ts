// serve/onnx-servable: an ONNX file (`tessera serve model.onnx`) adapted to the server's Servable
// interface: the graph's inputs and outputs become the signature (the first dimension is the
// batch), and a batch runs through io/onnx's importer on Tessera's own ops. ONNX carries no
// preprocessing, so requests send model-ready tensors, not raw records.
import { basename } from "node:path";
import type { DType, TypedArray } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { loadOnnx, type OnnxValueInfo } from "../io/onnx/load-onnx.js";
import { Tensor } from "../tensor/tensor.js";
import type { Servable, ServingSignature, TensorSpec } from "./servable.js";

/** The signature entry of a graph input or output: fixed sizes after the batch dimension. */
function specOf(info: OnnxValueInfo, where: string): TensorSpec {
  if (info.shape === null || info.shape.length === 0)
    throw new ValueError(
      `${where}: "${info.name}" has no declared shape; the server needs [batch, ...fixed sizes]`,
    );
  const rest = info.shape.slice(1);
  if (rest.some((d) => d === null))
    throw new ValueError(
      `${where}: "${info.name}" has a dimension of unknown size besides the batch (shape [${info.shape.map((d) => d ?? "?").join(", ")}]); the server needs fixed sizes`,
    );
  const dtype: DType = info.dtype ?? "float32";
  return { name: info.name, dtype, shape: [-1, ...(rest as number[])] };
}

/** Loads an ONNX file for serving. */
export async function loadOnnxServable(path: string): Promise<Servable> {
  const model = await loadOnnx(path);
  const signature: ServingSignature = {
    name: basename(path).replace(/\.onnx$/i, ""),
    version: "1",
    inputs: model.inputs.map((i) => specOf(i, path)),
    outputs: model.outputs.map((o) => specOf(o, path)),
    columns: null,
  };
  const predict = (inputs: readonly TypedArray[], rows: number): TypedArray[] => {
    const feeds: Record<string, Tensor> = {};
    signature.inputs.forEach((spec, k) => {
      feeds[spec.name] = new Tensor(inputs[k]!, [rows, ...spec.shape.slice(1)]);
    });
    const results = model.run(feeds);
    return signature.outputs.map((spec) => {
      const out = results[spec.name];
      if (out === undefined) throw new ValueError(`${path}: the graph produced no output "${spec.name}"`);
      return out.data;
    });
  };
  return { signature, predict };
}
