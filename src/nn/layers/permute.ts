// nn/layers/permute: Permute, reorders the non-batch axes. `dims` is 1-based as in Keras:
// Permute([2, 1]) swaps the two axes after the batch axis.
import { ConfigError, ShapeError } from "../../core/errors.js";
import { transpose } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, intList } from "../config.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import type { SymbolicShape } from "../symbolic-tensor.js";

export interface PermuteArgs extends LayerArgs {
  /** A permutation of 1..rank-1 (axis 0 is the batch axis and stays). */
  dims: readonly number[];
}

/** Permutes the axes of each sample. */
export class Permute extends Layer {
  static override readonly className = "Permute";
  readonly dims: number[];

  constructor(args: PermuteArgs) {
    super(args);
    this.dims = [...intList("Permute", "dims", args.dims, 1)];
    const sorted = [...this.dims].sort((a, b) => a - b);
    if (!sorted.every((d, i) => d === i + 1)) {
      throw new ConfigError(
        `Permute: dims must be a permutation of 1..${this.dims.length} (got [${this.dims.join(", ")}])`,
      );
    }
  }

  private check(rank: number): void {
    if (rank !== this.dims.length + 1) {
      throw new ShapeError(
        `${this.name}: dims [${this.dims.join(", ")}] need inputs of rank ${this.dims.length + 1} (got rank ${rank})`,
      );
    }
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.single(inputs);
    this.check(x.rank);
    return transpose(x, [0, ...this.dims]);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    const shape = this.singleShape(inputShape);
    this.check(shape.length);
    return [shape[0] ?? null, ...this.dims.map((d) => shape[d] ?? null)];
  }

  override getConfig(): ConfigObject {
    return { ...super.getConfig(), dims: this.dims };
  }
}
registerLayer("Permute", Permute);
