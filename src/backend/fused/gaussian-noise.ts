// backend/fused/gaussian-noise: seeded Gaussian noise added in place, out[i] = (out[i] + std z_i)
// scale, for DP-SGD (one sample per parameter per step). z_i comes from a counter-based generator,
// so every element is a function of (key, stream, offset, i) alone: the reference below and the
// native loops (native/src/noise-isa.inc) give the same bits whatever the thread count or vector
// width. Philox4x32-10 (Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3") with
// key (key0, key1) and counter (offset + floor(i / 4) as 64 bits, stream, 0) gives four words per
// block; words (0, 1) and (2, 3) become two pairs of normals by Box-Muller: r = sqrt(-2 ln u) with
// u = (w + 0.5) 2^-32, theta = 2 pi w' 2^-32, z = (r cos theta, r sin theta). Element i takes word
// i mod 4 of its block. The log and sincos are our own float64 polynomials (atanh series after an
// exact power-of-two split; Taylor series after an exact quadrant split), built from +, -, *, /
// and sqrt only, so IEEE arithmetic in any language reproduces them: within ~4 ulp of the true
// value in float64 (tested), rounded once to float32. u has 32 bits, so |z| <= 6.77 (a normal
// exceeds that with probability 1.3e-11). Not a cryptographically secure source.
import type { FloatArray } from "../../core/dtype.js";
import { defineFusedOp } from "./define.js";

/** One call: n elements of out, the noise's std, the factor applied after, and the counter. */
export interface GaussianNoiseParams {
  n: number;
  std: number;
  scale: number;
  /** Philox key words (uint32). */
  key0: number;
  key1: number;
  /** Third counter word (uint32): separates the streams of one key (e.g. one per tensor). */
  stream: number;
  /** Block offset (integer in [0, 2^53)): element i uses counter block offset + floor(i / 4). */
  offset: number;
}

/** out[i] = (out[i] + std z_i) scale for i < n (z_i standard normal as above). */
export type GaussianNoiseKernel = (out: FloatArray, params: GaussianNoiseParams) => void;

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const TWO32 = 4294967296;

/** The high 32 bits of a * m for uint32 a and m, from 16-bit halves (every partial below 2^32). */
function mulHi(a: number, m: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const ml = m & 0xffff;
  const mh = m >>> 16;
  const lh = al * mh;
  const hl = ah * ml;
  const carry = (((al * ml) >>> 16) + (lh & 0xffff) + (hl & 0xffff)) >>> 16;
  return (ah * mh + (lh >>> 16) + (hl >>> 16) + carry) >>> 0;
}

/** Philox4x32-10 of counter (c0..c3) under key (k0, k1), written to words[0..3] (uint32). */
export function philox4x32(
  counter: readonly [number, number, number, number],
  k0: number,
  k1: number,
  words: Uint32Array,
): void {
  philoxWords(counter[0], counter[1], counter[2], counter[3], k0, k1, words);
}

function philoxWords(
  x0: number,
  x1: number,
  x2: number,
  x3: number,
  k0: number,
  k1: number,
  words: Uint32Array,
): void {
  let c0 = x0 >>> 0;
  let c1 = x1 >>> 0;
  let c2 = x2 >>> 0;
  let c3 = x3 >>> 0;
  let a = k0 >>> 0;
  let b = k1 >>> 0;
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      a = (a + W0) >>> 0;
      b = (b + W1) >>> 0;
    }
    const hi0 = mulHi(c0, M0);
    const lo0 = Math.imul(c0, M0) >>> 0;
    const hi1 = mulHi(c2, M1);
    const lo1 = Math.imul(c2, M1) >>> 0;
    c0 = (hi1 ^ c1 ^ a) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ b) >>> 0;
    c3 = lo0;
  }
  words[0] = c0;
  words[1] = c1;
  words[2] = c2;
  words[3] = c3;
}

