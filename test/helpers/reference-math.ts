// test/helpers/reference-math: float64 scalar references written independently of src/ (a
// different series for erf than the implementation's Taylor series + continued fraction).

/**
 * The error function from the all-positive series erf(x) = 2/sqrt(pi) e^{-x^2} sum_n (2x^2)^n x / (2n+1)!!
 * (no cancellation, so about 1e-16 relative everywhere); |x| > 6 rounds to +-1 in float64.
 */
export function erfReference(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (Math.abs(x) > 6) return Math.sign(x);
  const twoX2 = 2 * x * x;
  let term = x;
  let total = x;
  for (let n = 1; n < 400; n++) {
    term *= twoX2 / (2 * n + 1);
    total += term;
    if (Math.abs(term) < 1e-17 * Math.abs(total)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * total;
}

export const sigmoidReference = (v: number): number => 1 / (1 + Math.exp(-v));

/** log(1 + e^v) without overflow. */
export const softplusReference = (v: number): number => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
