// io/keras/convert-layer: one Keras layer config (Keras 3 `.keras` or the Keras 2 style of a
// TensorFlow.js topology) to Tessera's {className, config}. Tessera's layer configs are Keras's
// with camelCase keys, so this is mostly renaming: snake_case keys become camelCase, nested
// {class_name, config} objects become {className, config}, and initializers (irrelevant once the
// weights are loaded) and Keras-only options that do not change inference are dropped. A class
// Tessera lacks, or an option with no Tessera equivalent, is a ConfigError naming the layer.
import { describe } from "../../core/config.js";
import { ConfigError } from "../../core/errors.js";
import type { ConfigObject, ConfigValue, Serialized } from "../../nn/config.js";
import { isPlainObject } from "../../nn/config.js";
import { layerClass } from "../../nn/registry.js";

/** Keras class names that Tessera spells differently. */
const CLASS_ALIASES: Readonly<Record<string, string>> = {
  Convolution1D: "Conv1D",
  Convolution2D: "Conv2D",
  MaxPool1D: "MaxPooling1D",
  MaxPool2D: "MaxPooling2D",
  AvgPool1D: "AveragePooling1D",
  AvgPool2D: "AveragePooling2D",
  GlobalAvgPool1D: "GlobalAveragePooling1D",
  GlobalAvgPool2D: "GlobalAveragePooling2D",
  GlobalMaxPool1D: "GlobalMaxPooling1D",
  GlobalMaxPool2D: "GlobalMaxPooling2D",
};

/** Keras options with no effect on a loaded model's predictions, dropped when at these values. */
const DROPPED_AT: Readonly<Record<string, readonly ConfigValue[] | "any">> = {
  quantizationConfig: [null],
  loraRank: [null],
  loraAlpha: [null],
  sparse: [false],
  ragged: [false],
  optional: [false],
  synchronized: [false],
  renorm: [false],
  renormClipping: [null],
  renormMomentum: "any",
  rmsScaling: [false],
  flashAttention: [null, false],
  unroll: [false],
  implementation: "any",
  timeMajor: [false],
  batchInputShape: "any",
  batchSize: [null],
  inputShape: "any",
  inputLength: "any",
  gradientCheckpointing: [false],
  embeddingsRegularizer: [null],
  activityRegularizer: [null],
};

export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A Keras activation (a name, or a serialized function) as a Tessera activation name. */
function activation(layer: string, value: unknown): ConfigValue {
  if (typeof value === "string") return value;
  if (isPlainObject(value) && typeof value.config === "string") return value.config;
  if (isPlainObject(value) && typeof value.class_name === "string" && typeof value.config === "object") {
    const name = value.class_name;
    if (name === "function" || name === "__function__") {
      throw new ConfigError(`layer "${layer}": custom activation functions cannot be imported`);
    }
  }
  throw new ConfigError(`layer "${layer}": unsupported activation ${describe(value)}`);
}

/** A Keras dtype (a string or a DTypePolicy object) as a Tessera dtype. */
function dtype(layer: string, value: unknown): string {
  const name = isPlainObject(value) && isPlainObject(value.config) ? value.config.name : value;
  if (name === "float32" || name === "float64" || name === "int32" || name === "bool") return name;
  if (name === "int64") return "int32";
  throw new ConfigError(`layer "${layer}": dtype ${describe(name)} is not supported (float32 or float64)`);
}

/** A nested Keras object ({class_name, config}) as Tessera's {className, config}. */
function nested(layer: string, value: unknown): ConfigValue {
  if (value === null) return null;
  if (!isPlainObject(value) || typeof value.class_name !== "string") {
    throw new ConfigError(`layer "${layer}": expected a serialized object (got ${describe(value)})`);
  }
  const config: Record<string, ConfigValue> = {};
  if (isPlainObject(value.config)) {
    for (const [k, v] of Object.entries(value.config)) config[camelCase(k)] = v as ConfigValue;
  }
  return { className: value.class_name, config };
}

/** Keys that hold a nested layer ({class_name, config}): wrappers such as Bidirectional. */
const LAYER_KEYS = new Set(["layer", "backwardLayer"]);

/** Keras InputLayer config (Keras 3 batch_shape, Keras 2 batch_input_shape) as Tessera's. */
function inputLayerConfig(name: string, config: Record<string, unknown>): ConfigObject {
  const shape = config.batch_shape ?? config.batch_input_shape;
  if (!Array.isArray(shape)) {
    throw new ConfigError(`InputLayer "${name}": no batch_shape (got ${describe(config)})`);
  }
  return { name, batchShape: shape as ConfigValue[], dtype: dtype(name, config.dtype ?? "float32") };
}

