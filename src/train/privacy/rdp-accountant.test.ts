// Tests of the RDP accountant against published figures (cited per case) and its own invariants.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../core/errors.js";
import {
  computeEpsilon,
  computeRdp,
  DEFAULT_ORDERS,
  findNoiseMultiplier,
  logErfc,
  rdpToEpsilon,
} from "./rdp-accountant.js";

// The orders of the TF Privacy MNIST tutorial's compute_epsilon: 1.1..10.9 and 12..63.
const TUTORIAL_ORDERS = [
  ...Array.from({ length: 99 }, (_, i) => 1 + (i + 1) / 10),
  ...Array.from({ length: 52 }, (_, i) => 12 + i),
];
// MNIST: 60000 examples, batch 256 -> q = 256/60000, 60000 // 256 = 234 steps per epoch.
const MNIST_Q = 256 / 60000;
const MNIST_STEPS_PER_EPOCH = 234;

// Published: tensorflow/privacy, tutorials/README.md ("Select Parameters" table and "Expected
// Output"), for tutorials/mnist_dpsgd_tutorial.py, epsilon at delta = 1e-5, printed with two
// decimals and computed with the classic RDP -> (eps, delta) conversion of that time.
// Tolerance 0.01: the printed rounding (0.005) plus the table's own rounding of its runs.
const TF_PRIVACY_TUTORIAL = [
  { sigma: 1.12, epochs: 60, epsilon: 2.92, where: "README table row 1 / expected output after 60 epochs" },
  { sigma: 0.6, epochs: 30, epsilon: 9.74, where: "README table row 2" },
  { sigma: 1.2, epochs: 10, epsilon: 1.2, where: "README table row 3" },
  { sigma: 1.12, epochs: 1, epsilon: 1.0, where: "expected output after 1 epoch" },
  { sigma: 1.12, epochs: 2, epsilon: 1.04, where: "expected output after 2 epochs" },
];

for (const row of TF_PRIVACY_TUTORIAL) {
  test(`published: TF Privacy MNIST tutorial, sigma ${row.sigma}, ${row.epochs} epochs -> eps ${row.epsilon} (${row.where})`, () => {
    const { epsilon } = computeEpsilon({
      sampleRate: MNIST_Q,
      noiseMultiplier: row.sigma,
      steps: row.epochs * MNIST_STEPS_PER_EPOCH,
      delta: 1e-5,
      orders: TUTORIAL_ORDERS,
      conversion: "classic",
    });
    assert.ok(
      Math.abs(epsilon - row.epsilon) <= 0.01,
      `accountant gave ${epsilon}, published ${row.epsilon}`,
    );
    // the improved conversion (Balle et al. 2020, Thm 21) can only be tighter
    const improved = computeEpsilon({
      sampleRate: MNIST_Q,
      noiseMultiplier: row.sigma,
      steps: row.epochs * MNIST_STEPS_PER_EPOCH,
      delta: 1e-5,
      orders: TUTORIAL_ORDERS,
    }).epsilon;
    assert.ok(improved < epsilon && improved > 0.6 * epsilon, `improved ${improved} vs classic ${epsilon}`);
  });
}

// Published: tensorflow/privacy, tensorflow_privacy/privacy/analysis/rdp_accountant_test.py,
// test_compute_rdp_scalar (0.07737, places=5) and test_compute_rdp_sequence (delta=1e-5): exact
// RDP values, one integer and several fractional orders (the two code paths).
test("published: TF Privacy rdp_accountant_test RDP values (integer and fractional orders)", () => {
  const [scalar] = computeRdp({ sampleRate: 0.1, noiseMultiplier: 2, steps: 10, orders: [5] });
  assert.ok(Math.abs(scalar! - 0.07737) < 1e-5, `${scalar}`);
  const got = computeRdp({
    sampleRate: 0.01,
    noiseMultiplier: 2.5,
    steps: 50,
    orders: [1.5, 2.5, 5, 50, 100],
  });
  const published = [0.00065, 0.001085, 0.00218075, 0.023846, 167.416307];
  got.forEach((v, i) => {
    assert.ok(Math.abs(v - published[i]!) < 1e-5, `order ${i}: ${v} vs ${published[i]}`);
  });
});

