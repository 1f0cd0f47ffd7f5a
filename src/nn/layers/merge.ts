// nn/layers/merge: the base of the elementwise merge layers (Add, Subtract, Multiply, Average,
// Maximum, Minimum). They take a list of tensors and combine them with broadcasting, like Keras's
// _Merge; the batch axis is the first of every input.
import { ShapeError, ValueError } from "../../core/errors.js";
import { Tensor } from "../../tensor/tensor.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { formatSymbolicShape, isShapeList, type SymbolicShape } from "../symbolic-tensor.js";

type Dim = number | null;

/** Keras _compute_elemwise_op_output_shape over the axes after the batch axis. */
function broadcastDims(name: string, a: readonly Dim[], b: readonly Dim[]): Dim[] {
  const [longer, shorter] = a.length >= b.length ? [a, b] : [b, a];
  const offset = longer.length - shorter.length;
  const out = longer.slice(0, offset);
  for (let i = 0; i < shorter.length; i++) {
    const x = longer[offset + i]!;
    const y = shorter[i]!;
    if (x === null || y === null) out.push(x === 1 ? y : y === 1 ? x : null);
    else if (x === 1) out.push(y);
    else if (y === 1 || x === y) out.push(x);
    else {
      throw new ShapeError(
        `${name}: inputs cannot be broadcast together (got shapes (${a.join(", ")}) and (${b.join(", ")}))`,
      );
    }
  }
  return out;
}

/** Combines a list of same-shaped (or broadcastable) inputs into one tensor. */
export abstract class Merge extends Layer {
  /** Smallest number of inputs (Subtract overrides with an exact count). */
  protected minInputs = 1;
  protected maxInputs = Number.POSITIVE_INFINITY;

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  /** Combines the checked list of inputs. */
  protected abstract merge(inputs: readonly Tensor[]): Tensor;

  private checkCount(count: number): void {
    if (count < this.minInputs || count > this.maxInputs) {
      const want =
        this.minInputs === this.maxInputs ? `exactly ${this.minInputs}` : `at least ${this.minInputs}`;
      throw new ValueError(
        `${this.name}: a ${this.className} layer takes a list of ${want} input(s) (got ${count})`,
      );
    }
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    if (inputs instanceof Tensor)
      throw new ValueError(`${this.name}: a merge layer must be called on a list of tensors`);
    this.checkCount(inputs.length);
    return this.merge(inputs);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    if (!isShapeList(inputShape))
      throw new ValueError(`${this.name}: a merge layer must be called on a list of inputs`);
    this.checkCount(inputShape.length);
    let dims = inputShape[0]!.slice(1);
    for (const shape of inputShape.slice(1)) dims = broadcastDims(this.name, dims, shape.slice(1));
    const batches = new Set(
      inputShape.map((s) => s[0]).filter((d): d is number => d !== null && d !== undefined),
    );
    return [batches.size === 1 ? [...batches][0]! : null, ...dims];
  }

  override build(inputShape: LayerShape): void {
    if (!isShapeList(inputShape)) {
      throw new ValueError(
        `${this.name}: a merge layer must be called on a list of inputs (got ${formatSymbolicShape(inputShape)})`,
      );
    }
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }
}
