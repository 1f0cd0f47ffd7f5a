// nn/layers/multiply: Multiply, a merge layer. Multiplies the inputs elementwise.
import { mul } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { registerLayer } from "../registry.js";
import { Merge } from "./merge.js";

/**
 * Multiplies the inputs elementwise. Inputs broadcast against each other.
 * @example
 * new Multiply().apply([a, b]);
 */
export class Multiply extends Merge {
  static override readonly className = "Multiply";

  protected override merge(inputs: readonly Tensor[]): Tensor {
    return inputs.slice(1).reduce<Tensor>((acc, t) => mul(acc, t), inputs[0]!);
  }
}
registerLayer("Multiply", Multiply);
