// serve/model-servable: the default servable loader: a Tessera model directory (io/loadModel)
// adapted to the server's Servable interface. Runs inside an inference worker thread.
import { basename } from "node:path";
import type { TypedArray } from "../core/dtype.js";
import { ConfigError, ValueError } from "../core/errors.js";
import type { TensorSignature } from "../io/model-format.js";
import { ModelPredictor } from "../io/predictor.js";
import { recordsToTable } from "../io/preprocessing.js";
import { Tensor } from "../tensor/tensor.js";
import type { RawRecord, Servable, ServingSignature, TensorSpec } from "./servable.js";

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

/** Loads a model directory for serving. */
export async function loadServable(dir: string): Promise<Servable> {
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
  if (signature.columns === null) return { signature, predict };
  return {
    signature,
    predict,
    encodeRecords: (records: readonly RawRecord[]) => [
      predictor.features(recordsToTable(records, signature.columns!)).data,
    ],
  };
}
