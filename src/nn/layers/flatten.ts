// nn/layers/flatten: Flatten, (batch, d1, d2, ...) -> (batch, d1 * d2 * ...). Shares the data.
import { reshape } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import type { SymbolicShape } from "../symbolic-tensor.js";

/** Flattens every axis but the batch axis. */
export class Flatten extends Layer {
  static override readonly className = "Flatten";

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.single(inputs);
    const batch = x.rank === 0 ? 1 : x.shape[0]!;
    return reshape(x, [batch, x.shape.slice(1).reduce((p, d) => p * d, 1)]);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    const shape = this.singleShape(inputShape);
    const rest = shape.slice(1);
    const size = rest.some((d) => d === null) ? null : (rest as number[]).reduce((p, d) => p * d, 1);
    return [shape[0] ?? null, size];
  }
}
registerLayer("Flatten", Flatten);
