// nn/layers/dot: Dot, Keras's merge layer of the dot product of two inputs along given axes, per
// sample (batch_dot). With normalize, both are L2-normalised along those axes first, so the output
// is the cosine similarity (two-tower and matrix-factorisation recommenders). The output shape is
// x's shape without its axis followed by y's without the batch and its axis; a result with only the
// batch axis left becomes (B, 1), as Keras. Shapes: B batch, D the contracted size.
import { ShapeError, ValueError } from "../../core/errors.js";
import { matmul, maximum, mul, reshape, rsqrt, sum, transpose } from "../../ops/index.js";
import { Tensor } from "../../tensor/tensor.js";
import { boolean, type ConfigObject, type ConfigValue, optional } from "../config.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { formatSymbolicShape, isShapeList, type SymbolicShape } from "../symbolic-tensor.js";

export interface DotArgs extends LayerArgs {
  /** The axis to contract, the same for both inputs, or one per input (never the batch axis 0). */
  axes: number | readonly [number, number];
  /** L2-normalise both inputs along the axes first: the output is the cosine similarity (default false). */
  normalize?: boolean;
}

/** Keras's l2_normalize epsilon: x / sqrt(max(sum(x^2), 1e-12)). */
const EPSILON = 1e-12;

/**
 * The per-sample dot product of two inputs.
 * @example
 * new Dot({ axes: 1, normalize: true }).apply([users, items]); // (B, D) and (B, D) give (B, 1)
 */
export class Dot extends Layer {
  static override readonly className = "Dot";
  readonly axes: number | readonly [number, number];
  readonly normalize: boolean;

  constructor(args: DotArgs) {
    super(args);
    this.axes = checkAxes(args.axes);
    this.normalize = optional(args.normalize, false, (v) => boolean("Dot", "normalize", v));
  }

  /** The two contracted axes, non-negative, for inputs of ranks rx and ry. */
  private resolveAxes(rx: number, ry: number): [number, number] {
    const pair = typeof this.axes === "number" ? [this.axes, this.axes] : this.axes;
    return [
      [pair[0]!, rx],
      [pair[1]!, ry],
    ].map(([a, rank]) => {
      const axis = a! < 0 ? a! + rank! : a!;
      if (axis < 1 || axis >= rank!)
        throw new ShapeError(
          `${this.name}: axis ${a} does not fit an input of rank ${rank} (axis 0 is the batch)`,
        );
      return axis;
    }) as [number, number];
  }

  private pair(inputs: LayerShape | LayerInputs): void {
    const count = inputs instanceof Tensor ? 1 : inputs.length;
    if (inputs instanceof Tensor || count !== 2)
      throw new ValueError(`${this.name}: a Dot layer takes a list of exactly 2 inputs (got ${count})`);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    this.pair(inputs);
    let [x, y] = inputs as readonly Tensor[] as [Tensor, Tensor];
    const [ax, ay] = this.resolveAxes(x.rank, y.rank);
    if (x.shape[ax] !== y.shape[ay])
      throw new ShapeError(
        `${this.name}: the contracted axes differ in size (${x.shape[ax]} at axis ${ax} of [${x.shape}] and ${y.shape[ay]} at axis ${ay} of [${y.shape}])`,
      );
    if (this.normalize) {
      x = mul(x, rsqrt(maximum(sum(mul(x, x), ax, { keepDims: true }), EPSILON)));
      y = mul(y, rsqrt(maximum(sum(mul(y, y), ay, { keepDims: true }), EPSILON)));
    }
    const B = x.shape[0]!;
    const D = x.shape[ax]!;
    const others = (t: Tensor, axis: number) => t.shape.map((_, i) => i).filter((i) => i !== 0 && i !== axis);
    const [keepX, keepY] = [others(x, ax), others(y, ay)];
    const restX = keepX.map((i) => x.shape[i]!);
    const restY = keepY.map((i) => y.shape[i]!);
    // (B, Px, D) @ (B, D, Py) -> (B, Px, Py)
    const xLast = transpose(x, [0, ...keepX, ax]);
    const yFirst = transpose(y, [0, ay, ...keepY]);
    const size = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);
    const product = matmul(reshape(xLast, [B, size(restX), D]), reshape(yFirst, [B, D, size(restY)]));
    const outShape = [B, ...restX, ...restY];
    return reshape(product, outShape.length === 1 ? [B, 1] : outShape);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    if (!isShapeList(inputShape)) throw new ValueError(`${this.name}: a Dot layer takes a list of 2 inputs`);
    this.pair(inputShape);
    const [sx, sy] = inputShape as [SymbolicShape, SymbolicShape];
    const [ax, ay] = this.resolveAxes(sx.length, sy.length);
    if (sx[ax] !== null && sy[ay] !== null && sx[ax] !== sy[ay])
      throw new ShapeError(
        `${this.name}: the contracted axes differ in size (got ${formatSymbolicShape(sx)} axis ${ax} and ${formatSymbolicShape(sy)} axis ${ay})`,
      );
    const out = [
      sx[0] ?? sy[0] ?? null,
      ...sx.filter((_, i) => i !== 0 && i !== ax),
      ...sy.filter((_, i) => i !== 0 && i !== ay),
    ];
    return out.length === 1 ? [out[0]!, 1] : out;
  }

  override build(inputShape: LayerShape): void {
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }

  override getConfig(): ConfigObject {
    const axes: ConfigValue = typeof this.axes === "number" ? this.axes : [...this.axes];
    return { ...super.getConfig(), axes, normalize: this.normalize };
  }
}
registerLayer("Dot", Dot);

function checkAxes(value: unknown): number | readonly [number, number] {
  if (Number.isInteger(value)) return value as number;
  if (Array.isArray(value) && value.length === 2 && value.every((a) => Number.isInteger(a)))
    return [value[0] as number, value[1] as number];
  throw new ValueError(`Dot: axes must be an integer or a pair of integers (got ${JSON.stringify(value)})`);
}
