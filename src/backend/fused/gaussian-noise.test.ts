// The gaussianNoise reference kernel: Philox4x32-10 against the Random123 known-answer vectors,
// its log and sincos against Math's, the distribution of 200,000 samples (mean, variance,
// Kolmogorov-Smirnov against the normal CDF), seeded reproducibility and the in-place contract.
import assert from "node:assert/strict";
import { test } from "node:test";
import { erf } from "../reference/scalar-math.js";
import { gaussianNoise, logUniform, philox4x32, polar } from "./gaussian-noise.js";

const kernel = gaussianNoise.reference;
const base = { std: 1, scale: 1, key0: 0x12345678, key1: 0x9abcdef0, stream: 0, offset: 0 };

test("philox4x32-10 matches the Random123 known-answer vectors", () => {
  const words = new Uint32Array(4);
  const hex = () => [...words].map((w) => w.toString(16).padStart(8, "0")).join(" ");
  philox4x32([0, 0, 0, 0], 0, 0, words);
  assert.equal(hex(), "6627e8d5 e169c58d bc57ac4c 9b00dbd8");
  philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], 0xffffffff, 0xffffffff, words);
  assert.equal(hex(), "408f276d 41c83b0e a20bc7c6 6d5451fd");
  philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], 0xa4093822, 0x299f31d0, words);
  assert.equal(hex(), "d16cfe09 94fdcceb 5001e420 24126ea1");
});

test("the float64 log and sincos are within a few ulp of Math's", () => {
  const ulp = (x: number) => Math.max(Number.MIN_VALUE, 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52));
  const pair = new Float64Array(2);
  let worstLog = 0;
  let worstTrig = 0;
  const edge = [0, 1, 2, 3, 0x7fffffff, 0x80000000, 0xb504f333, 0xb504f334, 0xfffffffe, 0xffffffff];
  for (let j = 0; j < 20000; j++) {
    const w = j < edge.length ? edge[j]! : Math.floor(((j * 2654435761) % 4294967296) + 0.5) >>> 0;
    const want = Math.log((w + 0.5) / 4294967296);
    worstLog = Math.max(worstLog, Math.abs(logUniform(w) - want) / ulp(want));
    const theta = (2 * Math.PI * w) / 4294967296;
    polar(1, w, pair);
    // absolute error in units of 2^-53 (cos and sin are at most 1)
    worstTrig = Math.max(worstTrig, Math.abs(pair[0]! - Math.cos(theta)) * 2 ** 53);
    worstTrig = Math.max(worstTrig, Math.abs(pair[1]! - Math.sin(theta)) * 2 ** 53);
  }
  assert.ok(worstLog <= 4, `log: worst ${worstLog} ulp`);
  assert.ok(worstTrig <= 8, `sincos: worst ${worstTrig} x 2^-53`);
});

test("200,000 samples are standard normal (mean, variance, Kolmogorov-Smirnov)", () => {
  const n = 200000;
  const out = new Float64Array(n);
  kernel(out, { ...base, n });
  let sum = 0;
  let sq = 0;
  for (const v of out) {
    sum += v;
    sq += v * v;
  }
  const mean = sum / n;
  const variance = sq / n - mean * mean;
  // standard errors: 1/sqrt(n) = 0.0022 for the mean, sqrt(2/n) = 0.0032 for the variance
  assert.ok(Math.abs(mean) < 0.0112, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.016, `variance ${variance}`);
  const sorted = Float64Array.from(out).sort();
  let d = 0;
  for (let i = 0; i < n; i++) {
    const cdf = 0.5 * (1 + erf(sorted[i]! / Math.SQRT2));
    d = Math.max(d, Math.abs(cdf - i / n), Math.abs(cdf - (i + 1) / n));
  }
  // the 1% critical value of the KS statistic is 1.628 / sqrt(n) = 0.00364
  assert.ok(d < 1.628 / Math.sqrt(n), `KS statistic ${d}`);
  // the pairs (cos, sin) are uncorrelated: neighbours' correlation within 5 standard errors
  let cross = 0;
  for (let i = 0; i + 1 < n; i += 2) cross += out[i]! * out[i + 1]!;
  assert.ok(Math.abs(cross / (n / 2)) < 5 / Math.sqrt(n / 2), `pair correlation ${cross / (n / 2)}`);
});

test("seeded: the same key and counter give the same bits; key, stream and offset change them", () => {
  const run = (p: Partial<typeof base>, n = 1001) => {
    const out = new Float32Array(n);
    kernel(out, { ...base, ...p, n });
    return out;
  };
  assert.deepEqual(run({}), run({}));
  assert.notDeepEqual(run({}), run({ key0: base.key0 + 1 }));
  assert.notDeepEqual(run({}), run({ key1: base.key1 + 1 }));
  assert.notDeepEqual(run({}), run({ stream: 1 }));
  // offset counts blocks of 4: offset 10 continues the stream at element 40
  assert.deepEqual(run({ offset: 10 }, 961), run({}, 1001).subarray(40));
  // counters above 2^32 carry into the second word
  assert.notDeepEqual(run({ offset: 2 ** 32 }), run({}));
});

test("adds in place and scales after: out = (out + std z) scale", () => {
  const n = 37;
  const z = new Float64Array(n);
  kernel(z, { ...base, n });
  const out = Float64Array.from({ length: n }, (_, i) => i - 10);
  kernel(out, { ...base, n, std: 0.5, scale: 3 });
  for (let i = 0; i < n; i++) assert.equal(out[i], (i - 10 + 0.5 * z[i]!) * 3);
  // elements past n are not touched
  const longer = new Float32Array(10).fill(7);
  kernel(longer, { ...base, n: 5 });
  assert.deepEqual([...longer.subarray(5)], [7, 7, 7, 7, 7]);
  assert.notEqual(longer[4], 7);
});
