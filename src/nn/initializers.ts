// nn/initializers: how a layer's weights start. Keras 3 semantics and defaults (variance scaling
// with fan_in/fan_out/fan_avg, truncated normals cut at two standard deviations, orthogonal via
// QR). Every random draw goes through core/random: a seeded initializer owns a fresh generator per
// call (the same values each time, as in Keras), an unseeded one draws from the global generator.
import { allocate, type FloatArray } from "../core/dtype.js";
import { ConfigError, ShapeError } from "../core/errors.js";
import { Generator, getGenerator } from "../core/random.js";
import { type ConfigFactory, Registry, resolveInstance } from "../core/registry.js";
import { formatShape, type Shape, sizeOf } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { type ConfigObject, finiteNumber, integer, oneOf, optional, type Serialized } from "./config.js";

/** The floating-point dtypes weights may have. */
export type FloatDType = "float32" | "float64";

/** Something that fills a new weight tensor. */
export abstract class Initializer {
  /** The registered class name, as written in configs. */
  abstract readonly className: string;
  /** A new tensor of `shape` and `dtype` (no gradient flag set). */
  abstract generate(shape: Shape, dtype: FloatDType): Tensor;
  abstract getConfig(): ConfigObject;
  serialize(): Serialized {
    return { className: this.className, config: this.getConfig() };
  }
}

/** What an initializer option accepts: a name ("glorot_uniform", "heNormal"), an instance, or a config. */
export type InitializerIdentifier = string | Initializer | Serialized;

function filled(shape: Shape, dtype: FloatDType, fill: (data: FloatArray) => void): Tensor {
  const data = allocate(dtype, sizeOf(shape));
  fill(data);
  return new Tensor(data, shape);
}

function seedOf(op: string, value: unknown): number | null {
  return value === undefined || value === null ? null : integer(op, "seed", value);
}

/** A random initializer: its own generator when seeded (same values each call), the global one otherwise. */
abstract class RandomInitializer extends Initializer {
  readonly seed: number | null;
  constructor(op: string, seed: unknown) {
    super();
    this.seed = seedOf(op, seed);
  }
  protected generator(): Generator {
    return this.seed === null ? getGenerator() : new Generator(this.seed);
  }
}

/** Standard normal draws cut at +-2 (redrawn outside), as TensorFlow's truncated_normal. */
function truncatedStandardNormal(g: Generator): number {
  for (;;) {
    const z = g.normal();
    if (z >= -2 && z <= 2) return z;
  }
}

export class Zeros extends Initializer {
  readonly className = "Zeros";
  generate(shape: Shape, dtype: FloatDType): Tensor {
    return filled(shape, dtype, () => {});
  }
  getConfig(): ConfigObject {
    return {};
  }
}

export class Ones extends Initializer {
  readonly className = "Ones";
  generate(shape: Shape, dtype: FloatDType): Tensor {
    return filled(shape, dtype, (d) => d.fill(1));
  }
  getConfig(): ConfigObject {
    return {};
  }
}

export class Constant extends Initializer {
  readonly className = "Constant";
  readonly value: number;
  constructor(args: { value?: number } = {}) {
    super();
    this.value = optional(args.value, 0, (v) => finiteNumber("Constant", "value", v));
  }
  generate(shape: Shape, dtype: FloatDType): Tensor {
    return filled(shape, dtype, (d) => d.fill(this.value));
  }
  getConfig(): ConfigObject {
    return { value: this.value };
  }
}