/**
 * One serialized Keras layer ({class_name, config}) as Tessera's {className, config}, checked
 * against Tessera's class (its fromConfig rejects unknown options).
 */
export function convertLayer(serialized: unknown, fallbackName = "layer"): Serialized {
  if (!isPlainObject(serialized) || typeof serialized.class_name !== "string") {
    throw new ConfigError(`expected a Keras layer {class_name, config} (got ${describe(serialized)})`);
  }
  const kerasClass = serialized.class_name;
  const raw = isPlainObject(serialized.config) ? serialized.config : {};
  const name = typeof raw.name === "string" ? raw.name : fallbackName;
  if (kerasClass === "InputLayer") return { className: "InputLayer", config: inputLayerConfig(name, raw) };
  const className = CLASS_ALIASES[kerasClass] ?? kerasClass;
  if (["Sequential", "Functional", "Model"].includes(className)) {
    throw new ConfigError(
      `layer "${name}": a model nested in a model (${kerasClass}) is not supported; flatten it first`,
    );
  }
  if (layerClass(className) === undefined) {
    throw new ConfigError(`layer "${name}": the Keras layer class ${kerasClass} has no Tessera equivalent`);
  }
  const config: Record<string, ConfigValue> = {};
  for (const [rawKey, value] of Object.entries(raw)) {
    const key = camelCase(rawKey);
    const dropped = DROPPED_AT[key];
    if (dropped === "any" || dropped?.some((v) => v === value)) continue;
    if (key.endsWith("Initializer")) continue;
    // attention over the sequence axis of (B, T, C) inputs, Tessera's only form
    if (key === "attentionAxes" && (value === null || (Array.isArray(value) && value.join() === "1")))
      continue;
    if (key === "dtype") config.dtype = dtype(name, value);
    else if (key === "activation" || key === "recurrentActivation") config[key] = activation(name, value);
    else if (LAYER_KEYS.has(key)) config[key] = value === null ? null : convertLayer(value, `${name}_${key}`);
    else if (key.endsWith("Regularizer") || key.endsWith("Constraint")) config[key] = nested(name, value);
    else if (key === "dataFormat" && value !== "channels_last") {
      throw new ConfigError(
        `layer "${name}": data_format ${describe(value)} is not supported (channels_last)`,
      );
    } else config[key] = value as ConfigValue;
  }
  return { className, config };
}

/**
 * Options Tessera's class may lack, at the value that means "off" in Keras: dropped when the class
 * rejects them, kept otherwise (so a Tessera class that knows the option still sees it).
 */
const NEUTRAL: Readonly<Record<string, ConfigValue>> = {
  dataFormat: "channels_last",
  useGate: false,
  keepdims: false,
  dilationRate: 1,
  unitForgetBias: true,
  resetAfter: false,
  useCausalMask: false,
  returnAttentionScores: false,
  slidingWindow: null,
};

const UNKNOWN_OPTION = /unknown option "([A-Za-z0-9_]+)"/;
const NULL_REJECTED = /: ([A-Za-z0-9_]+) [^:]*\(got null\)$/;

/**
 * Checks `serialized` against Tessera's class by building it, dropping neutral options the class
 * does not know; any other rejection is a ConfigError naming the Keras layer.
 */
export function checkConverted(serialized: Serialized): Serialized {
  const cls = layerClass(serialized.className);
  const name = typeof serialized.config.name === "string" ? serialized.config.name : serialized.className;
  const config: Record<string, ConfigValue> = { ...serialized.config };
  for (;;) {
    try {
      cls?.fromConfig(config);
      return { className: serialized.className, config };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const option = UNKNOWN_OPTION.exec(error.message)?.[1];
      if (option !== undefined && option in NEUTRAL && sameValue(config[option], NEUTRAL[option]!)) {
        delete config[option];
        continue;
      }
      // tfjs writes null for options left at their default; Tessera then uses its own default
      const nullOption = NULL_REJECTED.exec(error.message)?.[1];
      if (nullOption !== undefined && config[nullOption] === null) {
        delete config[nullOption];
        continue;
      }
      throw new ConfigError(`layer "${name}" (${serialized.className}): ${error.message}`);
    }
  }
}

function sameValue(value: ConfigValue | undefined, neutral: ConfigValue): boolean {
  if (Array.isArray(value)) return value.every((v) => v === neutral);
  return value === neutral;
}
