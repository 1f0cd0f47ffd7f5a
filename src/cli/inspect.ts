// cli/inspect: `tessera inspect <model-dir>`: what a saved model is (summary, signature, metrics,
// training config, metadata, weights, model card) without running it; --card writes the card as
// Markdown.
import { ValueError } from "../core/errors.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { loadModelBundle } from "../io/load-model.js";
import { cardLines, cardMarkdown } from "../io/model-card-format.js";
import { type Io, parseCommand, UsageError } from "./args.js";

export const INSPECT_HELP = `Usage: tessera inspect <model-dir> [options]

Prints a saved model's summary (layers, output shapes, parameters), its input/output signature,
raw columns, metrics, training configuration, creation metadata and model card (intended use,
data, metrics, fairness by group, privacy guarantee, limitations).

Options:
  --json         print the description as JSON
  --card <file>  also write the model card as Markdown to <file>
  -h, --help     show this help
`;

const shape = (dims: readonly (number | null)[]) => `[${dims.map((d) => d ?? "None").join(", ")}]`;

export async function inspectCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("inspect", args, {
    json: { type: "boolean" },
    card: { type: "string" },
  });
  if (values.help) {
    io.out(INSPECT_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `tessera inspect: expected one model directory (got ${positionals.length})\n\n${INSPECT_HELP}`,
    );
  const dir = positionals[0]!;
  // Inspecting needs no pseudonymisation key: a model that needs one loads without it here.
  const { model, file } = await loadModelBundle(dir, { requireKeys: false });
  const name = String(file.metadata.name ?? model.name);
  if (values.card !== undefined) {
    if (file.card === null)
      throw new ValueError(`${dir} has no model card (save it with { card } or a "card" block in the spec)`);
    await writeFileAtomic(values.card, cardMarkdown(file.card, name));
    io.err(`wrote the model card to ${values.card}\n`);
  }
  // loadModelBundle checked every weight's name, dtype and shape against the file: no second read.
  const weights = model.weightEntries();
  const parameters = model.countParams();
  if (values.json) {
    const description = {
      name,
      format: { name: file.format, version: file.version },
      architecture: file.architecture.className,
      parameters,
      signature: file.signature,
      metrics: file.metrics,
      training: file.training,
      metadata: file.metadata,
      weights: weights.map((e) => ({ name: e.path, dtype: e.tensor.dtype, shape: e.tensor.shape })),
      preprocessing: file.preprocessing === null ? null : "present",
      card: file.card,
    };
    io.out(`${JSON.stringify(description, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  const meta = file.metadata;
  lines.push(
    `${dir}: ${file.format} v${file.version}, created ${meta.createdAt ?? "?"} by tessera ${meta.tessera ?? "?"} (${meta.backend ?? "?"} backend)`,
  );
  lines.push("");
  model.summary((line) => lines.push(line));
  lines.push("");
  lines.push("Signature:");
  for (const t of file.signature.inputs) lines.push(`  input  ${t.name}: ${t.dtype} ${shape(t.shape)}`);
  for (const t of file.signature.outputs) lines.push(`  output ${t.name}: ${t.dtype} ${shape(t.shape)}`);
  if (file.signature.columns !== null) {
    lines.push(
      `  raw columns (${file.signature.columns.length}): ${file.signature.columns.map((c) => `${c.name}:${c.kind ?? c.type}`).join(", ")}`,
    );
  }
  if (file.signature.target !== null) lines.push(`  target: ${file.signature.target.join(", ")}`);
  if (file.signature.labels !== null) lines.push(`  classes: ${file.signature.labels.join(", ")}`);
  lines.push(
    `  preprocessing: ${file.preprocessing === null ? "none (the model takes numeric tensors)" : "saved (raw records are accepted)"}`,
  );
  if (file.metrics !== null) {
    lines.push("Metrics:");
    for (const [k, v] of Object.entries(file.metrics))
      lines.push(`  ${k}: ${v === null ? "n/a" : Number(v.toPrecision(6))}`);
  }
  if (file.training !== null) {
    const opt = file.training.optimizer as
      | { className?: string; config?: { learningRate?: unknown } }
      | undefined;
    lines.push(
      `Training: optimizer ${opt?.className ?? "?"} (learning rate ${JSON.stringify(opt?.config?.learningRate)}), loss ${JSON.stringify(file.training.loss)}, metrics ${JSON.stringify(file.training.metrics)}`,
    );
  }
  lines.push(
    `Weights: ${weights.length} tensors, ${parameters} parameters, ${file.weights.bytes} bytes, sha256 ${file.weights.sha256.slice(0, 16)}...`,
  );
  const own = Object.entries(meta).filter(
    ([k]) => !["createdAt", "tessera", "backend", "node", "platform"].includes(k),
  );
  if (own.length > 0) lines.push(`Metadata: ${own.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}`);
  if (file.card !== null) lines.push(...cardLines(file.card));
  io.out(`${lines.join("\n")}\n`);
  return 0;
}
