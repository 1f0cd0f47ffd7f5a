// io/keras/convert-model: a Keras model config (Sequential or Functional) as a Tessera model config.
// Handles both inbound-node styles: Keras 3's {args, kwargs} with __keras_tensor__ references and
// Keras 2's (TensorFlow.js) [[layer, node, tensor, kwargs], ...]. Also returns the Keras layers in
// model order, which is the order their weights are stored in.
import { describe } from "../../core/config.js";
import { ConfigError } from "../../core/errors.js";
import type { ConfigObject, ConfigValue, Serialized } from "../../nn/config.js";
import { isPlainObject } from "../../nn/config.js";
import { checkConverted, convertLayer } from "./convert-layer.js";

/** A Keras layer of the model: its class (Keras spelling) and name. */
export interface KerasLayerRef {
  readonly kerasClass: string;
  readonly name: string;
  /** For a model used as a layer: its own conversion (its weights sit under its own layers/). */
  readonly nested?: ConvertedModel;
}

export interface ConvertedModel {
  readonly serialized: Serialized;
  /** Every layer in the model's order, input layers included. */
  readonly layers: readonly KerasLayerRef[];
}

type TensorRef = [string, number, number];

function ref(op: string, value: unknown): TensorRef {
  if (
    Array.isArray(value) &&
    typeof value[0] === "string" &&
    Number.isInteger(value[1]) &&
    Number.isInteger(value[2])
  ) {
    return [value[0], value[1] as number, value[2] as number];
  }
  throw new ConfigError(`${op}: expected a tensor reference [layer, node, index] (got ${describe(value)})`);
}

/** Keras's input_layers / output_layers: one reference or a list of them. */
function refList(op: string, value: unknown): TensorRef[] {
  if (Array.isArray(value) && typeof value[0] === "string") return [ref(op, value)];
  if (Array.isArray(value)) return value.map((v) => ref(op, v));
  throw new ConfigError(`${op}: expected tensor references (got ${describe(value)})`);
}

function isKerasTensor(value: unknown): value is { config: { keras_history: unknown } } {
  return isPlainObject(value) && value.class_name === "__keras_tensor__" && isPlainObject(value.config);
}

/** Keras 3 call arguments that select the call's options rather than inputs. */
const CALL_OPTIONS: Readonly<Record<string, string>> = {
  use_causal_mask: "useCausalMask",
  return_attention_scores: "returnAttentionScores",
};

/** null, or a list of nulls (no masks given to a merge). */
function isNullish(value: unknown): boolean {
  return value === null || (Array.isArray(value) && value.every((v) => v === null));
}

/** One Keras 3 inbound node {args, kwargs} as Tessera's {inputs, inputIsList}. */
function keras3Node(layer: string, node: unknown, config: Record<string, ConfigValue>): ConfigObject {
  const op = `layer "${layer}"`;
  if (!isPlainObject(node) || !Array.isArray(node.args)) {
    throw new ConfigError(`${op}: expected an inbound node {args, kwargs} (got ${describe(node)})`);
  }
  const args = node.args;
  const tensors = (list: readonly unknown[]): TensorRef[] =>
    list.map((a) => {
      if (!isKerasTensor(a)) throw new ConfigError(`${op}: call argument ${describe(a)} is not a tensor`);
      return ref(op, a.config.keras_history);
    });
  let inputs: TensorRef[];
  let inputIsList: boolean;
  if (args.length === 1 && Array.isArray(args[0])) [inputs, inputIsList] = [tensors(args[0]), true];
  else [inputs, inputIsList] = [tensors(args), args.length > 1];
  const kwargs = isPlainObject(node.kwargs) ? node.kwargs : {};
  for (const [key, value] of Object.entries(kwargs)) {
    const option = CALL_OPTIONS[key];
    if (option !== undefined) config[option] = value as ConfigValue;
    else if (key === "key" && isKerasTensor(value)) {
      inputs.push(ref(op, value.config.keras_history));
      inputIsList = true;
    } else if (!isNullish(value) && key !== "training") {
      throw new ConfigError(`${op}: the call argument ${key}=${describe(value)} is not supported`);
    }
  }
  return { inputs, inputIsList };
}

