// nn/layers/layer-normalization: LayerNormalization (Keras 3 defaults: axis -1, epsilon 1e-3).
// Each sample is normalised with its own mean and variance over `axis`, then scaled by gamma and
// shifted by beta (one per element of the normalised axes). Composite: the gradient comes from the
// ops it is built of.
import { ConfigError, ShapeError } from "../../core/errors.js";
import { add, mean, mul, reshape, rsqrt, sub, variance } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { boolean, type ConfigObject, type ConfigValue, finiteNumber, intList, optional } from "../config.js";
import { type Constraint, type ConstraintIdentifier, getConstraint } from "../constraints.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import { formatSymbolicShape } from "../symbolic-tensor.js";

export interface LayerNormalizationArgs extends LayerArgs {
  /** Axis or axes to normalise over (default -1). */
  axis?: number | readonly number[];
  /** Added to the variance (default 1e-3). */
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

const serialize = (x: { serialize(): ConfigValue } | null): ConfigValue =>
  x === null ? null : x.serialize();

/** Normalises each sample over its last axis (or `axis`). */
export class LayerNormalization extends Layer {
  static override readonly className = "LayerNormalization";
  readonly axis: number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  gamma: Tensor | null = null;
  beta: Tensor | null = null;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    this.supportsMasking = true;
    const op = "LayerNormalization";
    const axis = args.axis ?? -1;
    this.axis = [...intList(op, "axis", typeof axis === "number" ? [axis] : axis)];
    if (this.axis.length === 0) throw new ConfigError(`${op}: axis must name at least one axis`);
    this.epsilon = optional(args.epsilon, 1e-3, (v) => finiteNumber(op, "epsilon", v));
    this.center = optional(args.center, true, (v) => boolean(op, "center", v));
    this.scale = optional(args.scale, true, (v) => boolean(op, "scale", v));
    this.betaInitializer = getInitializer(args.betaInitializer ?? "zeros", `${op} betaInitializer`);
    this.gammaInitializer = getInitializer(args.gammaInitializer ?? "ones", `${op} gammaInitializer`);
    this.betaRegularizer = getRegularizer(args.betaRegularizer, `${op} betaRegularizer`);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer, `${op} gammaRegularizer`);
    this.betaConstraint = getConstraint(args.betaConstraint, `${op} betaConstraint`);
    this.gammaConstraint = getConstraint(args.gammaConstraint, `${op} gammaConstraint`);
  }

  /** The normalised axes, non-negative and sorted, for inputs of `rank`. */
  private axes(rank: number): number[] {
    const out = this.axis.map((a) => (a < 0 ? a + rank : a));
    if (out.some((a) => a < 1 || a >= rank) || new Set(out).size !== out.length) {
      throw new ShapeError(
        `${this.name}: axis [${this.axis.join(", ")}] does not fit inputs of rank ${rank}`,
      );
    }
    return out.sort((x, y) => x - y);
  }

  override build(inputShape: LayerShape): void {
    const shape = this.singleShape(inputShape);
    const axes = this.axes(shape.length);
    const paramShape = axes.map((a) => shape[a]);
    if (paramShape.some((d) => d === null || d === undefined)) {
      throw new ShapeError(
        `${this.name}: the normalised axes must have known sizes (got ${formatSymbolicShape(shape)})`,
      );
    }
    const dims = paramShape as number[];
    if (this.scale) {
      this.gamma = this.addWeight("gamma", dims, {
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center) {
      this.beta = this.addWeight("beta", dims, {
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.single(inputs);
    const axes = this.axes(x.rank);
    // gamma/beta are laid out over the normalised axes; other axes get size 1 to broadcast
    const paramShape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    const m = mean(x, axes, { keepDims: true });
    const v = variance(x, axes, { keepDims: true });
    let y = mul(sub(x, m), rsqrt(add(v, this.epsilon)));
    if (this.gamma !== null) y = mul(y, reshape(this.gamma, paramShape));
    if (this.beta !== null) y = add(y, reshape(this.beta, paramShape));
    return y;
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return this.singleShape(inputShape);
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: this.betaInitializer.serialize(),
      gammaInitializer: this.gammaInitializer.serialize(),
      betaRegularizer: serialize(this.betaRegularizer),
      gammaRegularizer: serialize(this.gammaRegularizer),
      betaConstraint: serialize(this.betaConstraint),
      gammaConstraint: serialize(this.gammaConstraint),
    };
  }
}
registerLayer("LayerNormalization", LayerNormalization);
