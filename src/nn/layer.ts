// nn/layer: the Layer base class (Keras life cycle). A layer creates its weights in
// build(inputShape) the first time it is applied, computes in call(inputs, {training}), and
// describes itself with getConfig(). Weights are plain leaf Tensors (requiresGrad when trainable)
// whose `.data` optimizers update in place. apply() on SymbolicTensors records a graph Node instead
// of computing, which is how functional models are built.
import { noGrad } from "../autograd/mode.js";
import { isFloatDType } from "../core/dtype.js";
import { ConfigError, ValueError } from "../core/errors.js";
import type { Shape } from "../core/shape.js";
import { add, cast } from "../ops/index.js";
import { zeros } from "../tensor/creation.js";
import { Tensor } from "../tensor/tensor.js";
import { currentForwardPass, withCallContext } from "./call-context.js";
import {
  boolean,
  type ConfigObject,
  describe,
  oneOf,
  optional,
  positiveInt,
  shapeList,
  string,
} from "./config.js";
import type { FloatDType } from "./initializers.js";
import { toSnakeCase, uniqueLayerName } from "./layer-names.js";
import type { CallContext, CallOptions, LayerArgs, LayerInputs, LayerShape } from "./layer-types.js";
import { getMask, type MaskList, setMask } from "./mask.js";
import { isShapeList, Node, type SymbolicShape, SymbolicTensor } from "./symbolic-tensor.js";
import { chargeWeight } from "./weight-budget.js";
import { assignWeights, createWeight, type WeightEntry, type WeightOptions } from "./weights.js";

export type { CallContext, CallOptions, LayerArgs, LayerInputs, LayerShape } from "./layer-types.js";
export type { WeightEntry, WeightOptions } from "./weights.js";

/**
 * Base class of every layer. Subclass it for custom layers: create weights in build() with
 * addWeight(), compute in call(), and list constructor options in getConfig().
 * @example
 * class Scale extends Layer {
 *   static override readonly className = "Scale";
 *   private w!: Tensor;
 *   override build(shape: LayerShape) { this.w = this.addWeight("w", [1], { initializer: "ones" }); }
 *   override call(x: LayerInputs) { return mul(this.single(x), this.w); }
 * }
 */
export abstract class Layer {
  /** The class name written into configs; subclasses set their own. */
  static readonly className: string = "Layer";

  readonly name: string;
  readonly dtype: FloatDType;
  /** Whether build() has run (weights exist). */
  built = false;
  /** The shape build() was called with. */
  buildInputShape: LayerShape | null = null;
  /** Batch input shape from the inputShape/batchSize options, or null. */
  readonly batchInputShape: SymbolicShape | null;
  /** One node per call on symbolic tensors. */
  readonly inboundNodes: Node[] = [];
  /** Whether float inputs are cast to this layer's dtype before call(). */
  protected autocast = true;
  /**
   * Whether the layer passes masks on (Keras supports_masking): when true and computeMask is not
   * overridden, the output carries the first input's mask.
   */
  supportsMasking = false;

  private trainableFlag: boolean;
  private readonly ownWeights: WeightEntry[] = [];
  private readonly trackedLayers: Layer[] = [];
  private activityLosses: Tensor[] = [];
  private activityPass = -1;

  constructor(args: LayerArgs = {}) {
    const op = this.className;
    this.name =
      optional(args.name, undefined, (v) => string(op, "name", v)) ?? uniqueLayerName(toSnakeCase(op));
    if (this.name === "" || this.name.includes("/")) {
      throw new ConfigError(
        `${op}: name must be non-empty and must not contain "/" (got ${describe(this.name)})`,
      );
    }
    this.trainableFlag = optional(args.trainable, true, (v) => boolean(op, "trainable", v));
    this.dtype = optional(args.dtype, "float32", (v) =>
      oneOf(op, "dtype", v, ["float32", "float64"] as const),
    );
    if (args.inputShape !== undefined) {
      const shape = shapeList(op, "inputShape", args.inputShape);
      const batch = optional(args.batchSize, null, (v) => positiveInt(op, "batchSize", v));
      this.batchInputShape = [batch, ...shape];
    } else {
      if (args.batchSize !== undefined) throw new ConfigError(`${op}: batchSize needs inputShape`);
      this.batchInputShape = null;
    }
  }

