// nn/layers/time-distributed: the TimeDistributed wrapper (Keras 3): applies one layer (shared
// weights) to every time step of a (B, T, ...) input by folding time into the batch:
// (B, T, ...) -> (B * T, ...) -> layer -> (B, T, ...out). The input's mask passes through.
import { ConfigError, ShapeError } from "../../core/errors.js";
import { reshape } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, isSerialized } from "../config.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { deserializeLayer, registerLayer, serializeLayer } from "../registry.js";
import { formatSymbolicShape, isShapeList, type SymbolicShape } from "../symbolic-tensor.js";

export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied at every step (an instance, or its {className, config}). */
  layer: Layer | ConfigObject;
}

/**
 * Applies a layer to every time step.
 * @example
 * new TimeDistributed({ layer: new Dense({ units: 4 }) }).apply(randn([2, 7, 3])).shape; // [2, 7, 4]
 */
export class TimeDistributed extends Layer {
  static override readonly className = "TimeDistributed";
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    super(args);
    const given =
      args.layer instanceof Layer
        ? args.layer
        : isSerialized(args.layer)
          ? deserializeLayer(args.layer)
          : null;
    if (given === null)
      throw new ConfigError("TimeDistributed: layer must be a Layer or its {className, config}");
    this.layer = this.track(given);
    this.supportsMasking = true;
  }

  private stepShape(inputShape: LayerShape): SymbolicShape {
    const shape = isShapeList(inputShape) ? inputShape[0]! : inputShape;
    if (shape.length < 3) {
      throw new ShapeError(
        `${this.name}: expected inputs (batch, time, ...) of rank >= 3 (got ${formatSymbolicShape(shape)})`,
      );
    }
    return shape;
  }

  override build(inputShape: LayerShape): void {
    const shape = this.stepShape(inputShape);
    this.layer.maybeBuild([null, ...shape.slice(2)]);
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, context: CallContext): Tensor {
    const x = this.single(inputs);
    if (x.rank < 3)
      throw new ShapeError(`${this.name}: expected inputs (batch, time, ...) (got [${x.shape}])`);
    const [B, T] = x.shape as [number, number];
    const folded = reshape(x, [B * T, ...x.shape.slice(2)]);
    const y = this.layer.apply(folded, { training: context.training, mask: null });
    return reshape(y, [B, T, ...y.shape.slice(1)]);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    const shape = this.stepShape(inputShape);
    const inner = this.layer.computeOutputShape([null, ...shape.slice(2)]);
    if (isShapeList(inner)) throw new ShapeError(`${this.name}: the wrapped layer must have one output`);
    return [shape[0]!, shape[1]!, ...inner.slice(1)];
  }

  override getConfig(): ConfigObject {
    return { ...super.getConfig(), layer: serializeLayer(this.layer) };
  }
}
registerLayer("TimeDistributed", TimeDistributed);
