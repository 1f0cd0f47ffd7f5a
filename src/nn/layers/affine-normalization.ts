// nn/layers/affine-normalization: what Batch-, Layer- and GroupNormalization share: the learned
// scale gamma and offset beta after normalising (Keras options center/scale and their
// initializers, regularizers and constraints), their creation in build() and their config.
import type { Tensor } from "../../tensor/tensor.js";
import { boolean, type ConfigObject, optional, serializeOrNull } from "../config.js";
import { type Constraint, type ConstraintIdentifier, getConstraint } from "../constraints.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import { Layer, type LayerArgs } from "../layer.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";

export interface AffineNormalizationArgs extends LayerArgs {
  /** Learn an offset beta (default true). */
  center?: boolean;
  /** Learn a scale gamma (default true). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

/** Base of the normalisation layers that end with y * gamma + beta. */
export abstract class AffineNormalization extends Layer {
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

  constructor(op: string, args: AffineNormalizationArgs) {
    super(args);
    this.center = optional(args.center, true, (v) => boolean(op, "center", v));
    this.scale = optional(args.scale, true, (v) => boolean(op, "scale", v));
    this.betaInitializer = getInitializer(args.betaInitializer ?? "zeros", `${op} betaInitializer`);
    this.gammaInitializer = getInitializer(args.gammaInitializer ?? "ones", `${op} gammaInitializer`);
    this.betaRegularizer = getRegularizer(args.betaRegularizer, `${op} betaRegularizer`);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer, `${op} gammaRegularizer`);
    this.betaConstraint = getConstraint(args.betaConstraint, `${op} betaConstraint`);
    this.gammaConstraint = getConstraint(args.gammaConstraint, `${op} gammaConstraint`);
  }

  /** Creates gamma (when scale) and beta (when center), both of `shape`. */
  protected addAffineWeights(shape: readonly number[]): void {
    if (this.scale) {
      this.gamma = this.addWeight("gamma", shape, {
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center) {
      this.beta = this.addWeight("beta", shape, {
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
  }

  /** center, scale and the gamma/beta options as config entries. */
  protected affineConfig(): ConfigObject {
    return {
      center: this.center,
      scale: this.scale,
      betaInitializer: this.betaInitializer.serialize(),
      gammaInitializer: this.gammaInitializer.serialize(),
      betaRegularizer: serializeOrNull(this.betaRegularizer),
      gammaRegularizer: serializeOrNull(this.gammaRegularizer),
      betaConstraint: serializeOrNull(this.betaConstraint),
      gammaConstraint: serializeOrNull(this.gammaConstraint),
    };
  }
}
