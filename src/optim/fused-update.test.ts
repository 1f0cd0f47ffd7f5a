// The optimizers now run one fused update kernel per parameter (weight decay included). These
// tests replay the loops the optimizers ran before (a separate decay pass over every
// non-excluded parameter, then the update rule in double precision, stored to the parameter's
// typed arrays) on whichever backend is active (native when built). float64 parameters must
// match bit for bit; float32 parameters are now updated in float32 arithmetic, so they must agree
// within a few float32 rounding steps.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Tensor, tensor } from "../index.js";
import { adadelta, adagrad, adam, adamax, adamw, nadam, type Optimizer, rmsprop, sgd } from "./index.js";

const N = 37;

type Float = "float32" | "float64";
type FloatArray = Float32Array | Float64Array;

function param(seed: number, dtype: Float): Tensor {
  const values = Array.from({ length: N }, (_, i) => Math.sin(seed * 7.1 + i * 1.3));
  const p = tensor(values, { dtype });
  p.requiresGrad = true;
  return p;
}

function grad(step: number, which: number, dtype: Float): FloatArray {
  const values = Array.from({ length: N }, (_, i) => Math.cos(step * 3.7 + which * 2.3 + i * 0.9) * 2);
  return dtype === "float32" ? Float32Array.from(values) : Float64Array.from(values);
}

/** Old rule: p -= p * wd * lr for each decayed parameter, then `update` on the typed arrays. */
type OldUpdate = (p: FloatArray, g: FloatArray, slots: FloatArray[], lr: number, step: number) => void;

/** Exact for float64; for float32 within 8 float32 ulps of a unit-sized value (relative for larger ones). */
function assertAgrees(got: ArrayLike<number>, want: FloatArray, dtype: Float, what: string): void {
  if (dtype === "float64") {
    assert.deepEqual(got, want, what);
    return;
  }
  for (let i = 0; i < want.length; i++) {
    const tol = 8 * 2 ** -23 * Math.max(1, Math.abs(want[i]!));
    assert.ok(Math.abs(got[i]! - want[i]!) <= tol, `${what}, element ${i}: ${got[i]} vs ${want[i]}`);
  }
}

function replay(
  make: (params: Tensor[]) => Optimizer,
  slotCount: number,
  slotInit: number,
  wd: number,
  lr: number,
  update: OldUpdate,
): void {
  for (const dtype of ["float64", "float32"] as Float[]) {
    const [a, b] = [param(1, dtype), param(2, dtype)];
    const opt = make([a, b]);
    opt.excludeFromWeightDecay([b]);
    const old = [a.data.slice() as FloatArray, b.data.slice() as FloatArray];
    const alloc = () => (dtype === "float32" ? new Float32Array(N) : new Float64Array(N));
    const slots = old.map(() => Array.from({ length: slotCount }, () => alloc().fill(slotInit)));
    for (let step = 1; step <= 4; step++) {
      [a, b].forEach((p, i) => {
        p.grad = tensor(grad(step, i, dtype), { dtype });
      });
      opt.step();
      old.forEach((p, i) => {
        if (i === 0) for (let j = 0; j < N; j++) p[j] = p[j]! - p[j]! * (wd * lr);
        update(p, grad(step, i, dtype), slots[i]!, lr, step);
      });
      assertAgrees(a.data, old[0]!, dtype, `${dtype} step ${step}, decayed parameter`);
      assertAgrees(b.data, old[1]!, dtype, `${dtype} step ${step}, excluded parameter`);
    }
  }
}