export class RandomNormal extends RandomInitializer {
  readonly className = "RandomNormal";
  readonly mean: number;
  readonly stddev: number;
  constructor(args: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super("RandomNormal", args.seed);
    this.mean = optional(args.mean, 0, (v) => finiteNumber("RandomNormal", "mean", v));
    this.stddev = optional(args.stddev, 0.05, (v) => finiteNumber("RandomNormal", "stddev", v));
  }
  generate(shape: Shape, dtype: FloatDType): Tensor {
    const g = this.generator();
    return filled(shape, dtype, (d) => {
      for (let i = 0; i < d.length; i++) d[i] = g.normal(this.mean, this.stddev);
    });
  }
  getConfig(): ConfigObject {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}

export class RandomUniform extends RandomInitializer {
  readonly className = "RandomUniform";
  readonly minval: number;
  readonly maxval: number;
  constructor(args: { minval?: number; maxval?: number; seed?: number | null } = {}) {
    super("RandomUniform", args.seed);
    this.minval = optional(args.minval, -0.05, (v) => finiteNumber("RandomUniform", "minval", v));
    this.maxval = optional(args.maxval, 0.05, (v) => finiteNumber("RandomUniform", "maxval", v));
    if (this.maxval < this.minval) {
      throw new ConfigError(
        `RandomUniform: minval must not exceed maxval (got ${this.minval} and ${this.maxval})`,
      );
    }
  }
  generate(shape: Shape, dtype: FloatDType): Tensor {
    const g = this.generator();
    return filled(shape, dtype, (d) => {
      for (let i = 0; i < d.length; i++) d[i] = g.uniform(this.minval, this.maxval);
    });
  }
  getConfig(): ConfigObject {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed };
  }
}

export class TruncatedNormal extends RandomInitializer {
  readonly className = "TruncatedNormal";
  readonly mean: number;
  readonly stddev: number;
  constructor(args: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super("TruncatedNormal", args.seed);
    this.mean = optional(args.mean, 0, (v) => finiteNumber("TruncatedNormal", "mean", v));
    this.stddev = optional(args.stddev, 0.05, (v) => finiteNumber("TruncatedNormal", "stddev", v));
  }
  generate(shape: Shape, dtype: FloatDType): Tensor {
    const g = this.generator();
    return filled(shape, dtype, (d) => {
      for (let i = 0; i < d.length; i++) d[i] = this.mean + this.stddev * truncatedStandardNormal(g);
    });
  }
  getConfig(): ConfigObject {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}

/** Keras compute_fans: [in, out] of a weight shape (conv kernels multiply by the receptive field). */
export function computeFans(shape: Shape): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  if (shape.length === 2) return [shape[0]!, shape[1]!];
  const receptive = sizeOf(shape.slice(0, -2));
  return [shape[shape.length - 2]! * receptive, shape[shape.length - 1]! * receptive];
}

export type FanMode = "fan_in" | "fan_out" | "fan_avg";
export type ScalingDistribution = "truncated_normal" | "untruncated_normal" | "uniform";

// stddev of a standard normal truncated to [-2, 2]; dividing by it restores the requested variance
const TRUNCATED_STD = 0.87962566103423978;

export interface VarianceScalingArgs {
  scale?: number;
  mode?: FanMode;
  distribution?: ScalingDistribution;
  seed?: number | null;
}

/** Draws with variance scale / n, n = fan_in, fan_out or their mean. */
export class VarianceScaling extends RandomInitializer {
  readonly className: string = "VarianceScaling";
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: ScalingDistribution;
  constructor(args: VarianceScalingArgs = {}) {
    super("VarianceScaling", args.seed);
    this.scale = optional(args.scale, 1, (v) => finiteNumber("VarianceScaling", "scale", v));
    if (this.scale <= 0) throw new ConfigError(`VarianceScaling: scale must be positive (got ${this.scale})`);
    this.mode = optional(args.mode, "fan_in", (v) =>
      oneOf("VarianceScaling", "mode", v, ["fan_in", "fan_out", "fan_avg"] as const),
    );
    this.distribution = optional(args.distribution, "truncated_normal", (v) =>
      oneOf("VarianceScaling", "distribution", v, [
        "truncated_normal",
        "untruncated_normal",
        "uniform",
      ] as const),
    );
  }
  generate(shape: Shape, dtype: FloatDType): Tensor {
    const [fanIn, fanOut] = computeFans(shape);
    const n = this.mode === "fan_in" ? fanIn : this.mode === "fan_out" ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    const g = this.generator();
    return filled(shape, dtype, (d) => {
      if (this.distribution === "uniform") {
        const limit = Math.sqrt(3 * variance);
        for (let i = 0; i < d.length; i++) d[i] = g.uniform(-limit, limit);
      } else if (this.distribution === "truncated_normal") {
        const std = Math.sqrt(variance) / TRUNCATED_STD;
        for (let i = 0; i < d.length; i++) d[i] = std * truncatedStandardNormal(g);
      } else {
        const std = Math.sqrt(variance);
        for (let i = 0; i < d.length; i++) d[i] = g.normal(0, std);
      }
    });
  }
  getConfig(): ConfigObject {
    if (this.className !== "VarianceScaling") return { seed: this.seed };
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed };
  }
}

