// backend/fused/gelu: the gelu fused op: GELU and its derivative, exact (erf) and
// tanh-approximated, element by element in float64 (the specification of native/src/norm-*.cc's
// GELU loops). The forward multiplies in the order of the composed form (x * 0.5) * (1 + erf) so
// the fused op and the composition agree to the last bit in float64.
import type { FloatArray } from "../../core/dtype.js";
import { erf } from "../reference/scalar-math.js";
import { defineFusedOp } from "./define.js";

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const CUBIC = 0.044715;

/**
 * GELU: out = (x / 2) (1 + erf(x / sqrt 2)), or with `approximate` the tanh form
 * (x / 2) (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).
 */
export type GeluKernel = (x: FloatArray, out: FloatArray, approximate: boolean) => void;

/** The adjoint of gelu: dx = dy gelu'(x) (overwrites dx). */
export type GeluBackwardKernel = (
  x: FloatArray,
  dy: FloatArray,
  dx: FloatArray,
  approximate: boolean,
) => void;

/** gelu(v): x Phi(x), or its tanh approximation. */
export function geluScalar(v: number, approximate: boolean): number {
  if (!approximate) return v * 0.5 * (erf(v * Math.SQRT1_2) + 1);
  const inner = (v + v * v * v * CUBIC) * SQRT_2_OVER_PI;
  return v * 0.5 * (Math.tanh(inner) + 1);
}

/** gelu'(v): Phi(x) + x phi(x), or the derivative of the tanh approximation. */
export function geluDerivative(v: number, approximate: boolean): number {
  // NOTE: the second terms vanish far out; testing for 0 keeps inf * 0 from turning them into NaN
  if (!approximate) {
    const phi = INV_SQRT_2PI * Math.exp(-0.5 * v * v);
    return 0.5 * (erf(v * Math.SQRT1_2) + 1) + (phi === 0 ? 0 : v * phi);
  }
  const t = Math.tanh((v + v * v * v * CUBIC) * SQRT_2_OVER_PI);
  const sech2 = 1 - t * t;
  return 0.5 * (1 + t) + (sech2 === 0 ? 0 : 0.5 * v * sech2 * SQRT_2_OVER_PI * (1 + 3 * CUBIC * v * v));
}

const geluKernel: GeluKernel = (x, out, approximate) => {
  for (let i = 0; i < x.length; i++) out[i] = geluScalar(x[i]!, approximate);
};

const geluBackwardKernel: GeluBackwardKernel = (x, dy, dx, approximate) => {
  for (let i = 0; i < x.length; i++) dx[i] = dy[i]! * geluDerivative(x[i]!, approximate);
};

export const gelu = defineFusedOp({
  name: "gelu",
  reference: geluKernel,
  vjp: geluBackwardKernel,
  positional: {
    forward: (approximate) => [approximate],
    backward: (approximate) => [approximate],
  },
});
