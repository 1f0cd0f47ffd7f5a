// nn/layers/repeat-vector: RepeatVector, (batch, features) -> (batch, n, features).
import { ShapeError } from "../../core/errors.js";
import { broadcastTo, expandDims } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, positiveInt } from "../config.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { formatSymbolicShape, type SymbolicShape } from "../symbolic-tensor.js";

export interface RepeatVectorArgs extends LayerArgs {
  /** How many times to repeat each sample. */
  n: number;
}

/** Repeats each 1-D sample n times along a new axis. */
export class RepeatVector extends Layer {
  static override readonly className = "RepeatVector";
  readonly n: number;

  constructor(args: RepeatVectorArgs) {
    super(args);
    this.n = positiveInt("RepeatVector", "n", args.n);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.single(inputs);
    if (x.rank !== 2)
      throw new ShapeError(`${this.name}: expected inputs of rank 2 (got shape [${x.shape.join(",")}])`);
    // (B, F) -> (B, 1, F) -> (B, n, F); broadcastTo's gradient sums the copies back
    return broadcastTo(expandDims(x, 1), [x.shape[0]!, this.n, x.shape[1]!]);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    const shape = this.singleShape(inputShape);
    if (shape.length !== 2)
      throw new ShapeError(`${this.name}: expected inputs of rank 2 (got ${formatSymbolicShape(shape)})`);
    return [shape[0] ?? null, this.n, shape[1] ?? null];
  }

  override getConfig(): ConfigObject {
    return { ...super.getConfig(), n: this.n };
  }
}
registerLayer("RepeatVector", RepeatVector);