// Published: the same file, test_check_composition: two mechanisms composed (q=1e-4, sigma=0.4,
// 40000 steps, then q=0.1, sigma=2, 100 steps) give eps 8.509656 at order 2.5 with the classic
// conversion ("These tests use the old RDP -> approx DP conversion"), and at most that with the
// improved one. Tolerance 1e-5 (places=5 in the original).
test("published: TF Privacy test_check_composition, eps 8.509656 at order 2.5 (classic)", () => {
  const orders = [1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 64, 256];
  const a = computeRdp({ sampleRate: 1e-4, noiseMultiplier: 0.4, steps: 40000, orders });
  const b = computeRdp({ sampleRate: 0.1, noiseMultiplier: 2, steps: 100, orders });
  const rdp = a.map((v, i) => v + b[i]!);
  const classic = rdpToEpsilon(orders, rdp, 1e-5, "classic");
  assert.ok(Math.abs(classic.epsilon - 8.509656) < 1e-5, `${classic.epsilon}`);
  assert.equal(classic.order, 2.5);
  assert.ok(rdpToEpsilon(orders, rdp, 1e-5).epsilon <= 8.509656);
});

test("without sampling the RDP is alpha / (2 sigma^2); with q = 0 it is 0", () => {
  assert.deepEqual(computeRdp({ sampleRate: 1, noiseMultiplier: 10, steps: 1, orders: [20] }), [0.1]);
  assert.deepEqual(computeRdp({ sampleRate: 0, noiseMultiplier: 10, steps: 1, orders: [20] }), [0]);
});

test("integer and fractional code paths agree near an integer order", () => {
  const at = (alpha: number) =>
    computeRdp({ sampleRate: 0.02, noiseMultiplier: 1.3, steps: 1, orders: [alpha] })[0]!;
  assert.ok(Math.abs(at(8) - at(8.0001)) / at(8) < 1e-3, `${at(8)} vs ${at(8.0001)}`);
});

test("logErfc matches erfc values in the body and the tails", () => {
  // erfc(0.5) = 0.4795001221869535, erfc(3) = 2.209049699858544e-05, erfc(-1) = 1.8427007929497148
  assert.ok(Math.abs(logErfc(0.5) - Math.log(0.4795001221869535)) < 1e-13);
  assert.ok(Math.abs(logErfc(3) - Math.log(2.209049699858544e-5)) < 1e-12);
  assert.ok(Math.abs(logErfc(-1) - Math.log(1.8427007929497148)) < 1e-13);
  // far tail: log erfc(x) ~ -x^2 - log(x sqrt(pi))
  assert.ok(Math.abs(logErfc(30) - (-900 - Math.log(30 * Math.sqrt(Math.PI)))) < 1e-3);
});

test("epsilon grows with steps and falls with noise", () => {
  const eps = (sigma: number, steps: number) =>
    computeEpsilon({ sampleRate: 0.01, noiseMultiplier: sigma, steps, delta: 1e-5 }).epsilon;
  assert.ok(eps(1, 100) < eps(1, 1000));
  assert.ok(eps(2, 1000) < eps(1, 1000));
});

test("findNoiseMultiplier meets the target and is the smallest within its tolerance", () => {
  const setting = { delta: 1e-5, sampleRate: 0.01, steps: 1000 };
  for (const targetEpsilon of [1, 3, 8]) {
    const sigma = findNoiseMultiplier({ targetEpsilon, ...setting });
    const reached = computeEpsilon({ ...setting, noiseMultiplier: sigma }).epsilon;
    assert.ok(reached <= targetEpsilon, `eps ${reached} at sigma ${sigma}`);
    const less = computeEpsilon({ ...setting, noiseMultiplier: sigma * 0.99 }).epsilon;
    assert.ok(less > targetEpsilon, `sigma ${sigma} is not the smallest: 0.99x gives ${less}`);
  }
});

test("bad input: delta, target that cannot be met, sigma 0", () => {
  assert.throws(
    () => rdpToEpsilon(DEFAULT_ORDERS, computeRdp({ sampleRate: 0.1, noiseMultiplier: 1, steps: 1 }), 0),
    {
      name: "ValueError",
      message: /delta must be in \(0, 1\)/,
    },
  );
  assert.throws(
    () => findNoiseMultiplier({ targetEpsilon: 1e-4, delta: 1e-9, sampleRate: 1, steps: 1e6 }),
    (e: unknown) => e instanceof ValueError && /cannot be reached/.test(e.message),
  );
  assert.throws(
    () => computeRdp({ sampleRate: 0.1, noiseMultiplier: 0, steps: 1 }),
    /noiseMultiplier must be a finite number > 0/,
  );
});
