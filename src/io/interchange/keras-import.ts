// io/interchange/keras-import: loadKeras(path) reads a Keras 3 `.keras` file (a zip of
// config.json and model.weights.h5) into a Tessera model: the config through keras-config, the
// weights through h5wasm (libhdf5 compiled to WebAssembly) from Keras's layout
// layers/<snake_case class name>[_k]/vars/<i> (recurrent layers under cell/, Bidirectional under
// forward_layer/ and backward_layer/, MultiHeadAttention under query_dense/ ... output_dense/).
// Keras kernels already have Tessera's layouts. Bad input is a FormatError. Layer: io.
import { readFile } from "node:fs/promises";
import { unzipSync } from "fflate";
import h5wasm from "h5wasm/node";
import { ConfigError, FormatError } from "../../core/errors.js";
import "../../models/functional.js";
import { Model } from "../../models/model.js";
import "../../models/sequential.js";
import type { ConfigValue } from "../../nn/config.js";
import type { Layer } from "../../nn/layer.js";
import { toSnakeCase } from "../../nn/layer-names.js";
import type { Bidirectional } from "../../nn/layers/bidirectional.js";
import "../../nn/layers/index.js";
import { deserializeLayer } from "../../nn/registry.js";
import { Tensor } from "../../tensor/tensor.js";
import { kerasModel } from "./keras-config.js";

/** Reads one dataset as a float32 tensor. */
type ReadTensor = (path: string) => Tensor;

/** The h5 paths of a layer's weights, in the order of the Tessera layer's getWeights(). */
function weightGroups(layer: Layer): [Layer, string[]][] {
  const vars = (prefix: string, target: Layer): [Layer, string[]] => [
    target,
    target.getWeights().map((_, i) => `${prefix}vars/${i}`),
  ];
  switch (layer.className) {
    case "LSTM":
    case "GRU":
    case "SimpleRNN":
      return [vars("cell/", layer)];
    case "Bidirectional": {
      const l = layer as Bidirectional;
      return [vars("forward_layer/cell/", l.forwardLayer), vars("backward_layer/cell/", l.backwardLayer)];
    }
    case "MultiHeadAttention": {
      const paths = ["query_dense", "key_dense", "value_dense", "output_dense"].flatMap((d) =>
        layer.getWeights().length === 8 ? [`${d}/vars/0`, `${d}/vars/1`] : [`${d}/vars/0`],
      );
      return [[layer, paths]];
    }
    default:
      return [vars("", layer)];
  }
}

/** Loads the weights of every layer of `model` (listed as in the Keras config) from the h5 file. */
function loadWeights(
  model: Model,
  kerasLayers: readonly { className: string; name: string }[],
  read: ReadTensor,
): void {
  const counts = new Map<string, number>();
  for (const { className, name } of kerasLayers) {
    const base = toSnakeCase(className);
    const k = counts.get(base) ?? 0;
    counts.set(base, k + 1);
    const group = `layers/${k === 0 ? base : `${base}_${k}`}/`;
    if (className === "InputLayer") continue;
    const layer = model.getLayer(name);
    if (layer.childLayers().length > 0 && !["Bidirectional", "MultiHeadAttention"].includes(className))
      throw new FormatError(`loadKeras: layer "${name}" (${className}): nested models are not supported`);
    for (const [target, paths] of weightGroups(layer)) {
      if (paths.length > 0) target.setWeights(paths.map((p) => read(group + p)));
    }
  }
}

/** Opens HDF5 bytes with h5wasm for the duration of `use`. */
async function withH5<T>(bytes: Uint8Array, where: string, use: (read: ReadTensor) => T): Promise<T> {
  const module = await h5wasm.ready;
  const name = `/tessera-keras-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.h5`;
  module.FS.writeFile(name, bytes);
  let file: InstanceType<typeof h5wasm.File> | null = null;
  try {
    try {
      file = new h5wasm.File(name, "r");
    } catch (error) {
      throw new FormatError(`${where}: model.weights.h5 is not an HDF5 file (${(error as Error).message})`);
    }
    // libhdf5 reports a file it cannot open with a negative id rather than an exception
    if (Number(file.file_id) < 0) {
      file = null;
      throw new FormatError(`${where}: model.weights.h5 is not an HDF5 file`);
    }
    const opened = file;
    return use((path) => {
      const entry = opened.get(path);
      if (entry === null || !(entry instanceof h5wasm.Dataset))
        throw new FormatError(`${where}: model.weights.h5 has no dataset ${path}`);
      const value = entry.value;
      const shape = entry.shape ?? [];
      if (!(value instanceof Float32Array || value instanceof Float64Array))
        throw new FormatError(`${where}: ${path} holds ${entry.dtype} values (float32 expected)`);
      return new Tensor(Float32Array.from(value), shape);
    });
  } finally {
    file?.close();
    module.FS.unlink(name);
  }
}

/**
 * Loads a Keras 3 `.keras` model (sequential or functional, of layer types Tessera has).
 * @example
 * const model = await loadKeras("model.keras");
 * model.predict(x);
 */
export async function loadKeras(path: string): Promise<Model> {
  const bytes = new Uint8Array(await readFile(path));
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new FormatError(`${path}: not a .keras zip file (${(error as Error).message})`);
  }
  const configBytes = files["config.json"];
  const weights = files["model.weights.h5"];
  if (configBytes === undefined || weights === undefined)
    throw new FormatError(`${path}: a .keras file must hold config.json and model.weights.h5`);
  let config: unknown;
  try {
    config = JSON.parse(new TextDecoder().decode(configBytes));
  } catch (error) {
    throw new FormatError(`${path}: config.json is not JSON (${(error as Error).message})`);
  }
  const serialized = kerasModel(config as ConfigValue, path);
  let model: Layer;
  try {
    model = deserializeLayer(serialized);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${path}: ${error.message}`);
    throw error;
  }
  if (!(model instanceof Model)) throw new FormatError(`${path}: config.json does not describe a model`);
  const entries = (serialized.config.layers as { className: string; config: { name: string } }[]).map(
    (l) => ({
      className: l.className,
      name: l.config.name,
    }),
  );
  await withH5(weights, path, (read) => loadWeights(model, entries, read));
  return model;
}
