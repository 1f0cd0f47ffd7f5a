// nn/layers/batch-normalization: BatchNormalization (Keras 3 defaults: momentum 0.99, epsilon
// 1e-3). Training normalises with the batch's mean and (biased) variance over every axis but
// `axis`, and moves the moving statistics toward them; inference uses the moving statistics. A
// frozen layer (trainable = false) always runs in inference mode, as in Keras.
import { noGrad } from "../../autograd/mode.js";
import { ShapeError } from "../../core/errors.js";
import { add, mean, mul, reshape, rsqrt, sub, variance } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, finiteNumber, integer, numberInRange, optional } from "../config.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import type { CallContext, LayerInputs, LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { formatSymbolicShape } from "../symbolic-tensor.js";
import { AffineNormalization, type AffineNormalizationArgs } from "./affine-normalization.js";

export interface BatchNormalizationArgs extends AffineNormalizationArgs {
  /** The feature axis (default -1); statistics are taken over all other axes. */
  axis?: number;
  /** Weight of the old value in the moving averages (default 0.99). */
  momentum?: number;
  /** Added to the variance (default 1e-3). */
  epsilon?: number;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
}

/** Normalises each feature with batch statistics in training and moving statistics at inference. */
export class BatchNormalization extends AffineNormalization {
  static override readonly className = "BatchNormalization";
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  movingMean: Tensor | null = null;
  movingVariance: Tensor | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super("BatchNormalization", args);
    const op = "BatchNormalization";
    this.axis = optional(args.axis, -1, (v) => integer(op, "axis", v));
    this.momentum = optional(args.momentum, 0.99, (v) => numberInRange(op, "momentum", v, 0, 1, true));
    this.epsilon = optional(args.epsilon, 1e-3, (v) => finiteNumber(op, "epsilon", v));
    this.movingMeanInitializer = getInitializer(
      args.movingMeanInitializer ?? "zeros",
      `${op} movingMeanInitializer`,
    );
    this.movingVarianceInitializer = getInitializer(
      args.movingVarianceInitializer ?? "ones",
      `${op} movingVarianceInitializer`,
    );
  }

  private featureAxis(rank: number): number {
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 1 || a >= rank) {
      throw new ShapeError(`${this.name}: axis ${this.axis} is not a feature axis of inputs of rank ${rank}`);
    }
    return a;
  }

  override build(inputShape: LayerShape): void {
    const shape = this.singleShape(inputShape);
    const a = this.featureAxis(shape.length);
    const features = shape[a];
    if (features === null || features === undefined) {
      throw new ShapeError(
        `${this.name}: the feature axis must have a known size (got ${formatSymbolicShape(shape)})`,
      );
    }
    this.addAffineWeights([features]);
    this.movingMean = this.addWeight("moving_mean", [features], {
      initializer: this.movingMeanInitializer,
      trainable: false,
    });
    this.movingVariance = this.addWeight("moving_variance", [features], {
      initializer: this.movingVarianceInitializer,
      trainable: false,
    });
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, context: CallContext): Tensor {
    const x = this.single(inputs);
    const a = this.featureAxis(x.rank);
    const features = this.movingMean!.size;
    if (x.shape[a] !== features) {
      throw new ShapeError(
        `${this.name}: expected ${features} features on axis ${a} (got shape [${x.shape.join(",")}])`,
      );
    }
    // statistics are (1, ..., C, ..., 1) so they broadcast against x
    const statShape = x.shape.map((d, i) => (i === a ? d : 1));
    const reduceAxes = x.shape.map((_, i) => i).filter((i) => i !== a);
    let m: Tensor;
    let v: Tensor;
    if (context.training && this.trainable) {
      m = mean(x, reduceAxes, { keepDims: true });
      v = variance(x, reduceAxes, { keepDims: true });
      this.updateMoving(m, v);
    } else {
      m = reshape(this.movingMean!, statShape);
      v = reshape(this.movingVariance!, statShape);
    }
    let y = mul(sub(x, m), rsqrt(add(v, this.epsilon)));
    if (this.gamma !== null) y = mul(y, reshape(this.gamma, statShape));
    if (this.beta !== null) y = add(y, reshape(this.beta, statShape));
    return y;
  }

  /** moving = moving * momentum + batch * (1 - momentum), in place and outside the gradient graph. */
  private updateMoving(batchMean: Tensor, batchVariance: Tensor): void {
    noGrad(() => {
      const pairs: [Tensor, Tensor][] = [
        [this.movingMean!, batchMean],
        [this.movingVariance!, batchVariance],
      ];
      for (const [moving, batch] of pairs) {
        const md = moving.data;
        const bd = batch.data;
        for (let i = 0; i < md.length; i++) md[i] = md[i]! * this.momentum + bd[i]! * (1 - this.momentum);
      }
    });
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return this.singleShape(inputShape);
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      ...this.affineConfig(),
      movingMeanInitializer: this.movingMeanInitializer.serialize(),
      movingVarianceInitializer: this.movingVarianceInitializer.serialize(),
    };
  }
}
registerLayer("BatchNormalization", BatchNormalization);
