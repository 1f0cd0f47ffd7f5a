// backend/native/optim: the optimizer update kernels of the addon (native/src/optim-napi.cc) as a
// partial kernel table. The step's scalars travel in one reused Float64Array, computed here in
// JS exactly as the reference computes them (Adam's bias-corrected step size included), so the
// native loops only do element arithmetic. Calls whose arrays do not all share the parameter's
// float type (e.g. a float64 gradient for a float32 parameter) run the reference kernel.
import type { FloatArray } from "../../core/dtype.js";
import type { PartialKernels } from "../kernels.js";
import {
  adagradUpdateKernel,
  adamAlpha,
  adamUpdateKernel,
  rmspropUpdateKernel,
  sgdUpdateKernel,
} from "../reference/optim.js";
import {
  adadeltaUpdateKernel,
  adamaxCorrection,
  adamaxUpdateKernel,
  nadamScalars,
  nadamUpdateKernel,
} from "../reference/optim-adaptive.js";
import type { NativeAddon } from "./addon.js";

/** The addon's optimizer entry points; k holds the scalars in the order native/src/optim.h lists. */
interface OptimAddon {
  /** k: alpha, 1 - beta1, 1 - beta2, epsilon, decay */
  adamUpdate?(
    param: FloatArray,
    grad: FloatArray,
    m: FloatArray,
    v: FloatArray,
    vHat: FloatArray | null,
    k: Float64Array,
  ): void;
  /** k: lr, momentum, nesterov (0/1), decay */
  sgdUpdate?(param: FloatArray, grad: FloatArray, velocity: FloatArray | null, k: Float64Array): void;
  /** k: lr, rho, 1 - rho, momentum, epsilon, decay */
  rmspropUpdate?(
    param: FloatArray,
    grad: FloatArray,
    velocity: FloatArray,
    averageGradient: FloatArray | null,
    momentum: FloatArray | null,
    k: Float64Array,
  ): void;
  /** k: lr, epsilon, decay */
  adagradUpdate?(param: FloatArray, grad: FloatArray, accumulator: FloatArray, k: Float64Array): void;
  /** k: lr, 1 - beta1, beta2, epsilon, 1 - beta1^step, decay */
  adamaxUpdate?(param: FloatArray, grad: FloatArray, m: FloatArray, u: FloatArray, k: Float64Array): void;
  /** k: lr, 1 - beta1, 1 - beta2, epsilon, then nadamScalars(), then decay */
  nadamUpdate?(param: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray, k: Float64Array): void;
  /** k: lr, rho, 1 - rho, epsilon, decay */
  adadeltaUpdate?(
    param: FloatArray,
    grad: FloatArray,
    accumulatedGrad: FloatArray,
    accumulatedDelta: FloatArray,
    k: Float64Array,
  ): void;
}

/** True when every array present has the parameter's type (the native loops need one type). */
function sameType(
  param: FloatArray,
  a: FloatArray,
  b: FloatArray | null,
  c: FloatArray | null = null,
  d: FloatArray | null = null,
): boolean {
  const type = param.constructor;
  return (
    a.constructor === type &&
    (b === null || b.constructor === type) &&
    (c === null || c.constructor === type) &&
    (d === null || d.constructor === type)
  );
}

/** The optimizer kernels this addon exports (an older build without them falls back). */
export function optimKernels(addon: NativeAddon): PartialKernels {
  const native = addon as NativeAddon & OptimAddon;
  const k = new Float64Array(12);
  const table: PartialKernels = {};
  const { adamUpdate, sgdUpdate, rmspropUpdate, adagradUpdate, adamaxUpdate, nadamUpdate, adadeltaUpdate } =
    native;
  if (adamUpdate) {
    table.adamUpdate = (param, grad, m, v, vHat, p) => {
      if (!sameType(param, grad, m, v, vHat)) {
        adamUpdateKernel(param, grad, m, v, vHat, p);
        return;
      }
      k[0] = adamAlpha(p);
      k[1] = 1 - p.beta1;
      k[2] = 1 - p.beta2;
      k[3] = p.epsilon;
      k[4] = p.weightDecay;
      adamUpdate.call(native, param, grad, m, v, vHat, k);
    };
  }
  if (sgdUpdate) {
    table.sgdUpdate = (param, grad, velocity, p) => {
      if (!sameType(param, grad, velocity)) {
        sgdUpdateKernel(param, grad, velocity, p);
        return;
      }
      k[0] = p.lr;
      k[1] = p.momentum;
      k[2] = p.nesterov ? 1 : 0;
      k[3] = p.weightDecay;
      sgdUpdate.call(native, param, grad, velocity, k);
    };
  }
  if (rmspropUpdate) {
    table.rmspropUpdate = (param, grad, velocity, average, momentum, p) => {
      if (!sameType(param, grad, velocity, average, momentum)) {
        rmspropUpdateKernel(param, grad, velocity, average, momentum, p);
        return;
      }
      k[0] = p.lr;
      k[1] = p.rho;
      k[2] = 1 - p.rho;
      k[3] = p.momentum;
      k[4] = p.epsilon;
      k[5] = p.weightDecay;
      rmspropUpdate.call(native, param, grad, velocity, average, momentum, k);
    };
  }
  if (adagradUpdate) {
    table.adagradUpdate = (param, grad, accumulator, p) => {
      if (!sameType(param, grad, accumulator)) {
        adagradUpdateKernel(param, grad, accumulator, p);
        return;
      }
      k[0] = p.lr;
      k[1] = p.epsilon;
      k[2] = p.weightDecay;
      adagradUpdate.call(native, param, grad, accumulator, k);
    };
  }
  if (adamaxUpdate) {
    table.adamaxUpdate = (param, grad, m, u, p) => {
      if (!sameType(param, grad, m, u)) {
        adamaxUpdateKernel(param, grad, m, u, p);
        return;
      }
      k[0] = p.lr;
      k[1] = 1 - p.beta1;
      k[2] = p.beta2;
      k[3] = p.epsilon;
      k[4] = adamaxCorrection(p);
      k[5] = p.weightDecay;
      adamaxUpdate.call(native, param, grad, m, u, k);
    };
  }
  if (nadamUpdate) {
    table.nadamUpdate = (param, grad, m, v, p) => {
      if (!sameType(param, grad, m, v)) {
        nadamUpdateKernel(param, grad, m, v, p);
        return;
      }
      k[0] = p.lr;
      k[1] = 1 - p.beta1;
      k[2] = 1 - p.beta2;
      k[3] = p.epsilon;
      k.set(nadamScalars(p), 4);
      k[9] = p.weightDecay;
      nadamUpdate.call(native, param, grad, m, v, k);
    };
  }
  if (adadeltaUpdate) {
    table.adadeltaUpdate = (param, grad, accumulatedGrad, accumulatedDelta, p) => {
      if (!sameType(param, grad, accumulatedGrad, accumulatedDelta)) {
        adadeltaUpdateKernel(param, grad, accumulatedGrad, accumulatedDelta, p);
        return;
      }
      k[0] = p.lr;
      k[1] = p.rho;
      k[2] = 1 - p.rho;
      k[3] = p.epsilon;
      k[4] = p.weightDecay;
      adadeltaUpdate.call(native, param, grad, accumulatedGrad, accumulatedDelta, k);
    };
  }
  return table;
}