/** Arguments of the fixed-variance presets (Glorot, He, LeCun): only the seed. */
export interface PresetArgs {
  seed?: number | null;
}

/** Uniform in +-sqrt(6 / (fan_in + fan_out)); the Keras default for kernels. */
export class GlorotUniform extends VarianceScaling {
  override readonly className: string = "GlorotUniform";
  constructor(args: PresetArgs = {}) {
    super({ scale: 1, mode: "fan_avg", distribution: "uniform", seed: args.seed ?? null });
  }
}

/** Truncated normal with stddev sqrt(2 / (fan_in + fan_out)). */
export class GlorotNormal extends VarianceScaling {
  override readonly className: string = "GlorotNormal";
  constructor(args: PresetArgs = {}) {
    super({ scale: 1, mode: "fan_avg", distribution: "truncated_normal", seed: args.seed ?? null });
  }
}

/** Uniform in +-sqrt(6 / fan_in), for ReLU networks. */
export class HeUniform extends VarianceScaling {
  override readonly className: string = "HeUniform";
  constructor(args: PresetArgs = {}) {
    super({ scale: 2, mode: "fan_in", distribution: "uniform", seed: args.seed ?? null });
  }
}

/** Truncated normal with stddev sqrt(2 / fan_in), for ReLU networks. */
export class HeNormal extends VarianceScaling {
  override readonly className: string = "HeNormal";
  constructor(args: PresetArgs = {}) {
    super({ scale: 2, mode: "fan_in", distribution: "truncated_normal", seed: args.seed ?? null });
  }
}

/** Uniform in +-sqrt(3 / fan_in), for SELU networks. */
export class LecunUniform extends VarianceScaling {
  override readonly className: string = "LecunUniform";
  constructor(args: PresetArgs = {}) {
    super({ scale: 1, mode: "fan_in", distribution: "uniform", seed: args.seed ?? null });
  }
}

/** Truncated normal with stddev sqrt(1 / fan_in), for SELU networks. */
export class LecunNormal extends VarianceScaling {
  override readonly className: string = "LecunNormal";
  constructor(args: PresetArgs = {}) {
    super({ scale: 1, mode: "fan_in", distribution: "truncated_normal", seed: args.seed ?? null });
  }
}

/** A (semi-)orthogonal matrix times `gain`: QR of a normal matrix with the signs of R's diagonal. */
export class Orthogonal extends RandomInitializer {
  readonly className = "Orthogonal";
  readonly gain: number;
  constructor(args: { gain?: number; seed?: number | null } = {}) {
    super("Orthogonal", args.seed);
    this.gain = optional(args.gain, 1, (v) => finiteNumber("Orthogonal", "gain", v));
  }
  generate(shape: Shape, dtype: FloatDType): Tensor {
    if (shape.length < 2) {
      throw new ShapeError(`Orthogonal: needs a shape of rank 2 or more (got ${formatShape(shape)})`);
    }
    const rows = sizeOf(shape.slice(0, -1));
    const cols = shape[shape.length - 1]!;
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const g = this.generator();
    // a: (m, n) column-major columns, orthonormalised by Gram-Schmidt run twice (stable enough for
    // a well-conditioned Gaussian matrix); R's diagonal is then positive, so no sign flip is needed.
    const q: Float64Array[] = [];
    for (let j = 0; j < n; j++) {
      const v = new Float64Array(m);
      for (let i = 0; i < m; i++) v[i] = g.normal();
      for (let pass = 0; pass < 2; pass++) {
        for (const u of q) {
          let dot = 0;
          for (let i = 0; i < m; i++) dot += u[i]! * v[i]!;
          for (let i = 0; i < m; i++) v[i]! -= dot * u[i]!;
        }
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += v[i]! * v[i]!;
      norm = Math.sqrt(norm);
      for (let i = 0; i < m; i++) v[i]! /= norm;
      q.push(v);
    }
    return filled(shape, dtype, (d) => {
      // q is (m, n); the weight is q (rows >= cols) or q^T (rows < cols), read as (rows, cols)
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          d[r * cols + c] = this.gain * (rows >= cols ? q[c]![r]! : q[r]![c]!);
        }
      }
    });
  }
  getConfig(): ConfigObject {
    return { gain: this.gain, seed: this.seed };
  }
}

