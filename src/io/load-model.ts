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
import { FormatError } from "../core/errors.js";
import type { Model } from "../models/model.js";
import { recoverDirectory } from "./directory-recovery.js";
import { MODEL_JSON, type ModelFile, WEIGHTS_FILE } from "./model-format.js";
import {
  checkModelJsonSize,
  checkWeightsSize,
  finishModel,
  type LoadedModel,
  type LoadOptions,
  parseModelJson,
  prepareModel,
} from "./model-from-bytes.js";
import { modelDirToLoad } from "./model-path.js";

export type { LoadedModel, LoadOptions } from "./model-from-bytes.js";

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
  checkModelJsonSize(size, path, options);
  return parseModelJson(await readFile(path), path);
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
  checkWeightsSize(size, file, weightsPath, options);
  const prepared = prepareModel(file, size, jsonPath, options);
  const bytes = await readFile(weightsPath);
  const digest = createHash("sha256").update(bytes).digest("hex");
  const weights = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  finishModel(prepared, weights, digest, { json: jsonPath, weights: weightsPath }, options);
  const { model, preprocessing } = prepared;
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
