// io/interchange/keras-config: Keras layer and model configs (Keras 3 config.json, and the Keras 2
// topology of TensorFlow.js model.json) as Tessera serialized configs. Option names go from
// snake_case to camelCase; initializers, regularizers and constraints are dropped (the weights are
// loaded afterwards); an option Tessera cannot honour (a non-default Keras-only setting) is an
// error naming the layer and the option, never silently ignored. Layer: io.
import { ConfigError, FormatError } from "../../core/errors.js";
import type { ConfigObject, ConfigValue } from "../../nn/config.js";

type Json = ConfigValue;
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** Keras options with no effect on inference once the weights are loaded. */
const DROPPED =
  /(_initializer|_regularizer|_constraint)$|^(quantization_config|unroll|seed|build_config|batch_input_shape|input_dtype|lora_rank|lora_alpha)$/;

/** Keras-only options accepted at their default values (anything else cannot be honoured). */
const ONLY_DEFAULT: Record<string, Json[]> = {
  noise_shape: [null],
  renorm: [false],
  renorm_clipping: [null],
  renorm_momentum: [0.99],
  synchronized: [false],
  // attention over the time axis of (batch, time, features), as Tessera's attention does
  attention_axes: [null, [1], 1, [-2]],
  sliding_window: [null],
  use_gate: [false],
  rms_scaling: [false],
  sparse: [false],
  ragged: [false],
  optional: [false],
  implementation: [1, 2],
  time_major: [false],
  flash_attention: [null],
};

/** Keras's class names where Tessera's differ. */
const CLASS_NAMES: Record<string, string> = { Model: "Functional" };

const camel = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A Keras dtype (a string or a DTypePolicy) as a Tessera layer dtype; null for float32. */
function layerDType(where: string, value: Json): string | null {
  const name = isObject(value) ? (isObject(value.config) ? value.config.name : null) : value;
  if (name === null || name === undefined || name === "float32") return null;
  if (name === "float64") return "float64";
  throw new ConfigError(`${where}: dtype ${JSON.stringify(name)} is not supported (float32 or float64)`);
}

/** A Keras {class_name, config} layer entry as Tessera's {className, config}. */
export function kerasLayer(entry: Json, where: string): { className: string; config: ConfigObject } {
  if (!isObject(entry) || typeof entry.class_name !== "string" || !isObject(entry.config))
    throw new FormatError(
      `${where}: a layer must be {class_name, config} (got ${JSON.stringify(entry)?.slice(0, 80)})`,
    );
  const className = CLASS_NAMES[entry.class_name] ?? entry.class_name;
  const source = entry.config;
  const at = `${where}: layer "${String(source.name ?? "?")}" (${className})`;
  if (className === "InputLayer") return { className, config: inputLayer(source, at) };
  const config: Record<string, ConfigValue> = {};
  for (const [key, value] of Object.entries(source)) {
    if (DROPPED.test(key)) continue;
    if (key in ONLY_DEFAULT) {
      if (!ONLY_DEFAULT[key]!.some((ok) => JSON.stringify(ok) === JSON.stringify(value)))
        throw new ConfigError(
          `${at}: the Keras option ${key}=${JSON.stringify(value)} has no Tessera equivalent`,
        );
      continue;
    }
    if (key === "dtype") {
      const dtype = layerDType(at, value);
      if (dtype !== null) config.dtype = dtype;
      continue;
    }
    if ((key === "layer" || key === "backward_layer") && value !== null) {
      config[camel(key)] = kerasLayer(value, where) as unknown as ConfigValue;
      continue;
    }
    if (key === "backward_layer") continue;
    config[camel(key)] = value;
  }
  return { className, config };
}

