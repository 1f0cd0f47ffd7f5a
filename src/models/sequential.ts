// models/sequential: a plain stack of single-input, single-output layers. When the input shape is
// known (an input() first, or inputShape on the first layer) the stack is traced symbolically at
// once, so output shapes and parameter counts are known before any data; otherwise it is built on
// the first call.
import { ConfigError, ValueError } from "../core/errors.js";
import { type ConfigObject, type ConfigValue, describe, isPlainObject } from "../nn/config.js";
import { type CallContext, Layer, type LayerInputs, type LayerShape } from "../nn/layer.js";
import { InputLayer } from "../nn/layers/input.js";
import { deserializeLayer, registerLayer, serializeLayer } from "../nn/registry.js";
import { isShapeList, type SymbolicShape, SymbolicTensor } from "../nn/symbolic-tensor.js";
import type { Tensor } from "../tensor/tensor.js";
import { Model, type ModelArgs } from "./model.js";

export interface SequentialArgs extends ModelArgs {
  /** The layers, in order; the first may be input({shape}) (or an InputLayer). */
  layers?: readonly (Layer | SymbolicTensor)[];
}

/**
 * A linear stack of layers.
 * @example
 * const m = sequential([
 *   layers.dense({ units: 64, activation: "relu", inputShape: [13] }),
 *   layers.dense({ units: 1 }),
 * ]);
 */
export class Sequential extends Model {
  static override readonly className: string = "Sequential";
  private readonly stack: Layer[] = [];
  private inputLayer: InputLayer | null = null;
  private output: SymbolicTensor | null = null;

  constructor(args: SequentialArgs = {}) {
    super({ name: args.name, trainable: args.trainable });
    const layers = args.layers ?? [];
    if (!Array.isArray(layers))
      throw new ValueError(`sequential: layers must be a list (got ${describe(layers)})`);
    for (const layer of layers) this.add(layer);
    if (args.trainable === false) this.trainable = false;
  }

  /** Appends a layer (or, first of all, an input placeholder) and re-traces the stack if its input is known. */
  add(layer: Layer | SymbolicTensor): void {
    if (layer instanceof SymbolicTensor) {
      if (!(layer.node.layer instanceof InputLayer) || this.stack.length > 0 || this.inputLayer !== null) {
        throw new ValueError(
          "sequential: only an input() placeholder may be added, and only as the first element",
        );
      }
      this.inputLayer = layer.node.layer;
      this.trace();
      return;
    }
    if (layer instanceof InputLayer) {
      this.add(layer.output);
      return;
    }
    if (!(layer instanceof Layer))
      throw new ValueError(`sequential: expected a Layer (got ${describe(layer)})`);
    if (this.stack.some((l) => l.name === layer.name)) {
      throw new ValueError(
        `sequential: all layers must have unique names; "${layer.name}" is already the name of a layer in this model`,
      );
    }
    this.stack.push(layer);
    if (this.inputLayer === null && this.stack.length === 1 && layer.batchInputShape !== null) {
      this.inputLayer = new InputLayer({ batchShape: layer.batchInputShape });
    }
    if (this.inputLayer !== null) this.trace();
  }

  /** Removes the last layer. */
  pop(): Layer {
    const layer = this.stack.pop();
    if (layer === undefined) throw new ValueError("sequential: pop() on a model with no layers");
    if (this.inputLayer !== null) this.trace();
    return layer;
  }

  /** Applies every layer to the input placeholder, which builds them and records their output shapes. */
  private trace(): void {
    let x = this.inputLayer!.output;
    for (const layer of this.stack) {
      const outs = layer.applyMulti(x);
      if (outs.length !== 1) {
        throw new ValueError(
          `sequential: layer "${layer.name}" has ${outs.length} outputs; use model() for multi-output layers`,
        );
      }
      x = outs[0]!;
    }
    this.output = x;
    this.built = true;
    this.buildInputShape = this.inputLayer!.batchShape;
  }

  override build(inputShape: LayerShape): void {
    if (isShapeList(inputShape)) throw new ValueError(`${this.name}: a sequential model takes one input`);
    if (this.inputLayer === null)
      this.inputLayer = new InputLayer({ batchShape: [null, ...inputShape.slice(1)] });
    this.trace();
  }

  override get layers(): Layer[] {
    return [...this.stack];
  }

  override childLayers(): readonly Layer[] {
    return this.stack;
  }

  override get inputNames(): string[] {
    return this.inputLayer === null ? [] : [this.inputLayer.name];
  }

  override get outputNames(): string[] {
    const last = this.stack[this.stack.length - 1];
    return last === undefined ? [] : [last.name];
  }

  override get inputShapes(): SymbolicShape[] {
    return this.inputLayer === null ? [] : [this.inputLayer.batchShape];
  }

  override get outputShapes(): SymbolicShape[] {
    return this.output === null ? [] : [this.output.shape];
  }

  override call(inputs: LayerInputs, context: CallContext): Tensor {
    let x = this.single(inputs);
    for (const layer of this.stack) x = layer.apply(x, { training: context.training });
    return x;
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    let shape = inputShape;
    for (const layer of this.stack) shape = layer.computeOutputShape(shape);
    return shape;
  }

  override getConfig(): ConfigObject {
    const layers: ConfigValue[] = [];
    if (this.inputLayer !== null && this.stack[0]?.batchInputShape == null)
      layers.push(serializeLayer(this.inputLayer));
    for (const layer of this.stack) layers.push(serializeLayer(layer));
    return { name: this.name, trainable: this.trainable, layers };
  }

  static override fromConfig<T extends Layer>(this: new (args: never) => T, config: ConfigObject): T {
    const op = "Sequential.fromConfig";
    const entries = config.layers;
    if (!Array.isArray(entries))
      throw new ConfigError(`${op}: layers must be a list (got ${describe(entries)})`);
    const layers = (entries as ConfigValue[]).map((entry) => {
      if (!isPlainObject(entry))
        throw new ConfigError(`${op}: each layer must be {className, config} (got ${describe(entry)})`);
      const layer = deserializeLayer(entry);
      return layer instanceof InputLayer ? layer.output : layer;
    });
    const args: SequentialArgs = { layers };
    if (typeof config.name === "string") args.name = config.name;
    if (typeof config.trainable === "boolean") args.trainable = config.trainable;
    const make = this as unknown as new (args: SequentialArgs) => T;
    return new make(args);
  }
}
registerLayer("Sequential", Sequential);

/**
 * A sequential model from a list of layers (Keras `keras.Sequential([...])`).
 * @example
 * const m = sequential([input({ shape: [4] }), layers.dense({ units: 3, activation: "softmax" })]);
 */
export function sequential(
  layers: readonly (Layer | SymbolicTensor)[] = [],
  args: ModelArgs = {},
): Sequential {
  return new Sequential({ ...args, layers });
}
