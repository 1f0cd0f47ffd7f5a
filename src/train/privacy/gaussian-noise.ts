// train/privacy/gaussian-noise: fast standard normal samples for DP-SGD's noise, which needs one
// per parameter per step (Box-Muller through Generator.normal costs more than the training step's
// own arithmetic). The ziggurat method of Marsaglia and Tsang (2000, "The Ziggurat Method for
// Generating Random Variables", J. Stat. Softw. 5(8)), 128 layers, with Doornik's (2005) fix: the
// layer index and the value come from DIFFERENT bits of the 32-bit draw (low 7 bits: layer; high
// 25 bits, signed: value), so they are independent. About one uint32, a compare and a multiply per
// sample; the rare rejections fall back to exact exponential and wedge tests.
// DpSgd itself now draws its noise from the backend's gaussianNoise kernel (backend/fused/
// gaussian-noise: counter-based, native and multi-threaded); bench/privacy times this sampler beside it.
import type { Generator } from "../../core/random.js";

const LAYERS = 128;
const SCALE = 16777216; // 2^24: the signed 25-bit value lies in [-2^24, 2^24)
const R = 3.442619855899; // start of the tail
const AREA = 9.91256303526217e-3; // area of each layer

const kn = new Int32Array(LAYERS); // thresholds on the 25-bit value (integers below 2^24)
const wn = new Float64Array(LAYERS);
const fn = new Float64Array(LAYERS);

// The layer table (Marsaglia and Tsang's zigset for RNOR, at 2^24 resolution).
{
  let dn = R;
  let tn = dn;
  const q = AREA / Math.exp(-0.5 * dn * dn);
  kn[0] = Math.floor((dn / q) * SCALE);
  kn[1] = 0;
  wn[0] = q / SCALE;
  wn[LAYERS - 1] = dn / SCALE;
  fn[0] = 1;
  fn[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(AREA / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = Math.floor((dn / tn) * SCALE);
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / SCALE;
  }
}

/** A uniform in (0, 1) with 32 bits. */
function uniform(generator: Generator): number {
  return (generator.nextUint32() + 0.5) / 4294967296;
}

/** The slow path of one sample (a tail or wedge draw); retries with fresh bits as the method says. */
function rejected(generator: Generator, first: number, firstLayer: number): number {
  let value = first;
  let layer = firstLayer;
  for (;;) {
    const x = value * wn[layer]!;
    if (layer === 0) {
      // the tail beyond R: Marsaglia's exponential rejection
      let tx: number;
      let ty: number;
      do {
        tx = -Math.log(uniform(generator)) / R;
        ty = -Math.log(uniform(generator));
      } while (ty + ty < tx * tx);
      return value > 0 ? R + tx : -R - tx;
    }
    if (fn[layer]! + uniform(generator) * (fn[layer - 1]! - fn[layer]!) < Math.exp(-0.5 * x * x)) return x;
    const u = generator.nextUint32() | 0;
    layer = u & (LAYERS - 1);
    value = u >> 7;
    if (Math.abs(value) < kn[layer]!) return value * wn[layer]!;
  }
}

/**
 * out[i] = (out[i] + std * N(0, 1)) * scale for every i, from `generator` (its stream advances exactly as if each
 * uint32 had come from generator.nextUint32(): the fast path runs xoshiro128** on local copies of
 * its state, written back before a rare slow-path draw and at the end).
 */
export function addGaussianNoise(
  out: Float32Array | Float64Array,
  std: number,
  generator: Generator,
  scale = 1,
): void {
  const state = generator.getState();
  const spare = state.spareNormal;
  // int32 locals (the state is stored unsigned; `| 0` keeps V8 on small integers, not doubles)
  let s0 = state.s[0] | 0;
  let s1 = state.s[1] | 0;
  let s2 = state.s[2] | 0;
  let s3 = state.s[3] | 0;
  for (let i = 0; i < out.length; i++) {
    // xoshiro128** (the same steps as Generator.nextUint32)
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    const u = r | 0;
    const layer = u & (LAYERS - 1);
    const value = u >> 7;
    let z: number;
    if (Math.abs(value) < kn[layer]!) z = value * wn[layer]!;
    else {
      generator.setState({ s: [s0, s1, s2, s3], spareNormal: spare });
      z = rejected(generator, value, layer);
      const next = generator.getState().s;
      s0 = next[0] | 0;
      s1 = next[1] | 0;
      s2 = next[2] | 0;
      s3 = next[3] | 0;
    }
    out[i] = (out[i]! + std * z) * scale;
  }
  generator.setState({ s: [s0, s1, s2, s3], spareNormal: spare });
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
