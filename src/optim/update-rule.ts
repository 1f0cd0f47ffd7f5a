// optim/update-rule: what every optimizer's update rule (the plain loop beside its class in
// optim/<name>.ts, the specification its native copy matches bit for bit) shares. Each rule updates
// one parameter and its slot arrays in place, element by element, in the parameter's precision:
// double for a Float64Array (exactly what a JS loop over the typed arrays does), float32 operations
// for a Float32Array (inputs and scalars rounded to float32 once, then every operation rounded with
// Math.fround, as float32 hardware arithmetic without fused multiply-adds does). Expression order is
// the same in both. All arrays have the parameter's length; `grad` is only read. `weightDecay` is
// this step's decoupled decay factor (learning rate x weight decay, 0 for none): when it is not 0
// each element first becomes p - p * weightDecay, is stored, and the update reads the stored value.
import type { FloatArray } from "../core/dtype.js";

/** Rounds to float32 (the float32 rules round every intermediate with it). */
export const f = Math.fround;

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
