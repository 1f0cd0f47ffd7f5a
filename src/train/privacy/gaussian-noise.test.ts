// The ziggurat sampler against the standard normal: moments, tail mass beyond the ziggurat's
// start (3.44), and the Kolmogorov-Smirnov distance to the exact CDF over 200,000 samples.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Generator } from "../../core/random.js";
import { addGaussianNoise } from "./gaussian-noise.js";
import { logErfc } from "./rdp-accountant.js";

const N = 200_000;

function samples(seed: number): Float64Array {
  const out = new Float64Array(N);
  addGaussianNoise(out, 1, new Generator(seed));
  return out;
}

test("mean 0, variance 1, kurtosis 3, and the tail mass beyond 3.44 of N(0, 1)", () => {
  const z = samples(1);
  let m = 0;
  for (const v of z) m += v;
  m /= N;
  let v2 = 0;
  let v4 = 0;
  let tail = 0;
  for (const v of z) {
    v2 += (v - m) ** 2;
    v4 += (v - m) ** 4;
    if (Math.abs(v) > 3.442619855899) tail++;
  }
  v2 /= N;
  v4 /= N;
  assert.ok(Math.abs(m) < 0.01, `mean ${m}`); // sd of the mean 0.0022
  assert.ok(Math.abs(v2 - 1) < 0.015, `variance ${v2}`); // sd 0.0032
  assert.ok(Math.abs(v4 / (v2 * v2) - 3) < 0.06, `kurtosis ${v4 / (v2 * v2)}`); // sd ~0.011
  // P(|Z| > 3.4426) = erfc(3.4426 / sqrt 2) = 5.76e-4: about 115 of 200,000
  const expected = N * Math.exp(logErfc(3.442619855899 / Math.SQRT2));
  assert.ok(Math.abs(tail - expected) < 4 * Math.sqrt(expected), `tail ${tail} vs ${expected}`);
});

test("Kolmogorov-Smirnov distance to the normal CDF is below the 1% critical value", () => {
  const z = samples(2).sort();
  const cdf = (x: number) => 0.5 * Math.exp(logErfc(-x / Math.SQRT2));
  let d = 0;
  for (let i = 0; i < N; i++) {
    const f = cdf(z[i]!);
    d = Math.max(d, Math.abs(f - i / N), Math.abs((i + 1) / N - f));
  }
  assert.ok(d < 1.63 / Math.sqrt(N), `KS distance ${d}`);
});

test("std scales and the same seed gives the same noise", () => {
  const a = new Float32Array(1000);
  const b = new Float32Array(1000);
  addGaussianNoise(a, 2.5, new Generator(9));
  addGaussianNoise(b, 2.5, new Generator(9));
  assert.deepEqual(a, b);
  const s = Math.sqrt(a.reduce((acc, v) => acc + v * v, 0) / a.length);
  assert.ok(Math.abs(s - 2.5) < 0.2, `std ${s}`);
});