/** Identity matrix times `gain` (2-D shapes). */
export class Identity extends Initializer {
  readonly className = "Identity";
  readonly gain: number;
  constructor(args: { gain?: number } = {}) {
    super();
    this.gain = optional(args.gain, 1, (v) => finiteNumber("Identity", "gain", v));
  }
  generate(shape: Shape, dtype: FloatDType): Tensor {
    if (shape.length !== 2) throw new ShapeError(`Identity: needs a 2-D shape (got ${formatShape(shape)})`);
    const [r, c] = shape as [number, number];
    return filled(shape, dtype, (d) => {
      for (let i = 0; i < Math.min(r, c); i++) d[i * c + i] = this.gain;
    });
  }
  getConfig(): ConfigObject {
    return { gain: this.gain };
  }
}

type InitializerFactory = ConfigFactory<Initializer>;

/** The closed registry: class names, matched case- and underscore-insensitively ("he_normal"). */
const REGISTRY = new Registry<InitializerFactory>({ kind: "initializer" });

/** Registers an initializer class under its class name so configs can name it. */
export function registerInitializer(className: string, make: InitializerFactory): void {
  REGISTRY.register(className, make);
}

registerInitializer("Zeros", () => new Zeros());
registerInitializer("Ones", () => new Ones());
registerInitializer("Constant", (c) => new Constant(c));
registerInitializer("RandomNormal", (c) => new RandomNormal(c));
registerInitializer("RandomUniform", (c) => new RandomUniform(c));
registerInitializer("TruncatedNormal", (c) => new TruncatedNormal(c));
registerInitializer("VarianceScaling", (c) => new VarianceScaling(c));
registerInitializer("GlorotUniform", (c) => new GlorotUniform(c));
registerInitializer("GlorotNormal", (c) => new GlorotNormal(c));
registerInitializer("HeUniform", (c) => new HeUniform(c));
registerInitializer("HeNormal", (c) => new HeNormal(c));
registerInitializer("LecunUniform", (c) => new LecunUniform(c));
registerInitializer("LecunNormal", (c) => new LecunNormal(c));
registerInitializer("Orthogonal", (c) => new Orthogonal(c));
registerInitializer("Identity", (c) => new Identity(c));

/**
 * Resolves an initializer option: a registered name in any case style ("glorot_uniform",
 * "glorotUniform", "GlorotUniform"), a {className, config} object, or an Initializer.
 */
export function getInitializer(id: unknown, where = "initializer"): Initializer {
  return resolveInstance(REGISTRY, id, where, Initializer);
}

// camelCase factories for the public `initializers` namespace.
export const zeros = (): Initializer => new Zeros();
export const ones = (): Initializer => new Ones();
export const constant = (args: { value?: number } = {}): Initializer => new Constant(args);
export const randomNormal = (
  args: { mean?: number; stddev?: number; seed?: number | null } = {},
): Initializer => new RandomNormal(args);
export const randomUniform = (
  args: { minval?: number; maxval?: number; seed?: number | null } = {},
): Initializer => new RandomUniform(args);
export const truncatedNormal = (
  args: { mean?: number; stddev?: number; seed?: number | null } = {},
): Initializer => new TruncatedNormal(args);
export const varianceScaling = (args: VarianceScalingArgs = {}): Initializer => new VarianceScaling(args);
export const glorotUniform = (args: { seed?: number | null } = {}): Initializer => new GlorotUniform(args);
export const glorotNormal = (args: { seed?: number | null } = {}): Initializer => new GlorotNormal(args);
export const heUniform = (args: { seed?: number | null } = {}): Initializer => new HeUniform(args);
export const heNormal = (args: { seed?: number | null } = {}): Initializer => new HeNormal(args);
export const lecunUniform = (args: { seed?: number | null } = {}): Initializer => new LecunUniform(args);
export const lecunNormal = (args: { seed?: number | null } = {}): Initializer => new LecunNormal(args);
export const orthogonal = (args: { gain?: number; seed?: number | null } = {}): Initializer =>
  new Orthogonal(args);
export const identity = (args: { gain?: number } = {}): Initializer => new Identity(args);
