// cli/export: `tessera export <model-dir> --format onnx --out FILE`: writes a saved model in another
// framework's format (ONNX for now) through io/onnx. The saved preprocessing is not part of the
// exported graph; the command says so when the model has one.
import { loadModelBundle } from "../io/load-model.js";
import { exportOnnx } from "../io/onnx/export-onnx.js";
import { EXPORT_OPSET } from "../io/onnx/graph-builder.js";
import { type Io, parseCommand, UsageError } from "./args.js";

export const EXPORT_HELP = `Usage: tessera export <model-dir> --format onnx --out FILE

Writes a saved model as an ONNX file (opset ${EXPORT_OPSET}, float32, dynamic batch axis) for
onnxruntime, TensorRT and other ONNX runtimes. Inference only: dropout is the identity and batch
normalisation uses its moving statistics. The saved preprocessing (imputers, scalers, encoders)
is not in the graph: feed the exported model numeric tensors, as \`tessera predict\` does after
preprocessing. A layer ONNX cannot express stops the export with its name.

Options:
  --format onnx   the output format (required; onnx is the only one so far)
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
  if (values.format !== "onnx")
    throw new UsageError(
      `tessera export: --format must be "onnx" (got ${values.format === undefined ? "nothing" : `"${values.format}"`})`,
    );
  const out = values.out;
  if (typeof out !== "string" || out === "") throw new UsageError("tessera export: --out FILE is required");
  const { model, file } = await loadModelBundle(positionals[0]!);
  await exportOnnx(model, out, { docString: `Tessera model "${file.metadata.name ?? model.name}"` });
  const preprocessing = file.preprocessing !== null;
  if (values.json) {
    io.out(
      `${JSON.stringify({ format: "onnx", opset: EXPORT_OPSET, path: out, preprocessingIncluded: false, modelHasPreprocessing: preprocessing })}\n`,
    );
    return 0;
  }
  io.out(`wrote ${out} (ONNX opset ${EXPORT_OPSET})\n`);
  if (preprocessing)
    io.err(
      "note: the model's saved preprocessing is not in the ONNX graph; feed it numeric, preprocessed tensors\n",
    );
  return 0;
}