  /** The registered class name (static className, or the constructor name for unregistered classes). */
  get className(): string {
    const ctor = this.constructor as { className?: string; name: string };
    return Object.hasOwn(ctor, "className") && ctor.className !== undefined ? ctor.className : ctor.name;
  }

  // ---- life cycle (override these) ----

  /** Creates the weights for inputs of `inputShape` (batch axis first, null where unknown). */
  build(inputShape: LayerShape): void {
    this.buildInputShape = inputShape;
    this.built = true;
  }

  /** The forward computation. Use apply() to run a layer; it builds it first. */
  abstract call(inputs: LayerInputs, context: CallContext): Tensor | Tensor[];

  /**
   * The output shape for an input shape. The default runs call() on zeros (unknown sizes as 1)
   * without recording gradients; layers override it with the exact rule.
   */
  computeOutputShape(inputShape: LayerShape): LayerShape {
    const shapes = isShapeList(inputShape) ? inputShape : [inputShape];
    const probes = shapes.map((s) =>
      zeros(
        s.map((d) => d ?? 1),
        { dtype: this.dtype },
      ),
    );
    const out = noGrad(() => this.call(isShapeList(inputShape) ? probes : probes[0]!, { training: false }));
    const restore = (t: Tensor): SymbolicShape => [shapes[0]![0] ?? null, ...t.shape.slice(1)];
    return Array.isArray(out) ? out.map(restore) : restore(out as Tensor);
  }

  /**
   * The mask(s) of the outputs given the inputs and their masks (Keras compute_mask). The default
   * passes the first input's mask on when supportsMasking, and gives none otherwise.
   */
  computeMask(_inputs: LayerInputs, masks: MaskList): Tensor | null | MaskList {
    return this.supportsMasking ? (masks[0] ?? null) : null;
  }

  /** Keyword options that recreate this layer (JSON data only). */
  getConfig(): ConfigObject {
    const config: Record<string, ConfigObject[string]> = {
      name: this.name,
      trainable: this.trainable,
      dtype: this.dtype,
    };
    if (this.batchInputShape !== null) {
      config.inputShape = this.batchInputShape.slice(1);
      if (this.batchInputShape[0] !== null) config.batchSize = this.batchInputShape[0]!;
    }
    return config;
  }

  /**
   * A layer from its config. Constructors validate every option at run time, so a config read
   * from a file is acceptable input; keys the layer does not know are rejected.
   */
  static fromConfig<T extends Layer>(this: new (args: never) => T, config: ConfigObject): T {
    const make = this as unknown as new (args: ConfigObject) => T;
    const layer = new make(config);
    const known = new Set(Object.keys(layer.getConfig()));
    for (const key of Object.keys(config)) {
      if (!known.has(key)) throw new ConfigError(`${layer.className}.fromConfig: unknown option "${key}"`);
    }
    return layer;
  }

  // ---- calling ----

