// nn/layers/bidirectional: the Bidirectional wrapper (Keras 3). It runs a copy of a recurrent layer
// forward and another copy (goBackwards flipped) backward over the same sequence, re-reverses the
// backward sequence so both align in time, and merges them (concat by default, sum, mul, ave, or
// null for both outputs). Initial states: [x, ...forward states, ...backward states].
import { ConfigError, ValueError } from "../../core/errors.js";
import { add, concat, flip, mul } from "../../ops/index.js";
import { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, isSerialized } from "../config.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import type { MaskList } from "../mask.js";
import { deserializeLayer, registerLayer, serializeLayer } from "../registry.js";
import { isShapeList, type SymbolicShape } from "../symbolic-tensor.js";
import { RecurrentLayer } from "./recurrent-base.js";

export type MergeMode = "concat" | "sum" | "mul" | "ave" | null;
const MERGE_MODES: readonly MergeMode[] = ["concat", "sum", "mul", "ave", null];

export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer to run both ways (an instance, or its {className, config}). */
  layer: RecurrentLayer | ConfigObject;
  /** How to combine the two directions (default "concat"; null returns both). */
  mergeMode?: MergeMode;
  /** A separate layer for the backward direction (must have goBackwards: true). */
  backwardLayer?: RecurrentLayer | ConfigObject | null;
}

/** A recurrent layer from an instance or a serialized config, checked. */
function recurrentFrom(op: string, key: string, value: unknown): RecurrentLayer {
  const layer = value instanceof Layer ? value : isSerialized(value) ? deserializeLayer(value) : null;
  if (!(layer instanceof RecurrentLayer)) {
    throw new ConfigError(`${op}: ${key} must be a recurrent layer (SimpleRNN, LSTM, GRU) or its config`);
  }
  return layer;
}

/** A copy of a recurrent layer with some config entries replaced. */
function copyWith(layer: RecurrentLayer, changes: Record<string, string | boolean>): RecurrentLayer {
  const { className, config } = serializeLayer(layer);
  return deserializeLayer({ className, config: { ...config, ...changes } }) as RecurrentLayer;
}

/**
 * Runs a recurrent layer over a sequence in both directions.
 * @example
 * const bi = new Bidirectional({ layer: new LSTM({ units: 8, returnSequences: true }) });
 * bi.apply(randn([2, 5, 3])).shape; // [2, 5, 16]
 */
export class Bidirectional extends Layer {
  static override readonly className = "Bidirectional";
  readonly mergeMode: MergeMode;
  readonly forwardLayer: RecurrentLayer;
  readonly backwardLayer: RecurrentLayer;
  /** The layer as given (its config is what the wrapper serializes). */
  private readonly layerConfig: ConfigObject;
  private readonly customBackward: ConfigObject | null;

  constructor(args: BidirectionalArgs) {
    super(args);
    const op = "Bidirectional";
    this.supportsMasking = true;
    const given = recurrentFrom(op, "layer", args.layer);
    const mode = args.mergeMode === undefined ? "concat" : args.mergeMode;
    if (!MERGE_MODES.includes(mode)) {
      throw new ConfigError(
        `${op}: mergeMode must be "concat", "sum", "mul", "ave" or null (got ${String(mode)})`,
      );
    }
    this.mergeMode = mode;
    this.layerConfig = serializeLayer(given);
    this.forwardLayer = this.track(copyWith(given, { name: `forward_${given.name}` }));
    if (args.backwardLayer != null) {
      const backward = recurrentFrom(op, "backwardLayer", args.backwardLayer);
      if (!backward.goBackwards) throw new ConfigError(`${op}: backwardLayer must have goBackwards: true`);
      if (backward.returnSequences !== given.returnSequences || backward.returnState !== given.returnState) {
        throw new ConfigError(`${op}: backwardLayer must match layer's returnSequences and returnState`);
      }
      this.customBackward = serializeLayer(backward);
      this.backwardLayer = this.track(backward);
    } else {
      this.customBackward = null;
      this.backwardLayer = this.track(
        copyWith(given, { name: `backward_${given.name}`, goBackwards: !given.goBackwards }),
      );
    }
  }

  override build(inputShape: LayerShape): void {
    const shape = isShapeList(inputShape) ? inputShape[0]! : inputShape;
    this.forwardLayer.maybeBuild(shape);
    this.backwardLayer.maybeBuild(shape);
    super.build(inputShape);
  }

  private merge(a: Tensor, b: Tensor): Tensor {
    switch (this.mergeMode) {
      case "sum":
        return add(a, b);
      case "mul":
        return mul(a, b);
      case "ave":
        return mul(add(a, b), 0.5);
      default:
        return concat([a, b], -1);
    }
  }

  override call(inputs: LayerInputs, context: CallContext): Tensor | Tensor[] {
    const list = inputs instanceof Tensor ? [inputs] : [...inputs];
    const x = list[0]!;
    const states = list.slice(1);
    const n = this.forwardLayer.stateCount;
    if (states.length !== 0 && states.length !== 2 * n) {
      throw new ValueError(
        `${this.name}: expected ${2 * n} initial state tensors (forward then backward; got ${states.length})`,
      );
    }
    const options = { training: context.training, mask: context.mask ?? null };
    const run = (layer: RecurrentLayer, own: Tensor[]): Tensor[] =>
      layer.applyMulti(own.length > 0 ? [x, ...own] : x, options);
    const forward = run(this.forwardLayer, states.slice(0, n));
    const backward = run(this.backwardLayer, states.slice(n));
    const yf = forward[0]!;
    let yb = backward[0]!;
    // the backward layer emits its sequence in processing order; put it back in time order
    if (this.forwardLayer.returnSequences) yb = flip(yb, 1);
    const outputs = this.mergeMode === null ? [yf, yb] : [this.merge(yf, yb)];
    if (this.forwardLayer.returnState) outputs.push(...forward.slice(1), ...backward.slice(1));
    return outputs.length === 1 ? outputs[0]! : outputs;
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const shape = isShapeList(inputShape) ? inputShape[0]! : inputShape;
    const single = (s: LayerShape): SymbolicShape => (isShapeList(s) ? s[0]! : s);
    const fwd = this.forwardLayer.computeOutputShape(shape);
    const out = single(fwd);
    const merged: SymbolicShape =
      this.mergeMode === "concat" ? [...out.slice(0, -1), out[out.length - 1]! * 2] : out;
    const shapes: SymbolicShape[] = this.mergeMode === null ? [out, out] : [merged];
    if (this.forwardLayer.returnState) {
      const states = (fwd as readonly SymbolicShape[]).slice(1);
      shapes.push(...states, ...states);
    }
    return shapes.length === 1 ? shapes[0]! : shapes;
  }

  override computeMask(_inputs: LayerInputs, masks: MaskList): Tensor | null | MaskList {
    const mask = this.forwardLayer.returnSequences ? (masks[0] ?? null) : null;
    const outputs: (Tensor | null)[] = this.mergeMode === null ? [mask, mask] : [mask];
    if (this.forwardLayer.returnState)
      outputs.push(...Array.from({ length: 2 * this.forwardLayer.stateCount }, () => null));
    return outputs.length === 1 ? outputs[0]! : outputs;
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      layer: this.layerConfig,
      mergeMode: this.mergeMode,
      backwardLayer: this.customBackward,
    };
  }
}
registerLayer("Bidirectional", Bidirectional);
