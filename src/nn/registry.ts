// nn/registry: the closed registry of layer classes for deserialization. A config names a class by
// a registered string, matched exactly; nothing in a config can name code. Custom layers are
// registered by the program that loads them: registerLayer("MyLayer", MyLayer).
import { describe } from "../core/config.js";
import { ConfigError } from "../core/errors.js";
import { Registry } from "../core/registry.js";
import { type ConfigObject, checkConfigObject, isPlainObject, type Serialized } from "./config.js";
import type { Layer } from "./layer.js";

/** Anything that can rebuild a layer from its config (every Layer subclass). */
export interface LayerClass {
  fromConfig(config: ConfigObject): Layer;
}

const LAYERS = new Registry<LayerClass>({
  kind: "layer class",
  match: "exact",
  hint: (name) => `register custom layers with registerLayer("${name}", cls) before loading`,
});

/** Makes `className` loadable from configs. Re-registering a name replaces the class. */
export function registerLayer(className: string, cls: LayerClass): void {
  if (typeof className !== "string" || !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(className)) {
    throw new ConfigError(`registerLayer: class name must be an identifier (got ${describe(className)})`);
  }
  LAYERS.register(className, cls);
}

/** Names of every registered layer class. */
export function registeredLayers(): string[] {
  return LAYERS.names().sort();
}

/** The class registered under exactly `className`, or undefined. */
export function layerClass(className: string): LayerClass | undefined {
  return LAYERS.get(className);
}

/** {className, config} of a layer. */
export function serializeLayer(layer: Layer): Serialized {
  return { className: layer.className, config: layer.getConfig() };
}

/** Rebuilds a layer from {className, config}; the class must be registered. */
export function deserializeLayer(serialized: unknown): Layer {
  if (!isPlainObject(serialized) || typeof serialized.className !== "string") {
    throw new ConfigError(`deserializeLayer: expected {className, config} (got ${describe(serialized)})`);
  }
  const cls = LAYERS.require("deserializeLayer", serialized.className).value;
  const config = checkConfigObject(`${serialized.className} config`, serialized.config ?? {});
  return cls.fromConfig(config);
}
