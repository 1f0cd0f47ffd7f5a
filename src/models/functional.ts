// models/functional: a model defined by a graph of layer calls on symbolic tensors,
// model({inputs, outputs}). Several inputs and outputs, shared layers and nested models (a model
// is a layer, so calling one on symbolic tensors records one node) are supported. The config lists
// each layer with the nodes it was called at, so fromConfig replays the calls.
import { ConfigError, ShapeError, ValueError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
import {
  type ConfigObject,
  type ConfigValue,
  checkConfigObject,
  describe,
  isPlainObject,
} from "../nn/config.js";
import type { CallContext, Layer, LayerInputs, LayerShape } from "../nn/layer.js";
import { InputLayer } from "../nn/layers/input.js";
import { deserializeLayer, registerLayer, serializeLayer } from "../nn/registry.js";
import { formatSymbolicShape, type Node, type SymbolicShape, SymbolicTensor } from "../nn/symbolic-tensor.js";
import { Tensor } from "../tensor/tensor.js";
import { mapGraph } from "./graph.js";
import { Model, type ModelArgs } from "./model.js";

export interface FunctionalArgs extends ModelArgs {
  /** The input placeholders (from input()). */
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  /** The tensors the model returns. */
  outputs: SymbolicTensor | readonly SymbolicTensor[];
}

/** A reference to one output of one node: [layer name, node index in this model, output index]. */
type TensorRef = [string, number, number];

function toList(op: string, key: string, value: unknown): SymbolicTensor[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((t) => t instanceof SymbolicTensor)) {
    throw new ValueError(
      `${op}: ${key} must be a SymbolicTensor or a non-empty list of them (got ${describe(value)})`,
    );
  }
  return list as SymbolicTensor[];
}

/**
 * A model from a graph of layer calls.
 * @example
 * const a = input({ shape: [4] });
 * const b = input({ shape: [3] });
 * const h = layers.concatenate().apply([a, b]);
 * const m = model({ inputs: [a, b], outputs: layers.dense({ units: 1 }).apply(h) });
 */
export class Functional extends Model {
  static override readonly className: string = "Functional";
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  /** Nodes of this model's graph in execution order, grouped by depth for the summary. */
  readonly graphNodes: readonly Node[];
  readonly nodesByDepth: ReadonlyMap<number, Node[]>;
  private readonly orderedLayers: Layer[];
  private readonly singleInput: boolean;

  constructor(args: FunctionalArgs) {
    super({ name: args.name, trainable: args.trainable });
    const op = "model";
    this.inputs = toList(op, "inputs", args.inputs);
    this.outputs = toList(op, "outputs", args.outputs);
    this.singleInput = !Array.isArray(args.inputs);
    for (const t of this.inputs) {
      if (!(t.node.layer instanceof InputLayer)) {
        throw new ValueError(
          `${op}: inputs must come from input() (got the output of layer "${t.node.layer.name}")`,
        );
      }
    }
    if (new Set(this.inputs).size !== this.inputs.length)
      throw new ValueError(`${op}: the same input is listed twice`);
    const graph = mapGraph(op, this.inputs, this.outputs);
    this.graphNodes = graph.nodes;
    this.nodesByDepth = graph.nodesByDepth;
    this.orderedLayers = graph.layers;
    this.autocast = false;
    this.built = true;
    const shapes = this.inputs.map((t) => t.shape);
    this.buildInputShape = this.singleInput ? shapes[0]! : shapes;
    if (args.trainable === false) this.trainable = false;
  }

  override get layers(): Layer[] {
    return [...this.orderedLayers];
  }

  override childLayers(): readonly Layer[] {
    return this.orderedLayers;
  }

  override get inputNames(): string[] {
    return this.inputs.map((t) => t.node.layer.name);
  }

  override get outputNames(): string[] {
    return this.outputs.map((t) => t.node.layer.name);
  }

  override get inputShapes(): SymbolicShape[] {
    return this.inputs.map((t) => t.shape);
  }

  override get outputShapes(): SymbolicShape[] {
    return this.outputs.map((t) => t.shape);
  }

