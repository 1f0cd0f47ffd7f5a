// io/interchange/torch-weights: a model's weights as a PyTorch state_dict in safetensors (torch.nn
// parameter names and layouts, see torch-layout), and the reverse: torch weights loaded into a
// built Tessera model of the same architecture. In Python:
// `module.load_state_dict(safetensors.torch.load_file(path))`, or the other way round
// `safetensors.torch.save_file(module.state_dict(), path)`. Layer: io.
import { FormatError, ShapeError } from "../../core/errors.js";
import type { Model } from "../../models/model.js";
import type { Layer } from "../../nn/layer.js";
import type { Tensor } from "../../tensor/tensor.js";
import { readSafetensors, writeSafetensors } from "../safetensors-file.js";
import { torchParams } from "./torch-layout.js";

/**
 * The torch state_dict of a built model: parameter name -> tensor in torch's layout. Each layer is
 * a module named after the layer ("dense_1.weight", "lstm.weight_ih_l0", ...).
 * @example
 * torchStateDict(model).get("dense_1.weight")!.shape; // [units, inputs]
 */
export function torchStateDict(model: Layer): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const p of torchParams(model)) {
    if (out.has(p.name)) throw new FormatError(`torch weights: two weights map to "${p.name}"`);
    out.set(p.name, p.toTorch());
  }
  return out;
}

/**
 * Writes the model's weights as a safetensors file in torch.nn names and layouts.
 * @example
 * await exportTorchWeights(model, "model.safetensors");
 */
export async function exportTorchWeights(model: Model, path: string): Promise<void> {
  await writeSafetensors(path, torchStateDict(model), { format: "pt", producer: "tessera-ml" });
}

/** Options of loadTorchStateDict / importTorchWeights. */
export interface TorchImportOptions {
  /** Reject names the model has no place for (default true; torch's load_state_dict strict). */
  strict?: boolean;
}

/** Sets a built model's weights from a torch state_dict (names and shapes checked). */
export function loadTorchStateDict(
  model: Layer,
  state: ReadonlyMap<string, Tensor>,
  options: TorchImportOptions = {},
): void {
  const params = torchParams(model);
  const missing = params.filter((p) => !state.has(p.name)).map((p) => p.name);
  if (missing.length > 0) throw new FormatError(`torch weights: missing ${missing.join(", ")}`);
  if (options.strict ?? true) {
    const known = new Set(params.map((p) => p.name));
    const extra = [...state.keys()].filter((k) => !known.has(k));
    if (extra.length > 0) throw new FormatError(`torch weights: unexpected ${extra.join(", ")}`);
  }
  for (const p of params) {
    const value = state.get(p.name)!;
    const want = p.toTorch().shape;
    if (value.shape.join(",") !== want.join(",")) {
      throw new ShapeError(
        `torch weights: ${p.name} has shape [${value.shape}] where [${want}] was expected`,
      );
    }
    p.fromTorch(value);
  }
}

/**
 * Loads a torch state_dict saved as safetensors into a built model of the same architecture.
 * @example
 * await importTorchWeights(model, "from-pytorch.safetensors");
 */
export async function importTorchWeights(
  model: Model,
  path: string,
  options: TorchImportOptions = {},
): Promise<void> {
  const { tensors } = await readSafetensors(path);
  loadTorchStateDict(model, tensors, options);
}
