// train/privacy/rdp-accountant: Rényi differential privacy of DP-SGD. The sampled Gaussian
// mechanism (each example in a batch with probability q, noise sigma times the clipping norm) has
// RDP epsilon(alpha) = log(A_alpha) / (alpha - 1) (Mironov, Talwar, Zhang 2019, "Rényi Differential
// Privacy of the Sampled Gaussian Mechanism", Sections 3.3 and 3.4: a finite binomial sum for
// integer alpha, two converging series with erfc terms for fractional alpha, as in the TF Privacy
// and Opacus RDP accountants). RDP composes by addition over steps (Mironov 2017, Prop. 1); the
// conversion to (epsilon, delta) takes the best order. Two conversions:
// - "improved" (default): eps = rdp + log((alpha-1)/alpha) - (log(delta) + log(alpha)) / (alpha-1),
//   Balle, Barthe, Gaboardi, Hsu, Sato 2020, "Hypothesis Testing Interpretations and Renyi
//   Differential Privacy", Theorem 21 (what Opacus and TF Privacy >= 0.8 use);
// - "classic": eps = rdp + log(1/delta) / (alpha-1), Mironov 2017, Proposition 3 (what the older
//   TF Privacy tutorials printed; kept so published figures of that time can be checked).
import { ValueError } from "../../core/errors.js";

/** The orders alpha the accountant tries (Opacus's default list plus large orders for tiny epsilons). */
export const DEFAULT_ORDERS: readonly number[] = [
  ...Array.from({ length: 99 }, (_, i) => 1 + (i + 1) / 10),
  ...Array.from({ length: 52 }, (_, i) => 12 + i),
  128,
  256,
  512,
];

/** How RDP turns into (epsilon, delta); see the file header. */
export type RdpConversion = "improved" | "classic";

/** log(exp(a) + exp(b)) without overflow. */
function logAdd(a: number, b: number): number {
  const hi = Math.max(a, b);
  const lo = Math.min(a, b);
  if (hi === Number.NEGATIVE_INFINITY) return hi;
  return hi + Math.log1p(Math.exp(lo - hi));
}

/** log(exp(a) - exp(b)) for a >= b. */
function logSub(a: number, b: number): number {
  if (b === Number.NEGATIVE_INFINITY) return a;
  if (a < b) throw new ValueError(`rdp accountant: log of a negative difference (${a} < ${b})`);
  if (a === b) return Number.NEGATIVE_INFINITY;
  return a + Math.log(-Math.expm1(b - a));
}

/** log(erfc(x)): a positive series for erf near 0, Lentz's continued fraction in the tails. */
export function logErfc(x: number): number {
  if (x < 0) {
    // erfc(x) = 2 - erfc(-x) lies in (1, 2]
    return Math.log(2 - Math.exp(logErfc(-x)));
  }
  if (x < 2) {
    // erf(x) = 2/sqrt(pi) exp(-x^2) sum_n x^(2n+1) 2^n / (1*3*...*(2n+1)): all terms positive
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    const erf = (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
    return Math.log1p(-erf);
  }
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), modified Lentz
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return -x * x - 0.5 * Math.log(Math.PI) - Math.log(f);
}

/** log(A_alpha) for integer alpha: a binomial sum (Mironov et al. 2019, Section 3.3). */
function logAInteger(q: number, sigma: number, alpha: number): number {
  let logA = Number.NEGATIVE_INFINITY;
  let logBinom = 0; // log C(alpha, i), updated step by step
  for (let i = 0; i <= alpha; i++) {
    if (i > 0) logBinom += Math.log((alpha - i + 1) / i);
    const logCoef = logBinom + i * Math.log(q) + (alpha - i) * Math.log1p(-q);
    logA = logAdd(logA, logCoef + (i * i - i) / (2 * sigma * sigma));
  }
  return logA;
}

/** log(A_alpha) for fractional alpha: two series cut where terms fall below e^-30 (Section 3.4). */
function logAFractional(q: number, sigma: number, alpha: number): number {
  let logA0 = Number.NEGATIVE_INFINITY;
  let logA1 = Number.NEGATIVE_INFINITY;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  let coef = 1; // C(alpha, i) for real alpha, by its product form
  for (let i = 0; i < 100000; i++) {
    if (i > 0) coef *= (alpha - i + 1) / i;
    const logCoef = Math.log(Math.abs(coef));
    const j = alpha - i;
    const logT0 = logCoef + i * Math.log(q) + j * Math.log1p(-q);
    const logT1 = logCoef + j * Math.log(q) + i * Math.log1p(-q);
    const logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.SQRT2 * sigma));
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.SQRT2 * sigma));
    const logS0 = logT0 + (i * i - i) / (2 * sigma * sigma) + logE0;
    const logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
    if (coef > 0) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30) break;
  }
  return logAdd(logA0, logA1);
}

function checkRate(op: string, q: number, sigma: number): void {
  if (!(q >= 0 && q <= 1)) throw new ValueError(`${op}: sampleRate must be in [0, 1] (got ${q})`);
  if (!(sigma > 0) || !Number.isFinite(sigma)) {
    throw new ValueError(`${op}: noiseMultiplier must be a finite number > 0 (got ${sigma})`);
  }
}

