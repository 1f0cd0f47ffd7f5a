// models/model: the Model base class, a Layer that owns other layers. Sequential and Functional
// extend it, and it can be subclassed directly (create layers in the constructor with track(),
// compute in call()). The training helpers in train/ attach compile/fit/evaluate/predict to this
// class by module augmentation; what they need is here: weights, losses, call/applyMulti,
// applyConstraints, and the input/output names and shapes.
import { ValueError } from "../core/errors.js";
import type { LayerArgs } from "../nn/layer.js";
import { Layer } from "../nn/layer.js";
import type { SymbolicShape } from "../nn/symbolic-tensor.js";
import { printSummary, type SummaryOptions } from "./summary.js";

/** Options of every model. */
export interface ModelArgs {
  name?: string;
  trainable?: boolean;
}

/**
 * A layer made of layers. Use sequential() or model() to build one, or subclass it.
 * @example
 * class TwoLayer extends Model {
 *   hidden = this.track(new Dense({ units: 8, activation: "relu" }));
 *   out = this.track(new Dense({ units: 1 }));
 *   override call(x: LayerInputs, ctx: CallContext) { return this.out.apply(this.hidden.apply(this.single(x), ctx), ctx); }
 * }
 */
export abstract class Model extends Layer {
  static override readonly className: string = "Model";

  constructor(args: ModelArgs & LayerArgs = {}) {
    super(args);
    // each inner layer casts to its own dtype; the model passes inputs through untouched
    this.autocast = false;
  }

  /** The model's layers in order (tracked sub-layers for subclassed models). */
  get layers(): Layer[] {
    return [...this.childLayers()];
  }

  /** A layer by its name, or by its position in `layers`. */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    if (typeof nameOrIndex === "number") {
      const layer = Number.isInteger(nameOrIndex) ? layers[nameOrIndex] : undefined;
      if (layer === undefined) {
        throw new ValueError(
          `getLayer: index ${nameOrIndex} is out of range for a model with ${layers.length} layers`,
        );
      }
      return layer;
    }
    const layer = layers.find((l) => l.name === nameOrIndex);
    if (layer === undefined) {
      throw new ValueError(
        `getLayer: no layer named "${nameOrIndex}" (layers: ${layers.map((l) => l.name).join(", ")})`,
      );
    }
    return layer;
  }

  /** Names of the model's inputs (its input layers). */
  get inputNames(): string[] {
    return [];
  }

  /** Names of the model's outputs (the layers that produce them). */
  get outputNames(): string[] {
    return [];
  }

  /** Shapes of the inputs, batch axis first (null where unknown); empty while unbuilt. */
  get inputShapes(): SymbolicShape[] {
    return [];
  }

  /** Shapes of the outputs, batch axis first; empty while unbuilt. */
  get outputShapes(): SymbolicShape[] {
    return [];
  }

  /**
   * Size of the optimizer's state once it has been built (count of scalars and bytes), or null.
   * summary() adds an "Optimizer params" line and counts it in the total, as Keras 3 does after
   * training; train/ overrides this when it attaches compile/fit.
   */
  optimizerParams(): { count: number; bytes: number } | null {
    return null;
  }

  /**
   * Prints Keras 3's summary table (layer, output shape, parameter count, and "Connected to" for
   * graphs that are not a simple chain), then the parameter totals with their sizes in bytes.
   * `printFn` receives one line at a time (console.log by default).
   */
  summary(printFn?: (line: string) => void, options: SummaryOptions = {}): void {
    printSummary(this, printFn ?? ((line: string) => console.log(line)), options);
  }
}