describe("fused optimizer updates agree with the former decay-then-update loops", () => {
  for (const amsgrad of [false, true]) {
    it(`AdamW (amsgrad ${amsgrad})`, () => {
      replay(
        (params) => adamw({ learningRate: 0.01, weightDecay: 0.3, amsgrad, params }),
        3,
        0,
        0.3,
        0.01,
        (p, g, [m, v, vHat], lr, step) => {
          const alpha = (lr * Math.sqrt(1 - 0.999 ** step)) / (1 - 0.9 ** step);
          for (let i = 0; i < N; i++) {
            const mi = m![i]! + (g[i]! - m![i]!) * (1 - 0.9);
            let vi = v![i]! + (g[i]! * g[i]! - v![i]!) * (1 - 0.999);
            m![i] = mi;
            v![i] = vi;
            if (amsgrad) {
              vi = Math.max(vHat![i]!, vi);
              vHat![i] = vi;
            }
            p[i] = p[i]! - (mi * alpha) / (Math.sqrt(vi) + 1e-7);
          }
        },
      );
    });
  }

  it("Adam with weightDecay", () => {
    replay(
      (params) => adam({ learningRate: 0.05, weightDecay: 0.1, params }),
      2,
      0,
      0.1,
      0.05,
      (p, g, [m, v], lr, step) => {
        const alpha = (lr * Math.sqrt(1 - 0.999 ** step)) / (1 - 0.9 ** step);
        for (let i = 0; i < N; i++) {
          const mi = m![i]! + (g[i]! - m![i]!) * (1 - 0.9);
          const vi = v![i]! + (g[i]! * g[i]! - v![i]!) * (1 - 0.999);
          m![i] = mi;
          v![i] = vi;
          p[i] = p[i]! - (mi * alpha) / (Math.sqrt(vi) + 1e-7);
        }
      },
    );
  });

  for (const nesterov of [false, true]) {
    it(`SGD with momentum (nesterov ${nesterov})`, () => {
      replay(
        (params) => sgd({ learningRate: 0.1, momentum: 0.9, nesterov, weightDecay: 0.2, params }),
        1,
        0,
        0.2,
        0.1,
        (p, g, [vel], lr) => {
          for (let i = 0; i < N; i++) {
            const m = 0.9 * vel![i]! - lr * g[i]!;
            vel![i] = m;
            p[i] = p[i]! + (nesterov ? 0.9 * m - lr * g[i]! : m);
          }
        },
      );
    });
  }

  it("plain SGD", () => {
    replay(
      (params) => sgd({ learningRate: 0.1, weightDecay: 0.2, params }),
      0,
      0,
      0.2,
      0.1,
      (p, g, _slots, lr) => {
        for (let i = 0; i < N; i++) p[i] = p[i]! - lr * g[i]!;
      },
    );
  });

  it("centered RMSprop with momentum", () => {
    replay(
      (params) => rmsprop({ learningRate: 0.01, centered: true, momentum: 0.5, weightDecay: 0.5, params }),
      3,
      0,
      0.5,
      0.01,
      (p, g, [vel, avg, mom], lr) => {
        for (let i = 0; i < N; i++) {
          const gi = g[i]!;
          const v = 0.9 * vel![i]! + (1 - 0.9) * gi * gi;
          vel![i] = v;
          const a = 0.9 * avg![i]! + (1 - 0.9) * gi;
          avg![i] = a;
          const mo = 0.5 * mom![i]! + (lr * gi) / Math.sqrt(v - a * a + 1e-7);
          mom![i] = mo;
          p[i] = p[i]! - mo;
        }
      },
    );
  });

  it("Adamax", () => {
    replay(
      (params) => adamax({ learningRate: 0.02, weightDecay: 0.25, params }),
      2,
      0,
      0.25,
      0.02,
      (p, g, [m, u], lr, step) => {
        const correction = 1 - 0.9 ** step;
        for (let i = 0; i < N; i++) {
          const mi = m![i]! + (g[i]! - m![i]!) * (1 - 0.9);
          const ui = Math.max(0.999 * u![i]!, Math.abs(g[i]!));
          m![i] = mi;
          u![i] = ui;
          p[i] = p[i]! - (lr * mi) / (correction * (ui + 1e-7));
        }
      },
    );
  });

  it("Nadam", () => {
    const mu = (t: number) => 0.9 * (1 - 0.5 * 0.96 ** t);
    let uProduct = 1;
    let lastStep = 0;
    replay(
      (params) => nadam({ learningRate: 0.02, weightDecay: 0.25, params }),
      2,
      0,
      0.25,
      0.02,
      (p, g, [m, v], lr, step) => {
        if (step < lastStep) uProduct = 1; // the float32 replay starts over
        if (step !== lastStep) uProduct *= mu(step);
        lastStep = step;
        const uNext = mu(step + 1);
        for (let i = 0; i < N; i++) {
          const mi = m![i]! + (g[i]! - m![i]!) * (1 - 0.9);
          const vi = v![i]! + (g[i]! * g[i]! - v![i]!) * (1 - 0.999);
          m![i] = mi;
          v![i] = vi;
          const mHat = (uNext * mi) / (1 - uProduct * uNext) + ((1 - mu(step)) * g[i]!) / (1 - uProduct);
          p[i] = p[i]! - (mHat * lr) / (Math.sqrt(vi / (1 - 0.999 ** step)) + 1e-7);
        }
      },
    );
  });

  it("Adadelta", () => {
    replay(
      (params) => adadelta({ learningRate: 1, weightDecay: 0.01, params }),
      2,
      0,
      0.01,
      1,
      (p, g, [eg, ed], lr) => {
        for (let i = 0; i < N; i++) {
          const e = 0.95 * eg![i]! + (1 - 0.95) * g[i]! * g[i]!;
          eg![i] = e;
          const delta = (-Math.sqrt(ed![i]! + 1e-7) / Math.sqrt(e + 1e-7)) * g[i]!;
          ed![i] = 0.95 * ed![i]! + (1 - 0.95) * delta * delta;
          p[i] = p[i]! + lr * delta;
        }
      },
    );
  });

  it("Adagrad", () => {
    replay(
      (params) => adagrad({ learningRate: 0.1, weightDecay: 0.05, params }),
      1,
      0.1,
      0.05,
      0.1,
      (p, g, [acc], lr) => {
        for (let i = 0; i < N; i++) {
          const a = acc![i]! + g[i]! * g[i]!;
          acc![i] = a;
          p[i] = p[i]! - (lr * g[i]!) / Math.sqrt(a + 1e-7);
        }
      },
    );
  });
});
