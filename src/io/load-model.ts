// io/load-model: loadModel(dir). Reads model.json (strict JSON, validated field by field),
// rebuilds the architecture through the closed layer registry (nothing in a file can name code),
// and fills the weights from weights.safetensors after checking its size, its SHA-256 against
// model.json and every tensor's name, dtype and shape against the architecture; the signature and
// preprocessing are checked against the architecture too (model-consistency.ts). Weight memory is
// bounded by the weights file's size: while the architecture is rebuilt, weights it declares
// beyond that size are refused before they are allocated.
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, FormatError, ShapeError, TesseraError, ValueError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
import { supplyKeys } from "../data/pii/keys.js";
import "../models/functional.js";
import { Model } from "../models/model.js";
import "../models/sequential.js";
import type { Layer } from "../nn/layer.js";
import "../nn/layers/index.js";
import { deserializeLayer } from "../nn/registry.js";
import { type WeightBudget, withWeightBudget } from "../nn/weight-budget.js";
import type { Tensor } from "../tensor/tensor.js";
import { recoverDirectory } from "./directory-recovery.js";
import { checkModelConsistency } from "./model-consistency.js";
import { MODEL_JSON, type ModelFile, validateModelFile, WEIGHTS_FILE } from "./model-format.js";
import { modelDirToLoad } from "./model-path.js";
import { type ModelPreprocessing, preprocessingFromJson } from "./preprocessing.js";
import { decodeSafetensors } from "./safetensors.js";
import { attachSaveInfo } from "./save-model.js";
import { parseStrictJson } from "./strict-json.js";
import { compileFromConfig } from "./training-config.js";

export interface LoadOptions {
  /** Largest model.json accepted, bytes (default 64 MiB). */
  maxModelJsonBytes?: number;
  /** Largest weights file accepted, bytes (default: no limit beyond memory). */
  maxWeightsBytes?: number;
  /** Re-apply the saved compile() options so evaluate()/fit() work at once (default true). */
  compile?: boolean;
  /** Keys of the preprocessing's HMAC pseudonymisers by key id (never saved); else TESSERA_KEY_<ID>. */
  keys?: Readonly<Record<string, string | Uint8Array>>;
  /** Refuse a model whose pseudonymiser key is given nowhere (default true; false loads it keyless). */
  requireKeys?: boolean;
}

/** A loaded model with everything its directory held. */
export interface LoadedModel {
  readonly model: Model;
  readonly file: ModelFile;
  readonly dir: string;
  /** The fitted preprocessing, rebuilt (null when the model takes tensors only). */
  readonly preprocessing: ModelPreprocessing | null;
}

async function fileSize(path: string, what: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new FormatError(`${path}: ${what} is not a regular file`);
    return info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new FormatError(`${path}: missing (${what}); is this a Tessera model directory?`);
    }
    throw error;
  }
}

/**
 * Reads and validates model.json alone (architecture not built, weights not read), after finishing
 * a killed save as loadModel does.
 */
export async function readModelFile(location: string | URL, options: LoadOptions = {}): Promise<ModelFile> {
  const dir = await modelDirToLoad(location);
  recoverQuietly(dir);
  return readModelJson(dir, options);
}

/** readModelFile on a directory already resolved by modelDirToLoad. */
async function readModelJson(dir: string, options: LoadOptions): Promise<ModelFile> {
  const path = join(dir, MODEL_JSON);
  const size = await fileSize(path, "the model description");
  const limit = options.maxModelJsonBytes ?? 64 * 1024 * 1024;
  if (size > limit)
    throw new FormatError(`${path}: ${size} bytes, above the ${limit}-byte limit for model.json`);
  const bytes = await readFile(path);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new FormatError(`${path}: not valid UTF-8`);
  }
  return validateModelFile(parseStrictJson(text, path), path);
}

/**
 * Rebuilds the architecture with a budget on weight memory: addWeight() refuses shapes whose bytes
 * would exceed what the weights file can hold, before allocating them.
 */
function buildArchitecture(file: ModelFile, where: string, budgetBytes: number): Model {
  const budget: WeightBudget = {
    bytes: budgetBytes,
    exceeded: (path, shape) =>
      new FormatError(
        `${where}: the architecture declares weight "${path}" of shape ${formatShape(shape)}, more than the ${budgetBytes}-byte weights file holds`,
      ),
  };
  let layer: Layer;
  try {
    layer = withWeightBudget(budget, () => deserializeLayer(file.architecture));
  } catch (error) {
    if (error instanceof FormatError) throw error;
    if (error instanceof ConfigError || error instanceof ValueError || error instanceof ShapeError) {
      throw new FormatError(`${where}: "architecture" cannot be rebuilt: ${error.message}`);
    }
    throw error;
  }
  if (!(layer instanceof Model)) {
    throw new FormatError(`${where}: "architecture" is a ${layer.className}, not a model`);
  }
  if (!layer.built) {
    throw new FormatError(`${where}: "architecture" does not declare its input shape, so it cannot be built`);
  }
  return layer;
}

