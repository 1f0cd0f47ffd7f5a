// serve/model-servable: the default servable loader: a Tessera model directory (io/loadModel)
// adapted to the server's Servable interface; an estimator directory goes to estimator-servable,
// an .onnx file to onnx-servable.
// Runs inside an inference worker thread.
import { basename } from "node:path";
import type { TypedArray } from "../core/dtype.js";
import { ConfigError, ValueError } from "../core/errors.js";
import { ColumnTransformer } from "../data/preprocess/pipeline.js";
import { isEstimatorDirectory } from "../io/estimator-file.js";
import type { TensorSignature } from "../io/model-format.js";
import { ModelPredictor } from "../io/predictor.js";
import { recordsToTable } from "../io/preprocessing.js";
import { integratedGradients, saliencyWithTargets } from "../responsible/explain-gradients.js";
import type { Forward } from "../responsible/explain-model.js";
import { Tensor } from "../tensor/tensor.js";
import { loadEstimatorServable } from "./estimator-servable.js";
import { loadOnnxServable } from "./onnx-servable.js";
import type { ExplainRequest, RawRecord, Servable, ServingSignature, TensorSpec } from "./servable.js";

function spec(signature: TensorSignature, where: string, labels?: readonly string[] | null): TensorSpec {
  const [, ...rest] = signature.shape;
  if (rest.some((d) => d === null)) {
    throw new ValueError(
      `${where}: "${signature.name}" has a dimension of unknown size besides the batch (shape [${signature.shape.map((d) => d ?? "null").join(", ")}]); the server needs fixed sizes`,
    );
  }
  const shape = [-1, ...(rest as number[])];
  return labels === null || labels === undefined
    ? { name: signature.name, dtype: signature.dtype, shape }
    : { name: signature.name, dtype: signature.dtype, shape, labels };
}

/** Loads a model for serving: a network's directory, an estimator directory (serve/estimator-servable) or an .onnx file (serve/onnx-servable). */
export async function loadServable(dir: string): Promise<Servable> {
  if (/\.onnx$/i.test(dir)) return loadOnnxServable(dir);
  if (await isEstimatorDirectory(dir)) return loadEstimatorServable(dir);
  const predictor = await ModelPredictor.load(dir).catch((error: unknown) => {
    // The model's workers are threads of their own: a registerLayer call in the program that
    // started the server is not seen there. Say where the call has to go instead.
    if (error instanceof Error && /unknown layer class/.test(error.message)) {
      throw new ConfigError(
        `${error.message}. The server loads models in worker threads: put that registerLayer call in a module and name it with \`tessera serve --import <module>\` (startServer option preload), which every worker imports before the model`,
      );
    }
    throw error;
  });
  const { file } = predictor.bundle;
  const where = `${dir}/model.json`;
  const labels = file.signature.labels;
  const outputs = file.signature.outputs.map((o, i) =>
    spec(o, where, file.signature.outputs.length === 1 && i === 0 ? labels : null),
  );
  const signature: ServingSignature = {
    name: typeof file.metadata.name === "string" ? file.metadata.name : basename(dir),
    version: typeof file.metadata.version === "string" ? file.metadata.version : "1",
    inputs: file.signature.inputs.map((s) => spec(s, where)),
    outputs,
    columns:
      file.signature.columns === null || predictor.bundle.preprocessing === null
        ? null
        : file.signature.columns,
  };
  const predict = (inputs: readonly TypedArray[], rows: number): TypedArray[] => {
    const tensors = signature.inputs.map((s, k) => new Tensor(inputs[k]!, [rows, ...s.shape.slice(1)]));
    return predictor.run(tensors.length === 1 ? tensors[0]! : tensors).map((t) => t.data);
  };
  const explain = (inputs: readonly TypedArray[], rows: number, request: ExplainRequest): TypedArray[] =>
    explainRows(predictor, signature, inputs, rows, request);
  const names = featureNamesOf(predictor);
  const described = names === null ? signature : { ...signature, featureNames: names };
  if (signature.columns === null) return { signature: described, predict, explain };
  return {
    signature: described,
    predict,
    explain,
    encodeRecords: (records: readonly RawRecord[]) => [
      predictor.features(recordsToTable(records, signature.columns!)).data,
    ],
  };
}

/** The preprocessing's output column names (the model input's features), or null without one. */
export function featureNamesOf(predictor: ModelPredictor): string[] | null {
  const features = predictor.bundle.preprocessing?.features;
  if (features === undefined) return null;
  return features instanceof ColumnTransformer ? features.getFeatureNames() : features.featureNamesOut();
}

/** /explain on model-ready rows: [attributions, targets, delta] (see Servable.explain). */
function explainRows(
  predictor: ModelPredictor,
  signature: ServingSignature,
  inputs: readonly TypedArray[],
  rows: number,
  request: ExplainRequest,
): TypedArray[] {
  const input = signature.inputs[0]!;
  if (signature.inputs.length !== 1 || input.shape.length !== 2)
    throw new ValueError("explain: only models with one [rows, features] input can be explained");
  const x = new Tensor(inputs[0]!, [rows, input.shape[1]!]);
  const forward: Forward = (t) => predictor.model.apply(t, { training: false });
  const options = request.target === undefined ? {} : { target: request.target };
  if (request.method === "ig") {
    const result = integratedGradients(forward, x, { ...options, steps: request.steps });
    return [result.attributions.data, result.targets, result.delta];
  }
  const { attributions, targets } = saliencyWithTargets(forward, x, options);
  return [attributions.data, targets, new Float64Array(rows)];
}
