// nn/layers/gaussian-noise: GaussianNoise, adds zero-mean normal noise during training only (a
// regulariser); the identity at inference.
import { allocate } from "../../core/dtype.js";
import { ConfigError } from "../../core/errors.js";
import { Generator, getGenerator } from "../../core/random.js";
import { add } from "../../ops/index.js";
import { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, finiteNumber, integer, optional } from "../config.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";

export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the noise. */
  stddev: number;
  /** Seed of the layer's own generator. */
  seed?: number | null;
}

/** Adds N(0, stddev^2) noise in training. */
export class GaussianNoise extends Layer {
  static override readonly className = "GaussianNoise";
  readonly stddev: number;
  readonly seed: number | null;
  private readonly generator: Generator | null;

  constructor(args: GaussianNoiseArgs) {
    super(args);
    this.supportsMasking = true;
    this.stddev = finiteNumber("GaussianNoise", "stddev", args.stddev);
    if (this.stddev < 0)
      throw new ConfigError(`GaussianNoise: stddev must be non-negative (got ${this.stddev})`);
    this.seed = optional(args.seed, null, (v) => (v === null ? null : integer("GaussianNoise", "seed", v)));
    this.generator = this.seed === null ? null : new Generator(this.seed);
  }

  override call(inputs: LayerInputs, context: CallContext): Tensor {
    const x = this.single(inputs);
    if (!context.training || this.stddev === 0) return x;
    const g = this.generator ?? getGenerator();
    const noise = allocate(x.dtype === "float64" ? "float64" : "float32", x.size);
    for (let i = 0; i < noise.length; i++) noise[i] = g.normal(0, this.stddev);
    return add(x, new Tensor(noise, x.shape));
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return this.singleShape(inputShape);
  }

  override getConfig(): ConfigObject {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }
}
registerLayer("GaussianNoise", GaussianNoise);
