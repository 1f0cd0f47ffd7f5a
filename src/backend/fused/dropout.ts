// backend/fused/dropout: inverted dropout with its mask drawn and applied in one pass,
// out[i] = x[i] m_i with m_i = scale where word_i < threshold and 0 elsewhere. word_i is word
// i mod 4 of the Philox4x32-10 block offset + floor(i / 4) under (key0, key1) and the third counter
// word `stream`: the counter layout of gaussian-noise (whose generator this reuses), so the mask is
// a function of (key, stream, offset, i) alone and every backend, ISA and thread count draws the
// same one. threshold = round(keep 2^32) is an integer, so keeping is an exact integer comparison
// (probability threshold / 2^32, within 2^-33 of keep). The product is formed in float64 and
// rounded once to the array's precision, x times 0 included (NaN and infinities stay NaN, as with
// a multiply by a mask). The adjoint is the same kernel on dy: the mask is drawn again from the
// counter rather than kept. x and out may be the same array.
import type { FloatArray } from "../../core/dtype.js";
import { defineFusedOp } from "./define.js";
import { philoxBlock } from "./gaussian-noise.js";

/** One call: n elements, the keep probability and the survivors' factor, and the counter. */
export interface DropoutParams {
  n: number;
  /** Probability of keeping an element, in [0, 1]. */
  keep: number;
  /** Factor of the kept elements (1 / keep for inverted dropout). */
  scale: number;
  /** Philox key words (uint32). */
  key0: number;
  key1: number;
  /** Third counter word (uint32). */
  stream: number;
  /** Block offset (integer in [0, 2^53)): element i uses counter block offset + floor(i / 4). */
  offset: number;
}

/** out[i] = x[i] m_i for i < n (m_i as above); the adjoint is the same with dy for x, dx for out. */
export type DropoutKernel = (x: FloatArray, out: FloatArray, params: DropoutParams) => void;

const TWO32 = 4294967296;

/** The integer a Philox word is compared with: words below it keep their element. */
export function keepThreshold(keep: number): number {
  return Math.min(TWO32, Math.max(0, Math.round(keep * TWO32)));
}

const dropoutKernel: DropoutKernel = (x, out, { n, keep, scale, key0, key1, stream, offset }) => {
  const threshold = keepThreshold(keep);
  const words = new Uint32Array(4);
  for (let i = 0; i < n; i += 4) {
    philoxBlock(key0, key1, stream, offset + i / 4, words);
    const end = Math.min(4, n - i);
    for (let l = 0; l < end; l++) out[i + l] = x[i + l]! * (words[l]! < threshold ? scale : 0);
  }
};

const positional = (p: DropoutParams): readonly unknown[] => [
  p.n,
  p.scale,
  keepThreshold(p.keep),
  p.key0 >>> 0,
  p.key1 >>> 0,
  p.stream >>> 0,
  p.offset,
];

export const dropout = defineFusedOp({
  name: "dropout",
  reference: dropoutKernel,
  // dx = dy m: the same mask, drawn again from the same counter
  vjp: dropoutKernel,
  positional: { forward: positional, backward: positional },
});
