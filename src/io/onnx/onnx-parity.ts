// io/onnx/onnx-parity: runs an exported model in onnxruntime-node (a devDependency, loaded only
// here, by tests and the parity script) next to Tessera's own forward pass and reports the
// largest absolute difference per output. Layer: io (test support).
import { ShapeError } from "../../core/errors.js";
import type { Model } from "../../models/model.js";
import { randn } from "../../tensor/creation.js";
import type { Tensor } from "../../tensor/tensor.js";
import { modelToOnnx } from "./export-onnx.js";

/** Largest |a - b| over two tensors of one shape (a ShapeError when the shapes differ). */
export function maxAbsDiff(
  a: { readonly shape: readonly number[]; readonly data: ArrayLike<number | bigint> },
  b: Tensor,
): number {
  if (a.shape.join(",") !== b.shape.join(","))
    throw new ShapeError(`maxAbsDiff: shapes [${a.shape}] and [${b.shape}] differ`);
  let max = 0;
  for (let k = 0; k < b.size; k++) max = Math.max(max, Math.abs(Number(a.data[k]) - Number(b.data[k])));
  return max;
}

/** Adds seeded Gaussian noise to every weight, so that zero biases and unit scales hide no layout error. */
export function perturbWeights<M extends Model>(model: M, std: number): M {
  for (const w of model.weights) {
    const noise = randn([...w.shape], { std });
    const data = w.data as Float32Array | Float64Array;
    for (let i = 0; i < data.length; i++) data[i] = data[i]! + Number(noise.data[i]);
  }
  return model;
}

/** The result of one parity run. */
export interface ParityResult {
  /** Largest |tessera - onnxruntime| per output. */
  maxAbsDiff: number[];
  /** The encoded model's size in bytes. */
  bytes: number;
}

interface OrtTensorLike {
  readonly data: ArrayLike<number>;
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
  const diffs = session.outputNames.map((name, i) => {
    const got = results[name] as OrtTensorLike;
    return maxAbsDiff({ shape: got.dims, data: got.data }, expected[i]!);
  });
  await session.release();
  return { maxAbsDiff: diffs, bytes: bytes.length };
}
