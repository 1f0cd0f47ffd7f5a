// core/random: a seeded pseudo-random generator (xoshiro128**, seeded through splitmix32) and the
// global generator that every random op, initializer, dropout mask, shuffle and split draws from.
import { ValueError } from "./errors.js";

/** Serialisable generator state, for checkpoints that must resume the same random stream. */
export interface GeneratorState {
  s: [number, number, number, number];
  spareNormal: number | null;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A pseudo-random stream. Same seed, same numbers, on every platform.
 * @example
 * const g = new Generator(7);
 * g.random(); // a float in [0, 1)
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  constructor(seed = 0) {
    this.reseed(seed);
  }

  /** Restarts the stream from `seed` (any finite number; non-integers are hashed by their bits). */
  reseed(seed: number): void {
    if (!Number.isFinite(seed)) throw new ValueError(`seed: expected a finite number (got ${seed})`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    const mix = splitmix32(lo ^ Math.imul(hi, 0x27d4eb2f));
    // The state words are kept as int32 (| 0), so the xorshift steps stay in small integers instead
    // of heap doubles; the bits, and so every number drawn, are the same as with unsigned words.
    this.s0 = mix() | 0;
    this.s1 = mix() | 0;
    this.s2 = mix() | 0;
    this.s3 = mix() | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spareNormal = null;
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform float in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.random();
  }

  /** Standard normal sample (Box-Muller, caching the second value). */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [low, high) without modulo bias. */
  int(low: number, high: number): number {
    if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
      throw new ValueError(`randint: expected integers low < high (got ${low} and ${high})`);
    }
    const range = high - low;
    if (range <= 4294967296) {
      const limit = 4294967296 - (4294967296 % range);
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return low + (x % range);
    }
    return low + Math.floor(this.random() * range);
  }

  /** Shuffles an array in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /** An independent generator seeded from this stream. */
  fork(): Generator {
    return new Generator(this.nextUint32() + this.nextUint32() * 4294967296);
  }

  getState(): GeneratorState {
    return { s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spareNormal: this.spareNormal };
  }

  setState(state: GeneratorState): void {
    const [a, b, c, d] = state.s;
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 0;
    this.spareNormal = state.spareNormal;
  }
}

/** 32-bit rotate left, as an int32. */
function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The default seed of the global generator, so unseeded programs are reproducible too. */
export const DEFAULT_SEED = 42;

const globalGenerator = new Generator(DEFAULT_SEED);

/** Seeds the global generator: every random op, initializer, dropout, shuffle and split after it repeats. */
export function seed(value: number): void {
  globalGenerator.reseed(value);
}

/** The global generator (used when an op is not given one of its own). */
export function getGenerator(): Generator {
  return globalGenerator;
}