/** One Keras 2 inbound node [[layer, node, tensor, kwargs], ...] as Tessera's. */
function keras2Node(layer: string, node: unknown): ConfigObject {
  const op = `layer "${layer}"`;
  if (!Array.isArray(node))
    throw new ConfigError(`${op}: expected an inbound node list (got ${describe(node)})`);
  const inputs = node.map((entry) => {
    const kwargs = Array.isArray(entry) ? entry[3] : undefined;
    if (isPlainObject(kwargs) && Object.values(kwargs).some((v) => v !== null && typeof v !== "boolean")) {
      throw new ConfigError(`${op}: call arguments ${describe(kwargs)} are not supported`);
    }
    return ref(op, entry);
  });
  return { inputs, inputIsList: inputs.length > 1 };
}

const MODEL_CLASSES = new Set(["Sequential", "Functional", "Model"]);

/** The conversion of `entry` when it is a model used as a layer, else undefined. */
function nestedModel(entry: unknown): ConvertedModel | undefined {
  if (!isPlainObject(entry) || typeof entry.class_name !== "string" || !MODEL_CLASSES.has(entry.class_name)) {
    return undefined;
  }
  return convertModel(entry);
}

/** A serialized Keras model ({class_name: "Sequential" | "Functional" | "Model", config}). */
export function convertModel(serialized: unknown): ConvertedModel {
  if (!isPlainObject(serialized) || !isPlainObject(serialized.config)) {
    throw new ConfigError(`expected a Keras model {class_name, config} (got ${describe(serialized)})`);
  }
  const kind = serialized.class_name;
  const config = serialized.config;
  const entries = config.layers;
  if (!Array.isArray(entries)) throw new ConfigError(`Keras ${String(kind)} config has no layers list`);
  const name = typeof config.name === "string" ? config.name : "model";
  const layers: KerasLayerRef[] = [];
  const note = (entry: unknown, converted: Serialized, nested?: ConvertedModel): void => {
    const kerasClass = isPlainObject(entry) && typeof entry.class_name === "string" ? entry.class_name : "";
    const ref = { kerasClass, name: String(converted.config.name) };
    layers.push(nested === undefined ? ref : { ...ref, nested });
  };
  if (kind === "Sequential") {
    const out: ConfigValue[] = entries.map((entry, i) => {
      const nested = nestedModel(entry);
      const converted = nested?.serialized ?? checkConverted(convertLayer(entry, `layer_${i}`));
      note(entry, converted, nested);
      return converted as unknown as ConfigValue;
    });
    // no InputLayer: Keras 2 / tfjs keep the shape on the first layer, Keras 3 in build_input_shape
    const first = out[0];
    const firstRaw = isPlainObject(entries[0]) && isPlainObject(entries[0].config) ? entries[0].config : {};
    const shape = firstRaw.batch_input_shape ?? config.build_input_shape;
    if (isPlainObject(first) && first.className !== "InputLayer" && Array.isArray(shape)) {
      const input: Record<string, ConfigValue> = {
        name: `${name}_input`,
        batchShape: shape as ConfigValue[],
      };
      if (typeof firstRaw.dtype === "string" && firstRaw.dtype.startsWith("int")) input.dtype = "int32";
      out.unshift({ className: "InputLayer", config: input });
    }
    return { serialized: { className: "Sequential", config: { name, layers: out } }, layers };
  }
  if (kind !== "Functional" && kind !== "Model") {
    throw new ConfigError(
      `the Keras model class ${describe(kind)} is not supported (Sequential or Functional)`,
    );
  }
  const out = entries.map((entry, i) => {
    const nested = nestedModel(entry);
    const converted = nested?.serialized ?? convertLayer(entry, `layer_${i}`);
    const layerName = String(converted.config.name);
    const nodes = isPlainObject(entry) && Array.isArray(entry.inbound_nodes) ? entry.inbound_nodes : [];
    const callOptions: Record<string, ConfigValue> = {};
    const inboundNodes = nodes.map((node) =>
      Array.isArray(node) ? keras2Node(layerName, node) : keras3Node(layerName, node, callOptions),
    );
    const checked =
      nested !== undefined
        ? converted
        : checkConverted({ className: converted.className, config: { ...converted.config, ...callOptions } });
    note(entry, checked, nested);
    return { ...checked, inboundNodes } as unknown as ConfigValue;
  });
  const op = `Keras model "${name}"`;
  const inputs = refList(op, config.input_layers);
  const outputs = refList(op, config.output_layers);
  const functional: ConfigObject = {
    name,
    layers: out,
    inputLayers: inputs,
    outputLayers: outputs,
    inputIsList: inputs.length > 1,
    outputIsList: outputs.length > 1,
  };
  return { serialized: { className: "Functional", config: functional }, layers };
}
