// nn/layers/reshape: Reshape, (batch, ...) -> (batch, ...targetShape); one -1 is inferred.
import { ConfigError, ShapeError } from "../../core/errors.js";
import { reshape } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, intList } from "../config.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { formatSymbolicShape, type SymbolicShape } from "../symbolic-tensor.js";

export interface ReshapeArgs extends LayerArgs {
  /** Shape of one sample after reshaping (no batch axis); at most one -1. */
  targetShape: readonly number[];
}

/** Reshapes each sample to `targetShape`. */
export class Reshape extends Layer {
  static override readonly className = "Reshape";
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    super(args);
    this.targetShape = [...intList("Reshape", "targetShape", args.targetShape, -1)];
    if (this.targetShape.filter((d) => d === -1).length > 1 || this.targetShape.some((d) => d === 0)) {
      throw new ConfigError(
        `Reshape: targetShape may hold one -1 and no 0 (got [${this.targetShape.join(", ")}])`,
      );
    }
  }

  /** The per-sample target for `size` elements per sample, with -1 resolved. */
  private resolve(size: number | null, given: SymbolicShape): (number | null)[] {
    const known = this.targetShape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
    const free = this.targetShape.indexOf(-1);
    if (size === null) return this.targetShape.map((d) => (d === -1 ? null : d));
    if (free === -1 ? known !== size : size % known !== 0) {
      throw new ShapeError(
        `${this.name}: cannot reshape ${formatSymbolicShape(given)} to (batch, ${this.targetShape.join(", ")})`,
      );
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.single(inputs);
    const perSample = x.shape.slice(1).reduce((p, d) => p * d, 1);
    const target = this.resolve(perSample, x.shape) as number[];
    return reshape(x, [x.shape[0]!, ...target]);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    const shape = this.singleShape(inputShape);
    const rest = shape.slice(1);
    const size = rest.some((d) => d === null) ? null : (rest as number[]).reduce((p, d) => p * d, 1);
    return [shape[0] ?? null, ...this.resolve(size, shape)];
  }

  override getConfig(): ConfigObject {
    return { ...super.getConfig(), targetShape: this.targetShape };
  }
}
registerLayer("Reshape", Reshape);
