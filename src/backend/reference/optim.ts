// backend/reference/optim: the optimizer update kernels (Adam/AdamW, SGD, RMSprop, Adagrad) as
// plain loops, the specification the native kernels match bit for bit. Arithmetic is in the
// parameter's precision: a Float64Array parameter is updated in double (exactly the optimizers'
// former JS loops), a Float32Array parameter in float32 (every input and scalar rounded to
// float32 once, every operation rounded with Math.fround, as float32 hardware arithmetic without
// fused multiply-adds does; this differs from the former loops, which rounded only at stores, by
// float32 rounding steps). Expression order is the same in both.
import type { FloatArray } from "../../core/dtype.js";
import type { AdagradParams, AdamParams, RmspropParams, SgdParams } from "../kernels.js";

const f = Math.fround;

/** p - p * decay, stored and read back (the store rounds a float32 parameter). */
export function decayAll(param: FloatArray, decay: number): void {
  if (decay === 0) return;
  if (param instanceof Float32Array) {
    const d = f(decay);
    for (let i = 0; i < param.length; i++) param[i] = f(param[i]!) - f(f(param[i]!) * d);
    return;
  }
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
  if (param instanceof Float32Array) {
    adam32(param, grad, m, v, vHat, p);
    return;
  }
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
  if (param instanceof Float32Array) {
    sgd32(param, grad, velocity, p);
    return;
  }
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
  if (param instanceof Float32Array) {
    rmsprop32(param, grad, velocity, averageGradient, momentumSlot, p);
    return;
  }
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
  if (param instanceof Float32Array) {
    adagrad32(param, grad, accumulator, p);
    return;
  }
  const { lr, epsilon } = p;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const acc = accumulator[i]! + g * g;
    accumulator[i] = acc;
    param[i] = param[i]! - (lr * g) / Math.sqrt(acc + epsilon);
  }
}

// ---- float32 arithmetic (f rounds every intermediate; reads are rounded in case an array is float64) ----

function adam32(
  param: Float32Array,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  vHat: FloatArray | null,
  p: AdamParams,
): void {
  const alpha = f(adamAlpha(p));
  const oneMinusBeta1 = f(1 - p.beta1);
  const oneMinusBeta2 = f(1 - p.beta2);
  const epsilon = f(p.epsilon);
  for (let i = 0; i < param.length; i++) {
    const g = f(grad[i]!);
    const mOld = f(m[i]!);
    const vOld = f(v[i]!);
    const mi = f(mOld + f(f(g - mOld) * oneMinusBeta1));
    let vi = f(vOld + f(f(f(g * g) - vOld) * oneMinusBeta2));
    m[i] = mi;
    v[i] = vi;
    if (vHat !== null) {
      vi = Math.max(f(vHat[i]!), vi);
      vHat[i] = vi;
    }
    param[i] = param[i]! - f(f(mi * alpha) / f(f(Math.sqrt(vi)) + epsilon));
  }
}

function sgd32(param: Float32Array, grad: FloatArray, velocity: FloatArray | null, p: SgdParams): void {
  const lr = f(p.lr);
  if (velocity === null) {
    for (let i = 0; i < param.length; i++) param[i] = param[i]! - f(lr * f(grad[i]!));
    return;
  }
  const momentum = f(p.momentum);
  const nesterov = p.nesterov;
  for (let i = 0; i < param.length; i++) {
    const g = f(grad[i]!);
    const m = f(f(momentum * f(velocity[i]!)) - f(lr * g));
    velocity[i] = m;
    param[i] = param[i]! + (nesterov ? f(f(momentum * m) - f(lr * g)) : m);
  }
}

function rmsprop32(
  param: Float32Array,
  grad: FloatArray,
  velocity: FloatArray,
  averageGradient: FloatArray | null,
  momentumSlot: FloatArray | null,
  p: RmspropParams,
): void {
  const lr = f(p.lr);
  const rho = f(p.rho);
  const oneMinusRho = f(1 - p.rho);
  const momentum = f(p.momentum);
  const epsilon = f(p.epsilon);
  for (let i = 0; i < param.length; i++) {
    const g = f(grad[i]!);
    const v = f(f(rho * f(velocity[i]!)) + f(f(oneMinusRho * g) * g));
    velocity[i] = v;
    let denominator = f(v + epsilon);
    if (averageGradient !== null) {
      const a = f(f(rho * f(averageGradient[i]!)) + f(oneMinusRho * g));
      averageGradient[i] = a;
      denominator = f(f(v - f(a * a)) + epsilon);
    }
    const increment = f(f(lr * g) / f(Math.sqrt(denominator)));
    if (momentumSlot !== null) {
      const mo = f(f(momentum * f(momentumSlot[i]!)) + increment);
      momentumSlot[i] = mo;
      param[i] = param[i]! - mo;
    } else {
      param[i] = param[i]! - increment;
    }
  }
}

function adagrad32(param: Float32Array, grad: FloatArray, accumulator: FloatArray, p: AdagradParams): void {
  const lr = f(p.lr);
  const epsilon = f(p.epsilon);
  for (let i = 0; i < param.length; i++) {
    const g = f(grad[i]!);
    const acc = f(f(accumulator[i]!) + f(g * g));
    accumulator[i] = acc;
    param[i] = param[i]! - f(f(lr * g) / f(Math.sqrt(f(acc + epsilon))));
  }
}
