// io/tfjs/load-tfjs: loadTfjs(dir) / parseTfjs(modelJson, shards): a TensorFlow.js layers model
// (model.json with modelTopology + weightsManifest, and its .bin shards) as a Tessera model. The
// topology is Keras 2 style, converted by io/keras; weights are named "<layer>/<weight>" and are
// read from the concatenated shards of each manifest group in order. Weights may be float32,
// int32, float16 or affine-quantized uint8/uint16 (the tfjs converter's --quantize options).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe } from "../../core/config.js";
import { ConfigError, FormatError } from "../../core/errors.js";
import "../../models/functional.js";
import type { Model } from "../../models/model.js";
import "../../models/sequential.js";
import { isPlainObject } from "../../nn/config.js";
import "../../nn/layers/index.js";
import { deserializeLayer } from "../../nn/registry.js";
import type { Tensor } from "../../tensor/tensor.js";
import { convertModel } from "../keras/convert-model.js";
import { asFormatError } from "../keras/load-keras.js";
import { parseStrictJson } from "../strict-json.js";
import { adaptKeras2HardSigmoid } from "./keras2-hard-sigmoid.js";
import { decodeWeight, type WeightSpec } from "./tfjs-weights.js";

interface ManifestGroup {
  readonly paths: string[];
  readonly weights: WeightSpec[];
}

function manifest(value: unknown, source: string): ManifestGroup[] {
  if (!Array.isArray(value)) throw new FormatError(`${source}: weightsManifest must be a list`);
  return value.map((group, g) => {
    if (!isPlainObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new FormatError(
        `${source}: weightsManifest[${g}] must be {paths, weights} (got ${describe(group)})`,
      );
    }
    for (const path of group.paths) {
      if (typeof path !== "string" || !/^[A-Za-z0-9_.-]+$/.test(path) || path.startsWith(".")) {
        throw new FormatError(`${source}: weight shard path ${describe(path)} must be a plain file name`);
      }
    }
    return { paths: group.paths as string[], weights: group.weights as WeightSpec[] };
  });
}

/** Reads a tfjs model from its parsed model.json and a reader of its shard files. */
export async function parseTfjs(
  modelJson: unknown,
  readShard: (path: string) => Promise<Uint8Array>,
  source = "model.json",
): Promise<Model> {
  try {
    if (!isPlainObject(modelJson)) throw new FormatError(`${source}: expected a JSON object`);
    const format = modelJson.format;
    if (format !== undefined && format !== "layers-model") {
      throw new ConfigError(
        `${source}: format ${describe(format)} is not a layers model (graph models are not supported)`,
      );
    }
    const topology = isPlainObject(modelJson.modelTopology) ? modelJson.modelTopology : undefined;
    const serialized =
      topology !== undefined && isPlainObject(topology.model_config) ? topology.model_config : topology;
    if (serialized === undefined) throw new FormatError(`${source}: no modelTopology`);
    const converted = convertModel(serialized);
    const model = deserializeLayer(converted.serialized) as Model;
    const byName = new Map<string, Tensor>();
    for (const group of manifest(modelJson.weightsManifest, source)) {
      const shards = await Promise.all(group.paths.map(readShard));
      const bytes = Buffer.concat(shards);
      let offset = 0;
      for (const spec of group.weights) {
        const { tensor, size } = decodeWeight(spec, bytes, offset, source);
        byName.set(spec.name, tensor);
        offset += size;
      }
    }
    assignTfjsWeights(model, byName, source);
    return model;
  } catch (error) {
    throw asFormatError(source, error);
  }
}

/** Gives each layer the manifest weights named "<layer name>/...", in manifest order. */
function assignTfjsWeights(model: Model, byName: ReadonlyMap<string, Tensor>, source: string): void {
  const used = new Set<string>();
  for (const layer of model.layers) {
    const prefix = `${layer.name}/`;
    const names = [...byName.keys()].filter((n) => n.startsWith(prefix));
    if (names.length !== layer.weights.length) {
      throw new FormatError(
        `${source}: layer "${layer.name}" needs ${layer.weights.length} weights, the manifest has ${names.length} named ${prefix}*`,
      );
    }
    if (names.length > 0) layer.setWeights(names.map((n) => byName.get(n)!));
    adaptKeras2HardSigmoid(layer);
    for (const n of names) used.add(n);
  }
  const left = [...byName.keys()].filter((n) => !used.has(n));
  if (left.length > 0)
    throw new FormatError(`${source}: weights no layer takes: ${left.slice(0, 5).join(", ")}`);
}

/**
 * Loads a TensorFlow.js layers model from a directory holding model.json and its weight shards
 * (or from the path of the model.json itself).
 * @example
 * const model = await ts.loadTfjs("web-model/");
 */
export async function loadTfjs(location: string): Promise<Model> {
  const file = location.endsWith(".json") ? location : join(location, "model.json");
  const dir = location.endsWith(".json") ? join(location, "..") : location;
  const text = await readFile(file, "utf8");
  const json = (() => {
    try {
      return parseStrictJson(text, file);
    } catch (error) {
      throw asFormatError(file, error);
    }
  })();
  return parseTfjs(
    json,
    async (path) => {
      const bytes = await readFile(join(dir, path));
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    file,
  );
}