  /** Runs the graph: one tensor (or a list, one per input, in `inputs` order) in, the outputs out. */
  override call(inputs: LayerInputs, context: CallContext): Tensor | Tensor[] {
    const given = inputs instanceof Tensor ? [inputs] : [...inputs];
    if (given.length !== this.inputs.length) {
      throw new ValueError(
        `${this.name}: expected ${this.inputs.length} input tensor(s) (got ${given.length})`,
      );
    }
    const values = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((placeholder, i) => {
      const x = given[i]!;
      const want = placeholder.shape;
      if (x.rank !== want.length || want.some((d, k) => d !== null && d !== x.shape[k])) {
        throw new ShapeError(
          `${this.name}: input "${placeholder.name}" expects shape ${formatSymbolicShape(want)} (got ${formatShape(x.shape)})`,
        );
      }
      values.set(placeholder, x);
    });
    for (const node of this.graphNodes) {
      if (node.isInput) continue;
      const args = node.inputs.map((t) => values.get(t)!);
      const outs = node.layer.applyMulti(node.inputIsList ? args : args[0]!, { training: context.training });
      node.outputs.forEach((t, i) => {
        values.set(t, outs[i]!);
      });
    }
    const outs = this.outputs.map((t) => values.get(t)!);
    return outs.length === 1 ? outs[0]! : outs;
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const given =
      this.inputs.length === 1 && !Array.isArray(inputShape[0])
        ? [inputShape as SymbolicShape]
        : (inputShape as readonly SymbolicShape[]);
    const shapes = new Map<SymbolicTensor, SymbolicShape>();
    this.inputs.forEach((t, i) => {
      shapes.set(t, given[i] ?? t.shape);
    });
    for (const node of this.graphNodes) {
      if (node.isInput) continue;
      const args = node.inputs.map((t) => shapes.get(t)!);
      const out = node.layer.computeOutputShape(node.inputIsList ? args : args[0]!);
      const outs = node.outputs.length === 1 ? [out as SymbolicShape] : (out as readonly SymbolicShape[]);
      node.outputs.forEach((t, i) => {
        shapes.set(t, outs[i]!);
      });
    }
    const outs = this.outputs.map((t) => shapes.get(t)!);
    return outs.length === 1 ? outs[0]! : outs;
  }

  /** Index of a node among the nodes of its layer that belong to this model. */
  private localNodeIndex(node: Node): number {
    const own = new Set(this.graphNodes);
    return node.layer.inboundNodes.filter((n) => own.has(n)).indexOf(node);
  }

  private ref(t: SymbolicTensor): TensorRef {
    return [t.node.layer.name, this.localNodeIndex(t.node), t.outputIndex];
  }

  override getConfig(): ConfigObject {
    const own = new Set(this.graphNodes);
    const layers = this.orderedLayers.map((layer) => {
      const nodes = layer.inboundNodes.filter((n) => own.has(n) && !n.isInput);
      return {
        ...serializeLayer(layer),
        inboundNodes: nodes.map((n) => ({
          inputs: n.inputs.map((t) => this.ref(t)),
          inputIsList: n.inputIsList,
        })),
      };
    });
    return {
      name: this.name,
      trainable: this.trainable,
      layers,
      inputLayers: this.inputs.map((t) => this.ref(t)),
      outputLayers: this.outputs.map((t) => this.ref(t)),
      inputIsList: !this.singleInput,
      outputIsList: this.outputs.length > 1,
    };
  }

  /** Rebuilds the graph from getConfig() output: creates each layer, then replays its calls. */
  static override fromConfig<T extends Layer>(this: new (args: never) => T, config: ConfigObject): T {
    const make = this as unknown as new (args: FunctionalArgs) => T;
    return new make(graphArgs(config));
  }
}
registerLayer("Functional", Functional);