// 2 atanh(s) = 2 s (1 + z/3 + z^2/5 + ...), z = s^2 <= 0.0295: terms to z^10
const ATANH = [1 / 3, 1 / 5, 1 / 7, 1 / 9, 1 / 11, 1 / 13, 1 / 15, 1 / 17, 1 / 19, 1 / 21];
// sin a = a + a^3 (-1/3! + a^2/5! - ...) and cos a = 1 + a^2 (-1/2! + a^2/4! - ...), |a| <= pi/4
const SIN = [
  -1 / 6,
  1 / 120,
  -1 / 5040,
  1 / 362880,
  -1 / 39916800,
  1 / 6227020800,
  -1 / 1307674368000,
  1 / 355687428096000,
];
const COS = [
  -1 / 2,
  1 / 24,
  -1 / 720,
  1 / 40320,
  -1 / 3628800,
  1 / 479001600,
  -1 / 87178291200,
  1 / 20922789888000,
];
const POW2 = new Float64Array(34); // POW2[k + 1] = 2^-k for k in [-1, 32]
POW2[0] = 2;
for (let k = 1; k < POW2.length; k++) POW2[k] = POW2[k - 1]! * 0.5;

/** Horner from the last coefficient: c[0] + z (c[1] + z (...)). */
function horner(c: readonly number[], z: number): number {
  let p = c[c.length - 1]!;
  for (let j = c.length - 2; j >= 0; j--) p = p * z + c[j]!;
  return p;
}

/** ln((w + 0.5) 2^-32) for a uint32 w: w + 0.5 = m 2^k exactly, m in [sqrt(1/2), sqrt(2)). */
export function logUniform(w: number): number {
  const v = w + 0.5;
  let k = w === 0 ? -1 : 31 - Math.clz32(w);
  let m = v * POW2[k + 1]!;
  if (m >= Math.SQRT2) {
    m = m * 0.5;
    k += 1;
  }
  const f = m - 1;
  const s = f / (2 + f);
  const z = s * s;
  const logm = 2 * s + 2 * s * (z * horner(ATANH, z));
  return (k - 32) * Math.LN2 + logm;
}

/** Writes (r cos theta, r sin theta) for theta = 2 pi w 2^-32 into z[at], z[at + 1]. */
export function polar(r: number, w: number, z: Float64Array, at = 0): void {
  // quadrant n (nearest multiple of 2^30) and the exact remainder g in [-2^29, 2^29]
  const n = Math.floor((w + 536870912) / 1073741824);
  const g = w - n * 1073741824;
  const a = g * (Math.PI / 2147483648);
  const a2 = a * a;
  const sa = a + a * (a2 * horner(SIN, a2));
  const ca = 1 + a2 * horner(COS, a2);
  const q = n & 3;
  const cos = q === 0 ? ca : q === 1 ? -sa : q === 2 ? -ca : sa;
  const sin = q === 0 ? sa : q === 1 ? ca : q === 2 ? -sa : -ca;
  z[at] = r * cos;
  z[at + 1] = r * sin;
}

/** The four Philox words of counter block `block` (an integer below 2^53) of stream `stream`. */
export function philoxBlock(
  key0: number,
  key1: number,
  stream: number,
  block: number,
  words: Uint32Array,
): void {
  philoxWords(block >>> 0, Math.floor(block / TWO32) >>> 0, stream, 0, key0, key1, words);
}

/** The four standard normals of counter block `block` (an integer below 2^53). */
export function normalBlock(
  key0: number,
  key1: number,
  stream: number,
  block: number,
  words: Uint32Array,
  z: Float64Array,
): void {
  philoxBlock(key0, key1, stream, block, words);
  polar(Math.sqrt(-2 * logUniform(words[0]!)), words[1]!, z, 0);
  polar(Math.sqrt(-2 * logUniform(words[2]!)), words[3]!, z, 2);
}

const gaussianNoiseKernel: GaussianNoiseKernel = (out, { n, std, scale, key0, key1, stream, offset }) => {
  const words = new Uint32Array(4);
  const z = new Float64Array(4);
  for (let i = 0; i < n; i += 4) {
    normalBlock(key0, key1, stream, offset + i / 4, words, z);
    const end = Math.min(4, n - i);
    for (let l = 0; l < end; l++) out[i + l] = (out[i + l]! + std * z[l]!) * scale;
  }
};

export const gaussianNoise = defineFusedOp({
  name: "gaussianNoise",
  reference: gaussianNoiseKernel,
  vjp: undefined,
  positional: {
    forward: (p) => [p.n, p.std, p.scale, p.key0 >>> 0, p.key1 >>> 0, p.stream >>> 0, p.offset],
    backward: undefined,
  },
});
