// io/onnx/onnx-parity: runs an exported model in onnxruntime-node (a devDependency, loaded only
// here, by tests and the parity script) next to Tessera's own forward pass and reports the
// largest absolute difference per output. Layer: io (test support).
import type { Model } from "../../models/model.js";
import type { Tensor } from "../../tensor/tensor.js";
import { modelToOnnx } from "./export-onnx.js";

/** The result of one parity run. */
export interface ParityResult {
  /** Largest |tessera - onnxruntime| per output. */
  maxAbsDiff: number[];
  /** The encoded model's size in bytes. */
  bytes: number;
}

interface OrtTensorLike {
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** Exports `model`, runs `inputs` through both runtimes and compares every output. */
export async function onnxParity(model: Model, inputs: readonly Tensor[]): Promise<ParityResult> {
  const ort = await import("onnxruntime-node");
  const bytes = modelToOnnx(model);
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: "all" });
  const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
  session.inputNames.forEach((name, i) => {
    const x = inputs[i]!;
    const data =
      x.dtype === "int32"
        ? Int32Array.from(x.data as Int32Array)
        : Float32Array.from(x.data as ArrayLike<number>);
    feeds[name] = new ort.Tensor(x.dtype === "int32" ? "int32" : "float32", data, [...x.shape]);
  });
  const results = await session.run(feeds);
  const expected = model.applyMulti(inputs.length === 1 ? inputs[0]! : [...inputs], { training: false });
  const maxAbsDiff = session.outputNames.map((name, i) => {
    const got = results[name] as OrtTensorLike;
    const want = expected[i]!;
    if (got.dims.join(",") !== want.shape.join(",")) {
      throw new Error(
        `onnx parity: output ${name} has shape [${got.dims}] in onnxruntime and [${want.shape}] in Tessera`,
      );
    }
    const g = got.data as Float32Array;
    let max = 0;
    for (let k = 0; k < want.size; k++) max = Math.max(max, Math.abs(g[k]! - Number(want.data[k])));
    return max;
  });
  await session.release();
  return { maxAbsDiff, bytes: bytes.length };
}