function graphArgs(config: ConfigObject): FunctionalArgs {
  const op = "Functional.fromConfig";
  const cfg = checkConfigObject(op, config);
  const entries = cfg.layers;
  if (!Array.isArray(entries))
    throw new ConfigError(`${op}: layers must be a list (got ${describe(entries)})`);
  const byName = new Map<string, Layer>();
  const pending: { layer: Layer; calls: { inputs: TensorRef[]; inputIsList: boolean }[] }[] = [];
  for (const entry of entries as ConfigValue[]) {
    if (!isPlainObject(entry))
      throw new ConfigError(`${op}: each layer must be an object (got ${describe(entry)})`);
    const layer = deserializeLayer({ className: entry.className, config: entry.config });
    if (byName.has(layer.name)) throw new ConfigError(`${op}: the layer name "${layer.name}" appears twice`);
    byName.set(layer.name, layer);
    const nodes = entry.inboundNodes ?? [];
    if (!Array.isArray(nodes)) throw new ConfigError(`${op}: inboundNodes of "${layer.name}" must be a list`);
    pending.push({
      layer,
      calls: nodes.map((n: unknown) => {
        if (!isPlainObject(n) || !Array.isArray(n.inputs)) {
          throw new ConfigError(
            `${op}: each inbound node of "${layer.name}" needs an inputs list (got ${describe(n)})`,
          );
        }
        return { inputs: n.inputs.map((r: unknown) => checkRef(op, r)), inputIsList: n.inputIsList === true };
      }),
    });
  }
  // outputs of replayed nodes by [layer, local node index, output index]; input layers own node 0
  const produced = new Map<string, SymbolicTensor>();
  const key = (r: TensorRef): string => JSON.stringify(r);
  for (const { layer } of pending)
    if (layer instanceof InputLayer) produced.set(key([layer.name, 0, 0]), layer.output);
  const nextNode = new Map<Layer, number>(
    pending.map(({ layer }) => [layer, layer instanceof InputLayer ? 1 : 0]),
  );
  let progress = true;
  while (progress) {
    progress = false;
    for (const { layer, calls } of pending) {
      const offset = layer instanceof InputLayer ? 1 : 0;
      let k = nextNode.get(layer)!;
      while (k - offset < calls.length) {
        const call = calls[k - offset]!;
        const args = call.inputs.map((r) => produced.get(key(r)));
        if (args.some((a) => a === undefined)) break;
        const tensors = args as SymbolicTensor[];
        const outs = layer.applyMulti(call.inputIsList ? tensors : tensors[0]!);
        outs.forEach((t, i) => {
          produced.set(key([layer.name, k, i]), t);
        });
        k++;
        progress = true;
      }
      nextNode.set(layer, k);
    }
  }
  for (const { layer, calls } of pending) {
    const offset = layer instanceof InputLayer ? 1 : 0;
    if (nextNode.get(layer)! - offset < calls.length) {
      throw new ConfigError(
        `${op}: cannot replay the calls of layer "${layer.name}" (an input it needs is never produced)`,
      );
    }
  }
  const lookup = (what: string, value: unknown): SymbolicTensor[] => {
    if (!Array.isArray(value))
      throw new ConfigError(`${op}: ${what} must be a list (got ${describe(value)})`);
    return value.map((r: unknown) => {
      const t = produced.get(key(checkRef(op, r)));
      if (t === undefined) throw new ConfigError(`${op}: ${what} names an unknown tensor ${describe(r)}`);
      return t;
    });
  };
  const inputs = lookup("inputLayers", cfg.inputLayers);
  const outputs = lookup("outputLayers", cfg.outputLayers);
  const args: FunctionalArgs = {
    inputs: cfg.inputIsList === true || inputs.length > 1 ? inputs : inputs[0]!,
    outputs: cfg.outputIsList === true || outputs.length > 1 ? outputs : outputs[0]!,
  };
  if (typeof cfg.name === "string") args.name = cfg.name;
  if (typeof cfg.trainable === "boolean") args.trainable = cfg.trainable;
  return args;
}

function checkRef(op: string, value: unknown): TensorRef {
  if (
    !Array.isArray(value) ||
    value.length !== 3 ||
    typeof value[0] !== "string" ||
    !Number.isInteger(value[1]) ||
    !Number.isInteger(value[2]) ||
    value[1] < 0 ||
    value[2] < 0
  ) {
    throw new ConfigError(
      `${op}: a tensor reference must be [layerName, nodeIndex, outputIndex] (got ${describe(value)})`,
    );
  }
  return value as TensorRef;
}

/**
 * A functional model from symbolic inputs and outputs (Keras `keras.Model(inputs, outputs)`).
 * @example
 * const x = input({ shape: [8] });
 * const m = model({ inputs: x, outputs: layers.dense({ units: 2 }).apply(x) });
 */
export function model(args: FunctionalArgs): Functional {
  return new Functional(args);
}
