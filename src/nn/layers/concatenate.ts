// nn/layers/concatenate: Concatenate, joins a list of inputs along one axis (default -1); every
// other axis must agree.
import { ShapeError, ValueError } from "../../core/errors.js";
import { concat } from "../../ops/index.js";
import { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, integer, optional } from "../config.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { formatSymbolicShape, isShapeList, type SymbolicShape } from "../symbolic-tensor.js";

export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along (default -1; never the batch axis). */
  axis?: number;
}

/**
 * Concatenates a list of inputs along `axis`.
 * @example
 * new Concatenate().apply([a, b]); // (B, 4) and (B, 3) give (B, 7)
 */
export class Concatenate extends Layer {
  static override readonly className = "Concatenate";
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args);
    this.axis = optional(args.axis, -1, (v) => integer("Concatenate", "axis", v));
  }

  private resolveAxis(rank: number): number {
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 1 || a >= rank)
      throw new ShapeError(`${this.name}: axis ${this.axis} does not fit inputs of rank ${rank}`);
    return a;
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    if (inputs instanceof Tensor || inputs.length < 1) {
      throw new ValueError(`${this.name}: Concatenate must be called on a list of tensors`);
    }
    return concat(inputs, this.resolveAxis(inputs[0]!.rank));
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    if (!isShapeList(inputShape) || inputShape.length < 1) {
      throw new ValueError(`${this.name}: Concatenate must be called on a list of inputs`);
    }
    const first = inputShape[0]!;
    const a = this.resolveAxis(first.length);
    const out: (number | null)[] = [...first];
    for (const shape of inputShape.slice(1)) {
      const fits =
        shape.length === first.length &&
        shape.every((d, i) => i === a || i === 0 || d === null || out[i] === null || d === out[i]);
      if (!fits) {
        throw new ShapeError(
          `${this.name}: inputs must match on every axis but ${a} (got ${inputShape.map(formatSymbolicShape).join(" and ")})`,
        );
      }
      shape.forEach((d, i) => {
        if (i === a) out[a] = out[a] === null || d === null ? null : out[a]! + d;
        else if (out[i] === null) out[i] = d;
      });
    }
    return out;
  }

  override build(inputShape: LayerShape): void {
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }

  override getConfig(): ConfigObject {
    return { ...super.getConfig(), axis: this.axis };
  }
}
registerLayer("Concatenate", Concatenate);
