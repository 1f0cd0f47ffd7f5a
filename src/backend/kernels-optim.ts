// backend/kernels-optim: the optimizer update kernels of the table (one fused step per parameter,
// weight decay included). Part of the Kernels interface in backend/kernels.
import type { FloatArray } from "../core/dtype.js";
import type {
  AdadeltaParams,
  AdagradParams,
  AdamaxParams,
  AdamParams,
  NadamParams,
  RmspropParams,
  SgdParams,
} from "./kernel-params.js";

export interface OptimizerKernels {
  /**
   * One Adam step (see AdamParams; vHat non-null is AMSGrad):
   *   m += (g - m)(1 - beta1);  v += (g^2 - v)(1 - beta2);  (vHat: v = vHat = max(vHat, v))
   *   p -= alpha m / (sqrt(v) + eps),  alpha = lr sqrt(1 - beta2^step) / (1 - beta1^step)
   */
  adamUpdate(
    param: FloatArray,
    grad: FloatArray,
    m: FloatArray,
    v: FloatArray,
    vHat: FloatArray | null,
    params: AdamParams,
  ): void;
  /**
   * One SGD step. velocity null: p -= lr g. Otherwise velocity = momentum velocity - lr g, then
   * p += velocity (nesterov: p += momentum velocity - lr g).
   */
  sgdUpdate(param: FloatArray, grad: FloatArray, velocity: FloatArray | null, params: SgdParams): void;
  /**
   * One RMSprop step: v = rho v + (1 - rho) g^2; centered (averageGradient non-null):
   * a = rho a + (1 - rho) g, d = v - a^2 + eps, else d = v + eps; inc = lr g / sqrt(d);
   * momentum slot non-null: mo = momentum mo + inc, p -= mo; else p -= inc.
   */
  rmspropUpdate(
    param: FloatArray,
    grad: FloatArray,
    velocity: FloatArray,
    averageGradient: FloatArray | null,
    momentum: FloatArray | null,
    params: RmspropParams,
  ): void;
  /** One Adagrad step: acc += g^2; p -= lr g / sqrt(acc + eps). */
  adagradUpdate(param: FloatArray, grad: FloatArray, accumulator: FloatArray, params: AdagradParams): void;
  /**
   * One Adamax step: m += (g - m)(1 - beta1);  u = max(beta2 u, |g|);
   * p -= lr m / ((1 - beta1^step)(u + eps)).
   */
  adamaxUpdate(param: FloatArray, grad: FloatArray, m: FloatArray, u: FloatArray, params: AdamaxParams): void;
  /**
   * One Nadam step: m += (g - m)(1 - beta1);  v += (g^2 - v)(1 - beta2);
   * mHat = mu_{t+1} m / (1 - uProduct mu_{t+1}) + (1 - mu_t) g / (1 - uProduct);
   * p -= lr mHat / (sqrt(v / (1 - beta2^t)) + eps).
   */
  nadamUpdate(param: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray, params: NadamParams): void;
  /**
   * One Adadelta step: Eg = rho Eg + (1 - rho) g^2;  d = -sqrt(Ed + eps) / sqrt(Eg + eps) g;
   * Ed = rho Ed + (1 - rho) d^2;  p += lr d.
   */
  adadeltaUpdate(
    param: FloatArray,
    grad: FloatArray,
    accumulatedGrad: FloatArray,
    accumulatedDelta: FloatArray,
    params: AdadeltaParams,
  ): void;
}
