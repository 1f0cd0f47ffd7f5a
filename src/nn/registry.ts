// nn/registry: the closed registry of layer classes for deserialization. A config names a class by
// a registered string; nothing in a config can name code. Custom layers are registered by the
// program that loads them: registerLayer("MyLayer", MyLayer).
import { ConfigError } from "../core/errors.js";
import { type ConfigObject, checkConfigObject, describe, isPlainObject, type Serialized } from "./config.js";
import type { Layer } from "./layer.js";

/** Anything that can rebuild a layer from its config (every Layer subclass). */
export interface LayerClass {
  fromConfig(config: ConfigObject): Layer;
}

const registry = new Map<string, LayerClass>();

/** Makes `className` loadable from configs. Re-registering a name replaces the class. */
export function registerLayer(className: string, cls: LayerClass): void {
  if (typeof className !== "string" || !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(className)) {
    throw new ConfigError(`registerLayer: class name must be an identifier (got ${describe(className)})`);
  }
  registry.set(className, cls);
}

/** Names of every registered layer class. */
export function registeredLayers(): string[] {
  return [...registry.keys()].sort();
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
  const cls = registry.get(serialized.className);
  if (cls === undefined) {
    throw new ConfigError(
      `deserializeLayer: unknown layer class "${serialized.className}"; register custom layers with registerLayer("${serialized.className}", cls) before loading`,
    );
  }
  const config = checkConfigObject(`${serialized.className} config`, serialized.config ?? {});
  return cls.fromConfig(config);
}
