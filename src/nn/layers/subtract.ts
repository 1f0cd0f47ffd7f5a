// nn/layers/subtract: Subtract, a merge layer of exactly two inputs: a - b.
import { sub } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { LayerArgs } from "../layer.js";
import { registerLayer } from "../registry.js";
import { Merge } from "./merge.js";

/**
 * The difference of two inputs, first minus second.
 * @example
 * new Subtract().apply([a, b]); // a - b
 */
export class Subtract extends Merge {
  static override readonly className = "Subtract";

  constructor(args: LayerArgs = {}) {
    super(args);
    this.minInputs = 2;
    this.maxInputs = 2;
  }

  protected override merge(inputs: readonly Tensor[]): Tensor {
    return sub(inputs[0]!, inputs[1]!);
  }
}
registerLayer("Subtract", Subtract);
