// nn/layers/dropout: Dropout, inverted dropout. In training each element is zeroed with
// probability `rate` and the survivors are scaled by 1 / (1 - rate), so inference is the identity.
// Masks come from the fused dropout op (ops/dropout), keyed by two words of a core/random generator:
// the layer's own when seeded, the global one otherwise.
import { ConfigError } from "../../core/errors.js";
import { Generator, getGenerator } from "../../core/random.js";
import { dropout } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, describe, integer, numberInRange, optional } from "../config.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1]. */
  rate: number;
  /** Shape of the mask (null = the input's size there); 1 shares one draw along an axis. */
  noiseShape?: readonly (number | null)[] | null;
  /** Seed of the layer's own generator (masks then repeat from run to run). */
  seed?: number | null;
}

/**
 * Randomly zeroes inputs during training.
 * @example
 * new Dropout({ rate: 0.5, seed: 1 }).apply(ones([2, 4]), { training: true }); // zeros and 2s
 */
export class Dropout extends Layer {
  static override readonly className = "Dropout";
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  private readonly generator: Generator | null;

  constructor(args: DropoutArgs) {
    super(args);
    this.supportsMasking = true;
    this.rate = numberInRange("Dropout", "rate", args.rate, 0, 1, true);
    this.seed = optional(args.seed, null, (v) => (v === null ? null : integer("Dropout", "seed", v)));
    this.generator = this.seed === null ? null : new Generator(this.seed);
    const noise = args.noiseShape ?? null;
    if (
      noise !== null &&
      (!Array.isArray(noise) || !noise.every((d) => d === null || (Number.isInteger(d) && d > 0)))
    ) {
      throw new ConfigError(
        `Dropout: noiseShape must be a list of positive integers or null (got ${describe(noise)})`,
      );
    }
    this.noiseShape = noise === null ? null : [...noise];
  }

  override call(inputs: LayerInputs, context: CallContext): Tensor {
    const x = this.single(inputs);
    if (!context.training || this.rate === 0) return x;
    const generator = this.generator ?? getGenerator();
    // the fused kernel draws the mask and applies it in one pass (same seed, same mask everywhere)
    if (this.noiseShape === null) return dropout(x, this.rate, { generator });
    return dropout(x, this.rate, { generator, noiseShape: this.maskShape(x.shape) });
  }

  private maskShape(shape: readonly number[]): number[] {
    if (this.noiseShape === null) return [...shape];
    if (this.noiseShape.length !== shape.length) {
      throw new ConfigError(
        `${this.name}: noiseShape has rank ${this.noiseShape.length} but the input has rank ${shape.length}`,
      );
    }
    return this.noiseShape.map((d, i) => d ?? shape[i]!);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return this.singleShape(inputShape);
  }

  override getConfig(): ConfigObject {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape, seed: this.seed };
  }
}
registerLayer("Dropout", Dropout);
