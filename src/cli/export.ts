// cli/export: `tessera export <model-dir> --format onnx|torch --out FILE`: writes a saved model in
// another framework's format: an ONNX graph (io/onnx) or PyTorch state_dict weights in safetensors
// (io/interchange). The saved preprocessing is not part of either; the command says so when the
// model has one.
import { exportTorchWeights } from "../io/interchange/torch-weights.js";
import { loadModelBundle } from "../io/load-model.js";
import { exportOnnx } from "../io/onnx/export-onnx.js";
import { EXPORT_OPSET } from "../io/onnx/graph-builder.js";
import { type Io, parseCommand, UsageError } from "./args.js";

export const EXPORT_HELP = `Usage: tessera export <model-dir> --format onnx|torch --out FILE

--format onnx writes an ONNX file (opset ${EXPORT_OPSET}, float32, dynamic batch axis) for onnxruntime,
TensorRT and other ONNX runtimes. Inference only: dropout is the identity and batch normalisation
uses its moving statistics. A layer ONNX cannot express stops the export with its name.

--format torch writes the weights as a PyTorch state_dict in safetensors, with torch.nn names and
layouts (each layer a module named after it: "dense_1.weight" as (out, in), Conv2d OIHW, LSTM
weight_ih_l0 ...), for module.load_state_dict(safetensors.torch.load_file(FILE)).

The saved preprocessing (imputers, scalers, encoders) is in neither: feed the exported model
numeric tensors, as \`tessera predict\` does after preprocessing.

Options:
  --format F      onnx or torch (required)
  --out FILE      where to write (required)
  --json          print the result as JSON
  -h, --help      show this help
`;

export async function exportCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("export", args, {
    format: { type: "string" },
    out: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    io.out(EXPORT_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `tessera export: expected one model directory (got ${positionals.length})\n\n${EXPORT_HELP}`,
    );
  const format = values.format;
  if (format !== "onnx" && format !== "torch")
    throw new UsageError(
      `tessera export: --format must be "onnx" or "torch" (got ${format === undefined ? "nothing" : `"${format}"`})`,
    );
  const out = values.out;
  if (typeof out !== "string" || out === "") throw new UsageError("tessera export: --out FILE is required");
  const { model, file } = await loadModelBundle(positionals[0]!);
  if (format === "onnx")
    await exportOnnx(model, out, { docString: `Tessera model "${file.metadata.name ?? model.name}"` });
  else await exportTorchWeights(model, out);
  const preprocessing = file.preprocessing !== null;
  const what = format === "onnx" ? `ONNX opset ${EXPORT_OPSET}` : "PyTorch state_dict, safetensors";
  if (values.json) {
    const result = { format, path: out, preprocessingIncluded: false, modelHasPreprocessing: preprocessing };
    io.out(`${JSON.stringify(format === "onnx" ? { ...result, opset: EXPORT_OPSET } : result)}\n`);
    return 0;
  }
  io.out(`wrote ${out} (${what})\n`);
  if (preprocessing)
    io.err(
      "note: the model's saved preprocessing is not in the export; feed it numeric, preprocessed tensors\n",
    );
  return 0;
}