  /**
   * Runs the layer (building it on first use) on tensors, or records it on symbolic tensors.
   * Layers with several outputs are run with applyMulti().
   */
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[], options?: CallOptions): SymbolicTensor;
  apply(inputs: LayerInputs, options?: CallOptions): Tensor;
  apply(
    inputs: LayerInputs | SymbolicTensor | readonly SymbolicTensor[],
    options: CallOptions = {},
  ): Tensor | SymbolicTensor {
    const outputs = this.applyMulti(inputs as LayerInputs, options);
    if (outputs.length !== 1) {
      throw new ValueError(
        `${this.name}: the layer has ${outputs.length} outputs; use applyMulti() to get them all`,
      );
    }
    return outputs[0]!;
  }

  /** Like apply(), always returning the list of outputs. */
  applyMulti(inputs: SymbolicTensor | readonly SymbolicTensor[], options?: CallOptions): SymbolicTensor[];
  applyMulti(inputs: LayerInputs, options?: CallOptions): Tensor[];
  applyMulti(
    inputs: LayerInputs | SymbolicTensor | readonly SymbolicTensor[],
    options: CallOptions = {},
  ): (Tensor | SymbolicTensor)[] {
    const isList = Array.isArray(inputs);
    const list: readonly unknown[] = isList ? inputs : [inputs];
    if (list.length > 0 && list.every((x) => x instanceof SymbolicTensor)) {
      return this.applySymbolic(list as SymbolicTensor[], isList);
    }
    if (!list.every((x) => x instanceof Tensor)) {
      throw new ValueError(
        `${this.name}: expected a Tensor, a SymbolicTensor or a list of them (got ${describe(inputs)})`,
      );
    }
    const tensors = (list as Tensor[]).map((t) =>
      this.autocast && isFloatDType(t.dtype) && t.dtype !== this.dtype ? cast(t, this.dtype) : t,
    );
    const masks = inputMasks(list as Tensor[], options.mask);
    return withCallContext(options.training, (training) => {
      const shapes = tensors.map((t) => t.shape);
      this.maybeBuild(isList ? shapes : shapes[0]!);
      const args = isList ? tensors : tensors[0]!;
      const result = this.call(args, { training, mask: masks[0] ?? null, masks });
      const outs = Array.isArray(result) ? result : [result];
      const outMasks = this.computeMask(args, masks);
      // only masks that exist are attached: an output that is an input object keeps that input's mask
      (Array.isArray(outMasks) ? outMasks : [outMasks]).forEach((m: Tensor | null, i: number) => {
        if (m !== null && outs[i] !== undefined) setMask(outs[i]!, m);
      });
      return outs;
    });
  }

  private applySymbolic(inputs: SymbolicTensor[], isList: boolean): SymbolicTensor[] {
    const shapes = inputs.map((t) => t.shape);
    const shape = isList ? shapes : shapes[0]!;
    this.maybeBuild(shape);
    const outShape = this.computeOutputShape(shape);
    const outShapes = isShapeList(outShape) ? outShape : [outShape];
    const node = new Node(this, inputs, isList);
    node.outputs.push(...outShapes.map((s, i) => new SymbolicTensor(s, this.dtype, node, i)));
    this.inboundNodes.push(node);
    return node.outputs;
  }

  /** Builds the layer for `inputShape` unless it is built already. */
  maybeBuild(inputShape: LayerShape): void {
    if (this.built) return;
    // weights are created outside any gradient graph
    noGrad(() => this.build(inputShape));
    this.built = true;
    this.buildInputShape ??= inputShape;
  }

  // ---- weights ----

  /**
   * Creates a weight of this layer, named "<layer>/<name>". Trainable weights require a gradient.
   * @example
   * this.kernel = this.addWeight("kernel", [inDim, units], { initializer: "glorot_uniform" });
   */
  addWeight(name: string, shape: Shape, options: WeightOptions = {}): Tensor {
    chargeWeight(`${this.name}/${name}`, shape, options.dtype ?? this.dtype);
    const entry = createWeight(
      this.name,
      this.ownWeights,
      name,
      shape,
      options,
      this.dtype,
      this.trainableFlag,
    );
    this.ownWeights.push(entry);
    return entry.tensor;
  }

  /** Registers a sub-layer so its weights, losses and freezing follow this layer's. */
  protected track<L extends Layer>(layer: L): L {
    if (!this.trackedLayers.includes(layer)) this.trackedLayers.push(layer);
    return layer;
  }

  /** Direct sub-layers (tracked ones; models return their layers). */
  childLayers(): readonly Layer[] {
    return this.trackedLayers;
  }

  /** This layer and every layer below it, each once. */
  flattenLayers(): Layer[] {
    const seen = new Set<Layer>();
    const visit = (layer: Layer): void => {
      if (seen.has(layer)) return;
      seen.add(layer);
      for (const child of layer.childLayers()) visit(child);
    };
    visit(this);
    return [...seen];
  }

  /** This layer's own weights with metadata (trainable ones first, then the rest, each in creation order). */
  get ownWeightEntries(): readonly WeightEntry[] {
    return [...this.ownWeights.filter((w) => w.trainable), ...this.ownWeights.filter((w) => !w.trainable)];
  }

  /** Every weight entry of this layer and its sub-layers, each once. */
  weightEntries(): WeightEntry[] {
    const seen = new Set<Tensor>();
    const out: WeightEntry[] = [];
    const visit = (layer: Layer): void => {
      for (const w of layer.ownWeightEntries) {
        if (!seen.has(w.tensor)) {
          seen.add(w.tensor);
          out.push(w);
        }
      }
      for (const child of layer.childLayers()) visit(child);
    };
    visit(this);
    return out;
  }

  /** All weights (trainable and not) of this layer and its sub-layers. */
  get weights(): Tensor[] {
    return this.weightEntries().map((w) => w.tensor);
  }

  /** Weights the optimizer updates: empty when the layer is frozen. */
  get trainableWeights(): Tensor[] {
    if (!this.trainableFlag) return [];
    const out = new Set<Tensor>();
    for (const w of this.ownWeightEntries) if (w.trainable) out.add(w.tensor);
    for (const child of this.childLayers()) for (const t of child.trainableWeights) out.add(t);
    return [...out];
  }

  /** Weights the optimizer leaves alone: moving statistics, and every weight of a frozen layer. */
  get nonTrainableWeights(): Tensor[] {
    const trainable = new Set(this.trainableWeights);
    return this.weights.filter((t) => !trainable.has(t));
  }

  /** Copies of every weight's values, in `weights` order (Keras get_weights). */
  getWeights(): Tensor[] {
    return this.weights.map((w) => new Tensor(w.data.slice(), w.shape));
  }

  /**
   * Overwrites every weight's values in place (so optimizers keep their references), in `weights`
   * order. Shapes must match; values are converted to each weight's dtype.
   */
  setWeights(values: readonly Tensor[]): void {
    assignWeights(this.name, this.weightEntries(), values);
  }

  /** Number of scalars in all weights. */
  countParams(): number {
    return this.weights.reduce((n, t) => n + t.size, 0);
  }

  /** Whether the layer trains. Setting false freezes it and its sub-layers (requiresGrad off). */
  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(value: boolean) {
    this.trainableFlag = boolean(this.name, "trainable", value);
    for (const w of this.ownWeights) w.tensor.requiresGrad = value && w.trainable;
    for (const child of this.childLayers()) child.trainable = value;
  }

  // ---- losses and constraints ----

  /** Adds a loss (an activity penalty) computed in this forward pass; cleared on the next one. */
  addLoss(loss: Tensor): void {
    if (this.activityPass !== currentForwardPass()) {
      this.activityLosses = [];
      this.activityPass = currentForwardPass();
    }
    this.activityLosses.push(loss);
  }

  /**
   * Scalar losses to add to the training loss: activity losses of the last forward pass and the
   * penalties of regularized trainable weights, for this layer and every sub-layer. Penalties are
   * computed on each read, so read `losses` where gradients are recorded.
   */
  get losses(): Tensor[] {
    const trainable = new Set(this.trainableWeights);
    const out: Tensor[] = [];
    const pass = currentForwardPass();
    for (const layer of this.flattenLayers()) {
      if (layer.activityPass === pass) out.push(...layer.activityLosses);
      for (const w of layer.ownWeights) {
        if (w.regularizer !== null && trainable.has(w.tensor)) out.push(w.regularizer.penalty(w.tensor));
      }
    }
    return out;
  }

  /** Sum of `losses` (0 when there are none), a convenience for training loops. */
  regularizationLoss(): Tensor {
    const losses = this.losses;
    if (losses.length === 0) return zeros([], { dtype: this.dtype });
    return losses.slice(1).reduce<Tensor>((total, l) => add(total, l), losses[0]!);
  }

  /** Projects every constrained trainable weight in place (run after each optimizer step). */
  applyConstraints(): void {
    const trainable = new Set(this.trainableWeights);
    noGrad(() => {
      for (const layer of this.flattenLayers()) {
        for (const w of layer.ownWeights) {
          if (w.constraint === null || !trainable.has(w.tensor)) continue;
          w.tensor.data.set(w.constraint.project(w.tensor).data);
        }
      }
    });
  }

  // ---- helpers for subclasses ----

  /** The single input tensor, or a ValueError naming the layer. */
  protected single(inputs: LayerInputs): Tensor {
    if (inputs instanceof Tensor) return inputs;
    if (inputs.length === 1) return inputs[0]!;
    throw new ValueError(`${this.name}: expected one input tensor (got a list of ${inputs.length})`);
  }

  /** The single input shape, or a ValueError naming the layer. */
  protected singleShape(shape: LayerShape): SymbolicShape {
    if (!isShapeList(shape)) return shape;
    if (shape.length === 1) return shape[0]!;
    throw new ValueError(`${this.name}: expected one input (got ${shape.length})`);
  }

  toString(): string {
    return `${this.className}(name=${this.name})`;
  }
}

/** The masks a call sees: the explicit `mask` option, else the masks attached to the inputs. */
function inputMasks(inputs: readonly Tensor[], given: CallOptions["mask"]): MaskList {
  if (given === undefined) return inputs.map(getMask);
  if (given === null || given instanceof Tensor) return inputs.map((_, i) => (i === 0 ? given : null));
  return inputs.map((_, i) => given[i] ?? null);
}
