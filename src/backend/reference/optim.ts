// backend/reference/optim: the optimizer update kernels (Adam/AdamW, SGD, RMSprop, Adagrad) as
// plain loops. Arithmetic is in double precision with one rounding per typed-array store, in the
// exact expression order of the optimizers' original loops, so the native kernels (which compute
// in double too) match them bit for bit.
import type { FloatArray } from "../../core/dtype.js";
import type { AdagradParams, AdamParams, RmspropParams, SgdParams } from "../kernels.js";

/** p - p * decay, stored and read back (the store rounds a float32 parameter). */
function decayAll(param: FloatArray, decay: number): void {
  if (decay === 0) return;
  for (let i = 0; i < param.length; i++) param[i] = param[i]! - param[i]! * decay;
}

/** Adam's step size lr * sqrt(1 - beta2^step) / (1 - beta1^step) (shared with the native wrapper). */
export function adamAlpha(p: AdamParams): number {
  return (p.lr * Math.sqrt(1 - p.beta2 ** p.step)) / (1 - p.beta1 ** p.step);
}

export function adamUpdateKernel(
  param: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  vHat: FloatArray | null,
  p: AdamParams,
): void {
  decayAll(param, p.weightDecay);
  const alpha = adamAlpha(p);
  const oneMinusBeta1 = 1 - p.beta1;
  const oneMinusBeta2 = 1 - p.beta2;
  const epsilon = p.epsilon;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const mi = m[i]! + (g - m[i]!) * oneMinusBeta1;
    let vi = v[i]! + (g * g - v[i]!) * oneMinusBeta2;
    m[i] = mi;
    v[i] = vi;
    if (vHat !== null) {
      vi = Math.max(vHat[i]!, vi);
      vHat[i] = vi;
    }
    param[i] = param[i]! - (mi * alpha) / (Math.sqrt(vi) + epsilon);
  }
}

export function sgdUpdateKernel(
  param: FloatArray,
  grad: FloatArray,
  velocity: FloatArray | null,
  p: SgdParams,
): void {
  decayAll(param, p.weightDecay);
  const lr = p.lr;
  if (velocity === null) {
    for (let i = 0; i < param.length; i++) param[i] = param[i]! - lr * grad[i]!;
    return;
  }
  const momentum = p.momentum;
  const nesterov = p.nesterov;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const m = momentum * velocity[i]! - lr * g;
    velocity[i] = m;
    param[i] = param[i]! + (nesterov ? momentum * m - lr * g : m);
  }
}

export function rmspropUpdateKernel(
  param: FloatArray,
  grad: FloatArray,
  velocity: FloatArray,
  averageGradient: FloatArray | null,
  momentumSlot: FloatArray | null,
  p: RmspropParams,
): void {
  decayAll(param, p.weightDecay);
  const { lr, rho, momentum, epsilon } = p;
  const oneMinusRho = 1 - rho;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const v = rho * velocity[i]! + oneMinusRho * g * g;
    velocity[i] = v;
    let denominator = v + epsilon;
    if (averageGradient !== null) {
      const a = rho * averageGradient[i]! + oneMinusRho * g;
      averageGradient[i] = a;
      denominator = v - a * a + epsilon;
    }
    const increment = (lr * g) / Math.sqrt(denominator);
    if (momentumSlot !== null) {
      const mo = momentum * momentumSlot[i]! + increment;
      momentumSlot[i] = mo;
      param[i] = param[i]! - mo;
    } else {
      param[i] = param[i]! - increment;
    }
  }
}

export function adagradUpdateKernel(
  param: FloatArray,
  grad: FloatArray,
  accumulator: FloatArray,
  p: AdagradParams,
): void {
  decayAll(param, p.weightDecay);
  const { lr, epsilon } = p;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const acc = accumulator[i]! + g * g;
    accumulator[i] = acc;
    param[i] = param[i]! - (lr * g) / Math.sqrt(acc + epsilon);
  }
}