/** RDP of ONE step of the sampled Gaussian mechanism at order alpha (> 1). */
export function rdpSampledGaussian(q: number, sigma: number, alpha: number): number {
  checkRate("rdpSampledGaussian", q, sigma);
  if (!(alpha > 1)) throw new ValueError(`rdpSampledGaussian: orders must be > 1 (got ${alpha})`);
  if (q === 0) return 0;
  if (q === 1) return alpha / (2 * sigma * sigma);
  if (alpha === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  const logA = Number.isInteger(alpha) ? logAInteger(q, sigma, alpha) : logAFractional(q, sigma, alpha);
  return logA / (alpha - 1);
}

/**
 * RDP of `steps` compositions, one value per order.
 * @example
 * computeRdp({ sampleRate: 0.1, noiseMultiplier: 2, steps: 10, orders: [5] }); // [0.07737...]
 */
export function computeRdp(options: {
  sampleRate: number;
  noiseMultiplier: number;
  steps: number;
  orders?: readonly number[];
}): number[] {
  const { sampleRate, noiseMultiplier, steps } = options;
  if (!Number.isInteger(steps) || steps < 0) {
    throw new ValueError(`computeRdp: steps must be an integer >= 0 (got ${steps})`);
  }
  return (options.orders ?? DEFAULT_ORDERS).map(
    (alpha) => steps * rdpSampledGaussian(sampleRate, noiseMultiplier, alpha),
  );
}

/** The smallest epsilon over the orders for a given delta, and the order that gave it. */
export function rdpToEpsilon(
  orders: readonly number[],
  rdp: readonly number[],
  delta: number,
  conversion: RdpConversion = "improved",
): { epsilon: number; order: number } {
  if (!(delta > 0 && delta < 1)) throw new ValueError(`rdpToEpsilon: delta must be in (0, 1) (got ${delta})`);
  if (orders.length !== rdp.length || orders.length === 0) {
    throw new ValueError(
      `rdpToEpsilon: expected one RDP value per order (got ${rdp.length} for ${orders.length})`,
    );
  }
  let best = { epsilon: Number.POSITIVE_INFINITY, order: Number.NaN };
  orders.forEach((alpha, i) => {
    const r = rdp[i]!;
    let eps: number;
    if (conversion === "classic") eps = r + Math.log(1 / delta) / (alpha - 1);
    else if (delta * delta + Math.expm1(-r) >= 0)
      eps = 0; // the KL bound alone gives delta
    else eps = r + Math.log1p(-1 / alpha) - (Math.log(delta) + Math.log(alpha)) / (alpha - 1);
    if (eps < best.epsilon) best = { epsilon: Math.max(0, eps), order: alpha };
  });
  return best;
}

/** What DP-SGD spent: sampling rate q, noise multiplier sigma, steps and delta. */
export interface PrivacySpendOptions {
  sampleRate: number;
  noiseMultiplier: number;
  steps: number;
  delta: number;
  orders?: readonly number[];
  conversion?: RdpConversion;
}

/**
 * Epsilon of DP-SGD after `steps` steps (RDP accountant, best order).
 * @example
 * computeEpsilon({ sampleRate: 256 / 60000, noiseMultiplier: 1.1, steps: 14040, delta: 1e-5 });
 */
export function computeEpsilon(options: PrivacySpendOptions): { epsilon: number; order: number } {
  const orders = options.orders ?? DEFAULT_ORDERS;
  const rdp = computeRdp({ ...options, orders });
  return rdpToEpsilon(orders, rdp, options.delta, options.conversion);
}

/**
 * The smallest noise multiplier whose epsilon after `steps` steps is at most targetEpsilon
 * (bisection on sigma; epsilon falls as sigma grows). Raises when no sigma up to 1e4 reaches it.
 */
export function findNoiseMultiplier(options: {
  targetEpsilon: number;
  delta: number;
  sampleRate: number;
  steps: number;
  orders?: readonly number[];
  conversion?: RdpConversion;
  /** Relative precision of the answer (default 1e-3). */
  tolerance?: number;
}): number {
  const { targetEpsilon } = options;
  if (!(targetEpsilon > 0) || !Number.isFinite(targetEpsilon)) {
    throw new ValueError(
      `findNoiseMultiplier: targetEpsilon must be a finite number > 0 (got ${targetEpsilon})`,
    );
  }
  const epsAt = (sigma: number) => computeEpsilon({ ...options, noiseMultiplier: sigma }).epsilon;
  let high = 1;
  while (epsAt(high) > targetEpsilon) {
    high *= 2;
    if (high > 1e4) {
      throw new ValueError(
        `findNoiseMultiplier: epsilon ${targetEpsilon} cannot be reached with delta ${options.delta}, sampling rate ${options.sampleRate} and ${options.steps} steps (even noise multiplier 1e4 gives ${epsAt(1e4).toPrecision(3)}); train fewer steps, sample fewer examples per step or raise the target`,
      );
    }
  }
  let low = high / 2;
  if (epsAt(low) <= targetEpsilon) low = 0;
  const tolerance = options.tolerance ?? 1e-3;
  while (high - low > tolerance * high) {
    const mid = (low + high) / 2;
    if (epsAt(mid) > targetEpsilon) low = mid;
    else high = mid;
  }
  return high;
}
