// io/keras/load-keras: loadKeras(path) / parseKeras(bytes): a Keras 3 `.keras` file (a zip of
// config.json, metadata.json and model.weights.h5) as a Tessera model. The architecture goes
// through Tessera's closed layer registry (nothing in the file can name code); the weights come
// from the HDF5 file through our own reader. Bad input is a FormatError or a ConfigError naming
// the layer, never a crash.
import { readFile } from "node:fs/promises";
import { ConfigError, FormatError } from "../../core/errors.js";
import "../../models/functional.js";
import type { Model } from "../../models/model.js";
import "../../models/sequential.js";
import { isPlainObject } from "../../nn/config.js";
import "../../nn/layers/index.js";
import { deserializeLayer } from "../../nn/registry.js";
import { openHdf5 } from "../hdf5/hdf5-file.js";
import { parseStrictJson } from "../strict-json.js";
import { ZipArchive } from "../zip/read-zip.js";
import { convertModel } from "./convert-model.js";
import { assignKerasWeights } from "./keras-weights.js";

/** Turns any other error of a parser into a FormatError, so corrupt input never escapes as a crash. */
export function asFormatError(source: string, error: unknown): Error {
  if (error instanceof FormatError || error instanceof ConfigError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FormatError(`${source}: corrupt or unsupported input (${message})`);
}

/** Reads the model in a `.keras` archive held in memory. */
export function parseKeras(bytes: Uint8Array, source = "model.keras"): Model {
  try {
    const zip = new ZipArchive(bytes, source);
    const config = parseStrictJson(zip.readText("config.json"), `${source}: config.json`);
    if (!isPlainObject(config)) throw new FormatError(`${source}: config.json is not an object`);
    const converted = convertModel(config);
    const model = deserializeLayer(converted.serialized) as Model;
    const weights = openHdf5(zip.read("model.weights.h5"), `${source}: model.weights.h5`);
    const sequential = converted.serialized.className === "Sequential";
    assignKerasWeights(weights, converted.layers, sequential, (name) => model.getLayer(name));
    return model;
  } catch (error) {
    throw asFormatError(source, error);
  }
}

/**
 * Loads a Keras 3 `.keras` file as a Tessera model (Sequential or Functional).
 * @example
 * const model = await ts.loadKeras("classifier.keras");
 * const probabilities = model.predict(x);
 */
export async function loadKeras(path: string): Promise<Model> {
  const bytes = await readFile(path);
  return parseKeras(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}
