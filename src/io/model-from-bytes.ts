// io/model-from-bytes: the portable half of loading a model directory, shared by loadModel (files,
// load-model.ts) and loadModelFromUrl (fetch, load-model-url.ts). From model.json's bytes and the
// weights' bytes: strict JSON validated field by field, the architecture rebuilt through the closed
// layer registry with weight memory bounded by the weights' size, the signature and preprocessing
// checked against it, the weights' SHA-256 checked against model.json, every tensor's name, dtype
// and shape checked before the values are copied in. No node:* import (it runs in a browser).
import { ConfigError, FormatError, ShapeError, TesseraError, ValueError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
import { supplyKeys } from "../data/pii/keys.js";
import { sha256, toHex } from "../data/pii/sha256.js";
import "../models/functional.js";
import { Model } from "../models/model.js";
import "../models/sequential.js";
import type { Layer } from "../nn/layer.js";
import "../nn/layers/index.js";
import { deserializeLayer } from "../nn/registry.js";
import { type WeightBudget, withWeightBudget } from "../nn/weight-budget.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkModelConsistency } from "./model-consistency.js";
import { type ModelFile, validateModelFile } from "./model-format.js";
import { type ModelPreprocessing, preprocessingFromJson } from "./preprocessing.js";
import { decodeSafetensors } from "./safetensors.js";
import { attachSaveInfo } from "./save-info.js";
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
  /** The directory (a path, or the base URL for loadModelFromUrl). */
  readonly dir: string;
  /** The fitted preprocessing, rebuilt (null when the model takes tensors only). */
  readonly preprocessing: ModelPreprocessing | null;
}

/** The default cap on model.json's size. */
export const DEFAULT_MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

/** Refuses a model.json larger than the limit; `where` names the file in the message. */
export function checkModelJsonSize(size: number, where: string, options: LoadOptions): void {
  const limit = options.maxModelJsonBytes ?? DEFAULT_MAX_MODEL_JSON_BYTES;
  if (size > limit)
    throw new FormatError(`${where}: ${size} bytes, above the ${limit}-byte limit for model.json`);
}

/** model.json's bytes (UTF-8) or text, parsed strictly and validated. */
export function parseModelJson(json: Uint8Array | string, where: string): ModelFile {
  let text: string;
  if (typeof json === "string") text = json;
  else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(json);
    } catch {
      throw new FormatError(`${where}: not valid UTF-8`);
    }
  }
  return validateModelFile(parseStrictJson(text, where), where);
}

/** Refuses a weights file above the caller's limit or of another size than model.json records. */
export function checkWeightsSize(size: number, file: ModelFile, where: string, options: LoadOptions): void {
  if (options.maxWeightsBytes !== undefined && size > options.maxWeightsBytes) {
    throw new FormatError(`${where}: ${size} bytes, above the ${options.maxWeightsBytes}-byte limit`);
  }
  if (size !== file.weights.bytes) {
    throw new FormatError(
      `${where}: ${size} bytes but model.json records ${file.weights.bytes} (truncated, or not the weights saved with this model.json)`,
    );
  }
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

/** The model rebuilt from model.json, weights not yet filled. */
export interface PreparedModel {
  readonly file: ModelFile;
  readonly model: Model;
  readonly preprocessing: ModelPreprocessing | null;
}

/**
 * Rebuilds the preprocessing and the architecture (weight memory bounded by `weightsSize`) and
 * checks them against each other. `jsonWhere` names model.json in errors.
 */
export function prepareModel(
  file: ModelFile,
  weightsSize: number,
  jsonWhere: string,
  options: LoadOptions,
): PreparedModel {
  const preprocessing =
    file.preprocessing === null ? null : preprocessingFromJson(file.preprocessing, jsonWhere);
  if (preprocessing !== null)
    supplyKeys(preprocessing.features, options.keys, { require: options.requireKeys, where: jsonWhere });
  const model = buildArchitecture(file, jsonWhere, weightsSize);
  checkModelConsistency(file, model, preprocessing, jsonWhere);
  return { file, model, preprocessing };
}

/** Where model.json and the weights came from, for error messages. */
export interface LoadSources {
  readonly json: string;
  readonly weights: string;
}

/**
 * Checks the weights' SHA-256 (`digest`, lowercase hex) against model.json, decodes them into the
 * prepared model, attaches what save() round-trips and re-applies compile().
 */
export function finishModel(
  prepared: PreparedModel,
  weights: Uint8Array,
  digest: string,
  where: LoadSources,
  options: LoadOptions,
): void {
  const { file, model } = prepared;
  if (digest !== file.weights.sha256) {
    throw new FormatError(
      `${where.weights}: SHA-256 differs from the one in model.json (the file is corrupted or was replaced)`,
    );
  }
  const { tensors } = decodeSafetensors(weights, where.weights);
  fillWeights(model, tensors, where.weights);
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
      throw new FormatError(`${where.json}: "training" cannot be applied: ${error.message}`);
    }
  }
}

/** SHA-256 in lowercase hex: WebCrypto where the host has it (browsers, Node), else plain TS. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCryptoLike } }).crypto?.subtle;
  if (subtle !== undefined) return toHex(new Uint8Array(await subtle.digest("SHA-256", bytes)));
  return toHex(sha256(bytes));
}

interface SubtleCryptoLike {
  digest(algorithm: "SHA-256", data: Uint8Array): Promise<ArrayBuffer>;
}

/**
 * A model from the contents of a model directory: model.json (text or bytes) and
 * weights.safetensors (bytes), validated exactly as loadModel validates the files.
 * @example
 * const { model, preprocessing } = await modelFromBytes(jsonText, weightBytes);
 */
export async function modelFromBytes(
  json: Uint8Array | string,
  weights: Uint8Array,
  options: LoadOptions & { where?: LoadSources; dir?: string } = {},
): Promise<LoadedModel> {
  const where = options.where ?? { json: "model.json", weights: "weights.safetensors" };
  if (typeof json !== "string") checkModelJsonSize(json.byteLength, where.json, options);
  const file = parseModelJson(json, where.json);
  checkWeightsSize(weights.byteLength, file, where.weights, options);
  const prepared = prepareModel(file, weights.byteLength, where.json, options);
  finishModel(prepared, weights, await sha256Hex(weights), where, options);
  return { model: prepared.model, file, dir: options.dir ?? "", preprocessing: prepared.preprocessing };
}