function inputLayer(source: JsonObject, where: string): ConfigObject {
  const shape = source.batch_shape ?? source.batch_input_shape;
  if (!Array.isArray(shape)) throw new FormatError(`${where}: batch_shape must be a list`);
  const dtype = typeof source.dtype === "string" ? source.dtype : "float32";
  const tesseraDType =
    dtype.startsWith("int") || dtype.startsWith("uint") ? "int32" : dtype === "bool" ? "bool" : dtype;
  return { name: String(source.name), batchShape: shape, dtype: tesseraDType };
}

/** A Keras tensor reference [layer, node, index] from a Keras 3 __keras_tensor__ or a Keras 2 list. */
function tensorRef(value: Json, where: string): [string, number, number] {
  if (isObject(value) && isObject(value.config) && Array.isArray(value.config.keras_history)) {
    return value.config.keras_history as [string, number, number];
  }
  if (Array.isArray(value) && typeof value[0] === "string")
    return [value[0], Number(value[1]), Number(value[2])];
  throw new FormatError(`${where}: expected a tensor reference (got ${JSON.stringify(value)?.slice(0, 80)})`);
}

/** A Keras inbound node as Tessera's {inputs, inputIsList}. */
function inboundNode(
  node: Json,
  where: string,
): { inputs: [string, number, number][]; inputIsList: boolean } {
  // Keras 3: {args: [...], kwargs: {}}; Keras 2 (tfjs): [[name, node, index, kwargs], ...]
  if (isObject(node)) {
    const args = Array.isArray(node.args) ? node.args : [];
    if (args.length === 1 && Array.isArray(args[0]) && !(typeof args[0][0] === "string"))
      return { inputs: args[0].map((a) => tensorRef(a, where)), inputIsList: true };
    return { inputs: args.map((a) => tensorRef(a, where)), inputIsList: args.length > 1 };
  }
  if (Array.isArray(node)) {
    const inputs = node.map((a) => tensorRef(a, where));
    return { inputs, inputIsList: inputs.length > 1 };
  }
  throw new FormatError(`${where}: an inbound node must be an object or a list`);
}

/** input_layers / output_layers: one reference or a list of them. */
function refList(value: Json, where: string): [string, number, number][] {
  if (Array.isArray(value) && typeof value[0] === "string") return [tensorRef(value, where)];
  if (Array.isArray(value)) return value.map((v) => tensorRef(v, where));
  throw new FormatError(`${where}: expected tensor references`);
}

/** A Keras Sequential or Functional model config as a Tessera serialized model. */
export function kerasModel(entry: Json, where: string): { className: string; config: ConfigObject } {
  if (!isObject(entry) || !isObject(entry.config))
    throw new FormatError(`${where}: the model config must be an object`);
  const className = CLASS_NAMES[String(entry.class_name)] ?? String(entry.class_name);
  const source = entry.config;
  const layers = source.layers;
  if (!Array.isArray(layers)) throw new FormatError(`${where}: the model config has no layers list`);
  const name = typeof source.name === "string" ? source.name : "model";
  if (className === "Sequential") {
    return {
      className,
      config: { name, layers: layers.map((l) => kerasLayer(l, where) as unknown as ConfigValue) },
    };
  }
  if (className !== "Functional")
    throw new FormatError(`${where}: model class ${className} is not supported`);
  const converted = layers.map((l) => {
    const layer = kerasLayer(l, where);
    const nodes = isObject(l) && Array.isArray(l.inbound_nodes) ? l.inbound_nodes : [];
    return {
      ...layer,
      inboundNodes: nodes.map((n) => inboundNode(n, `${where}: layer "${layer.config.name}"`)),
    };
  });
  const inputs = refList(source.input_layers ?? null, `${where}: input_layers`);
  const outputs = refList(source.output_layers ?? null, `${where}: output_layers`);
  return {
    className,
    config: {
      name,
      layers: converted as unknown as ConfigValue,
      inputLayers: inputs,
      outputLayers: outputs,
      inputIsList: inputs.length > 1,
      outputIsList: outputs.length > 1,
    },
  };
}