/** Checks every weight of the model against the file's tensors, then copies the values in. */
function fillWeights(model: Model, tensors: Map<string, Tensor>, where: string): void {
  const entries = model.weightEntries();
  const expected = new Set(entries.map((e) => e.path));
  for (const name of tensors.keys()) {
    if (!expected.has(name))
      throw new FormatError(`${where}: unexpected tensor "${name}" (the architecture has no such weight)`);
  }
  for (const entry of entries) {
    const saved = tensors.get(entry.path);
    if (saved === undefined) throw new FormatError(`${where}: missing tensor "${entry.path}"`);
    if (saved.dtype !== entry.tensor.dtype) {
      throw new FormatError(
        `${where}: tensor "${entry.path}" is ${saved.dtype} but the architecture needs ${entry.tensor.dtype}`,
      );
    }
    const same =
      saved.shape.length === entry.tensor.shape.length &&
      saved.shape.every((d, i) => d === entry.tensor.shape[i]);
    if (!same) {
      throw new FormatError(
        `${where}: tensor "${entry.path}" has shape ${formatShape(saved.shape)} but the architecture needs ${formatShape(entry.tensor.shape)}`,
      );
    }
  }
  for (const entry of entries) entry.tensor.data.set(tensors.get(entry.path)!.data);
}

/**
 * Finishes a save that was killed mid-swap (directory-recovery.ts). A directory that cannot be
 * written (a read-only mount) is read as it is.
 */
function recoverQuietly(dir: string): void {
  try {
    recoverDirectory(dir);
  } catch {
    // Nothing to finish, or no permission to: the load reports what it finds.
  }
}

/**
 * Loads a model directory with everything it holds (the model, and model.json's signature,
 * preprocessing state, metrics and metadata).
 */
export async function loadModelBundle(
  location: string | URL,
  options: LoadOptions = {},
): Promise<LoadedModel> {
  const dir = await modelDirToLoad(location);
  recoverQuietly(dir);
  const file = await readModelJson(dir, options);
  const jsonPath = join(dir, MODEL_JSON);
  const weightsPath = join(dir, WEIGHTS_FILE);
  const size = await fileSize(weightsPath, "the weights");
  if (options.maxWeightsBytes !== undefined && size > options.maxWeightsBytes) {
    throw new FormatError(`${weightsPath}: ${size} bytes, above the ${options.maxWeightsBytes}-byte limit`);
  }
  if (size !== file.weights.bytes) {
    throw new FormatError(
      `${weightsPath}: ${size} bytes but model.json records ${file.weights.bytes} (truncated, or not the weights saved with this model.json)`,
    );
  }
  const preprocessing =
    file.preprocessing === null ? null : preprocessingFromJson(file.preprocessing, jsonPath);
  if (preprocessing !== null)
    supplyKeys(preprocessing.features, options.keys, { require: options.requireKeys, where: jsonPath });
  const model = buildArchitecture(file, jsonPath, size);
  checkModelConsistency(file, model, preprocessing, jsonPath);
  const bytes = await readFile(weightsPath);
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (digest !== file.weights.sha256) {
    throw new FormatError(
      `${weightsPath}: SHA-256 differs from the one in model.json (the file is corrupted or was replaced)`,
    );
  }
  const { tensors } = decodeSafetensors(
    new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    weightsPath,
  );
  fillWeights(model, tensors, weightsPath);
  const { signature } = file;
  attachSaveInfo(model, {
    preprocessing: file.preprocessing,
    columns: signature.columns,
    target: signature.target,
    labels: signature.labels,
    card: file.card,
    metrics:
      file.metrics === null
        ? null
        : (Object.fromEntries(Object.entries(file.metrics).filter(([, v]) => v !== null)) as Record<
            string,
            number
          >),
  });
  if (file.training !== null && (options.compile ?? true)) {
    try {
      compileFromConfig(model, file.training);
    } catch (error) {
      if (!(error instanceof TesseraError)) throw error;
      throw new FormatError(`${jsonPath}: "training" cannot be applied: ${error.message}`);
    }
  }
  return { model, file, dir, preprocessing };
}

/**
 * Loads a saved model. Loading never runs code from the file: layer classes come from the
 * registry (register custom layers with registerLayer before loading).
 * @example
 * const model = await loadModel("runs/house-prices/model"); // or ".../model/model.json", "file://./runs/..."
 * model.predict(x);
 */
export async function loadModel(dir: string | URL, options: LoadOptions = {}): Promise<Model> {
  return (await loadModelBundle(dir, options)).model;
}
