// cli/import: `tessera import <model.keras | tfjs-dir | model.json> --out DIR`: converts a Keras 3
// `.keras` file (io/keras) or a TensorFlow.js layers model (io/tfjs) into a Tessera model
// directory, which `tessera predict`, `evaluate` and `serve` then use like a trained one.
import { stat } from "node:fs/promises";
import { FormatError } from "../core/errors.js";
import { loadKeras } from "../io/keras/load-keras.js";
import { saveModel } from "../io/save-model.js";
import { loadTfjs } from "../io/tfjs/load-tfjs.js";
import type { Model } from "../models/model.js";
import { type Io, parseCommand, UsageError } from "./args.js";

export const IMPORT_HELP = `Usage: tessera import <model.keras | tfjs-dir | model.json> --out DIR

Converts a model trained elsewhere into a Tessera model directory:
  *.keras          a Keras 3 model file (Sequential or Functional), saved by model.save("x.keras")
  DIR, model.json  a TensorFlow.js layers model (model.json and its group*-shard*.bin files)

The layers are mapped onto Tessera's (Dense, Conv1D/2D, pooling, BatchNormalization,
LayerNormalization, Dropout, Flatten, Reshape, Embedding, LSTM, GRU, SimpleRNN,
MultiHeadAttention, activations, merges, ...); a layer Tessera lacks stops the import with its
name and class. The model is not compiled: compile it before fit() or evaluate.

Options:
  --out DIR       the Tessera model directory to write (required)
  --json          print the result as JSON
  -h, --help      show this help
`;

async function sourceKind(path: string): Promise<"keras" | "tfjs"> {
  const info = await stat(path).catch(() => null);
  if (info === null) throw new FormatError(`tessera import: ${path} does not exist`);
  if (info.isDirectory() || path.endsWith(".json")) return "tfjs";
  if (path.endsWith(".keras")) return "keras";
  throw new UsageError(
    `tessera import: expected a .keras file, a model.json or a tfjs model directory (got ${path})`,
  );
}

export async function importCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("import", args, {
    out: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    io.out(IMPORT_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      `tessera import: expected one model to import (got ${positionals.length})\n\n${IMPORT_HELP}`,
    );
  }
  const out = values.out;
  if (typeof out !== "string" || out === "") throw new UsageError("tessera import: --out DIR is required");
  const source = positionals[0]!;
  const kind = await sourceKind(source);
  const model: Model = kind === "keras" ? await loadKeras(source) : await loadTfjs(source);
  await saveModel(model, out, { metadata: { importedFrom: kind === "keras" ? "keras" : "tensorflow.js" } });
  const params = model.countParams();
  if (values.json) {
    io.out(`${JSON.stringify({ source, format: kind, out, layers: model.layers.length, params })}\n`);
  } else {
    const what = kind === "keras" ? "Keras" : "TensorFlow.js";
    io.out(
      `imported ${what} model "${model.name}" (${model.layers.length} layers, ${params} parameters) to ${out}\n`,
    );
  }
  return 0;
}
