// backend/reference/optim-adaptive: the Adamax, Nadam and Adadelta update kernels, the same way as
// reference/optim.ts: a Float64Array parameter in double (exactly the optimizers' former JS
// loops), a Float32Array parameter in float32 arithmetic (inputs and scalars rounded once, every
// operation rounded with Math.fround), the expression order identical in both.
import type { FloatArray } from "../../core/dtype.js";
import type { AdadeltaParams, AdamaxParams, NadamParams } from "../kernels.js";
import { decayAll } from "./optim.js";

const f = Math.fround;

/** Adamax's bias correction 1 - beta1^step (shared with the native wrapper). */
export function adamaxCorrection(p: AdamaxParams): number {
  return 1 - p.beta1 ** p.step;
}

/** Nadam's loop scalars: mu_{t+1}, 1 - uProduct mu_{t+1}, 1 - mu_t, 1 - uProduct, 1 - beta2^t. */
export function nadamScalars(p: NadamParams): [number, number, number, number, number] {
  return [p.nextMomentum, 1 - p.uProduct * p.nextMomentum, 1 - p.momentum, 1 - p.uProduct, 1 - p.beta2Power];
}

export function adamaxUpdateKernel(
  param: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  u: FloatArray,
  p: AdamaxParams,
): void {
  decayAll(param, p.weightDecay);
  const correction = adamaxCorrection(p);
  const { lr, beta1, beta2, epsilon } = p;
  if (param instanceof Float32Array) {
    const [lr32, omb1, b2, eps, corr] = [f(lr), f(1 - beta1), f(beta2), f(epsilon), f(correction)];
    for (let i = 0; i < param.length; i++) {
      const g = f(grad[i]!);
      const mOld = f(m[i]!);
      const mi = f(mOld + f(f(g - mOld) * omb1));
      const ui = Math.max(f(b2 * f(u[i]!)), Math.abs(g));
      m[i] = mi;
      u[i] = ui;
      param[i] = param[i]! - f(f(lr32 * mi) / f(corr * f(ui + eps)));
    }
    return;
  }
  const oneMinusBeta1 = 1 - beta1;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const mi = m[i]! + (g - m[i]!) * oneMinusBeta1;
    const ui = Math.max(beta2 * u[i]!, Math.abs(g));
    m[i] = mi;
    u[i] = ui;
    param[i] = param[i]! - (lr * mi) / (correction * (ui + epsilon));
  }
}

export function nadamUpdateKernel(
  param: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  p: NadamParams,
): void {
  decayAll(param, p.weightDecay);
  const [next, nextDenominator, now, denominator, beta2Correction] = nadamScalars(p);
  if (param instanceof Float32Array) {
    const [lr, omb1, omb2, eps] = [f(p.lr), f(1 - p.beta1), f(1 - p.beta2), f(p.epsilon)];
    const [c1, d1, c2, d2, d3] = [f(next), f(nextDenominator), f(now), f(denominator), f(beta2Correction)];
    for (let i = 0; i < param.length; i++) {
      const g = f(grad[i]!);
      const mOld = f(m[i]!);
      const vOld = f(v[i]!);
      const mi = f(mOld + f(f(g - mOld) * omb1));
      const vi = f(vOld + f(f(f(g * g) - vOld) * omb2));
      m[i] = mi;
      v[i] = vi;
      const mHat = f(f(f(c1 * mi) / d1) + f(f(c2 * g) / d2));
      const vHat = f(vi / d3);
      param[i] = param[i]! - f(f(mHat * lr) / f(f(Math.sqrt(vHat)) + eps));
    }
    return;
  }
  const { lr, epsilon } = p;
  const oneMinusBeta1 = 1 - p.beta1;
  const oneMinusBeta2 = 1 - p.beta2;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const mi = m[i]! + (g - m[i]!) * oneMinusBeta1;
    const vi = v[i]! + (g * g - v[i]!) * oneMinusBeta2;
    m[i] = mi;
    v[i] = vi;
    const mHat = (next * mi) / nextDenominator + (now * g) / denominator;
    const vHat = vi / beta2Correction;
    param[i] = param[i]! - (mHat * lr) / (Math.sqrt(vHat) + epsilon);
  }
}

export function adadeltaUpdateKernel(
  param: FloatArray,
  grad: FloatArray,
  accumulatedGrad: FloatArray,
  accumulatedDelta: FloatArray,
  p: AdadeltaParams,
): void {
  decayAll(param, p.weightDecay);
  const { lr, rho, epsilon } = p;
  if (param instanceof Float32Array) {
    const [lr32, rho32, omr, eps] = [f(lr), f(rho), f(1 - rho), f(epsilon)];
    for (let i = 0; i < param.length; i++) {
      const g = f(grad[i]!);
      const ed = f(accumulatedDelta[i]!);
      const eg = f(f(rho32 * f(accumulatedGrad[i]!)) + f(f(omr * g) * g));
      accumulatedGrad[i] = eg;
      const delta = f(f(-f(Math.sqrt(f(ed + eps))) / f(Math.sqrt(f(eg + eps)))) * g);
      accumulatedDelta[i] = f(f(rho32 * ed) + f(f(omr * delta) * delta));
      param[i] = param[i]! + f(lr32 * delta);
    }
    return;
  }
  const oneMinusRho = 1 - rho;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const eg = rho * accumulatedGrad[i]! + oneMinusRho * g * g;
    accumulatedGrad[i] = eg;
    const delta = (-Math.sqrt(accumulatedDelta[i]! + epsilon) / Math.sqrt(eg + epsilon)) * g;
    accumulatedDelta[i] = rho * accumulatedDelta[i]! + oneMinusRho * delta * delta;
    param[i] = param[i]! + lr * delta;
  }
}
