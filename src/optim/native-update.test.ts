// Parity of the native optimizer update kernels (adamUpdate, sgdUpdate, rmspropUpdate,
// adagradUpdate, adamaxUpdate, nadamUpdate, adadeltaUpdate, lionUpdate) with the update rules beside each
// optimizer (adamRule in optim/adam.ts, ...), bound the way optimizers reach them: every option combination (weight decay, AMSGrad,
// momentum, Nesterov, centered), float32 and float64, odd lengths (vector tails) and lengths
// split over threads, several steps in a row, special gradient values, on every ISA path the
// CPU supports with 1 and 2 threads. Native and reference both compute in the parameter's
// precision with every operation rounded and no fused multiply-adds, so every parameter and slot
// must match bit for bit. Also: argument checks throw typed errors, and mixed float types fall
// back to the reference.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { restoreNativeSettingsAfter } from "../../test/helpers/native-settings.js";
import { nadamParamsAt } from "../../test/helpers/optimizer-steps.js";
import { nativeAddon } from "../backend/native/loader.js";
import { bindPositionalUpdate, type OptimizerUpdate } from "../backend/optimizer-update.js";
import type { PositionalEntry } from "../backend/registry.js";
import type { FloatArray } from "../core/dtype.js";
import { Generator } from "../core/random.js";
import { ADADELTA_UPDATE } from "./adadelta.js";
import { ADAGRAD_UPDATE } from "./adagrad.js";
import { ADAM_UPDATE } from "./adam.js";
import { ADAMAX_UPDATE } from "./adamax.js";
import { LION_UPDATE } from "./lion.js";
import { NADAM_UPDATE } from "./nadam.js";
import { RMSPROP_UPDATE } from "./rmsprop.js";
import { SGD_UPDATE } from "./sgd.js";

const addon = nativeAddon();
const rng = new Generator(23);

/** Every rule's declaration, by the name its native copy is exported under (`${name}Update`). */
const RULES = {
  adam: ADAM_UPDATE,
  sgd: SGD_UPDATE,
  rmsprop: RMSPROP_UPDATE,
  adagrad: ADAGRAD_UPDATE,
  adamax: ADAMAX_UPDATE,
  nadam: NADAM_UPDATE,
  adadelta: ADADELTA_UPDATE,
  lion: LION_UPDATE,
};
type Rules = typeof RULES;
/** One update function per optimizer: the rules themselves, or their native copies. */
type Updates = { [K in keyof Rules]: Rules[K]["reference"] };

const reference: Updates = {
  adam: ADAM_UPDATE.reference,
  sgd: SGD_UPDATE.reference,
  rmsprop: RMSPROP_UPDATE.reference,
  adagrad: ADAGRAD_UPDATE.reference,
  adamax: ADAMAX_UPDATE.reference,
  nadam: NADAM_UPDATE.reference,
  adadelta: ADADELTA_UPDATE.reference,
  lion: LION_UPDATE.reference,
};

/** The addon's copy of a rule, bound as optimizers call it (undefined when it lacks one). */
function nativeCopy<R extends OptimizerUpdate<Rules[keyof Rules]["reference"]>>(rule: R): R["reference"] {
  const fn = (addon as unknown as Record<string, PositionalEntry | undefined>)[`${rule.name}Update`];
  assert.ok(fn, `the addon exports ${rule.name}Update`);
  return bindPositionalUpdate(rule, fn.bind(addon));
}

type Float = "float32" | "float64";
/** How a slot starts: signed values (moments, averages) or non-negative ones (second moments). */
type SlotInit = "signed" | "positive";

interface Case {
  name: string;
  /** Slot initialisations; null marks an absent optional slot (passed as null). */
  slots: (SlotInit | null)[];
  run(k: Updates, param: FloatArray, grad: FloatArray, slots: (FloatArray | null)[], step: number): void;
}

const DECAYS = [0, 0.004];
const CASES: Case[] = [];
for (const weightDecay of DECAYS) {
  for (const amsgrad of [false, true]) {
    CASES.push({
      name: `adam decay=${weightDecay} amsgrad=${amsgrad}`,
      slots: ["signed", "positive", amsgrad ? "positive" : null],
      run: (k, p, g, s, step) =>
        k.adam(p, g, s[0]!, s[1]!, s[2]!, {
          lr: 0.01,
          beta1: 0.9,
          beta2: 0.999,
          epsilon: 1e-7,
          step,
          weightDecay,
        }),
    });
  }
  for (const mode of ["plain", "momentum", "nesterov"] as const) {
    CASES.push({
      name: `sgd decay=${weightDecay} ${mode}`,
      slots: [mode === "plain" ? null : "signed"],
      run: (k, p, g, s) =>
        k.sgd(p, g, s[0]!, {
          lr: 0.05,
          momentum: mode === "plain" ? 0 : 0.9,
          nesterov: mode === "nesterov",
          weightDecay,
        }),
    });
  }
  for (const centered of [false, true]) {
    for (const momentum of [0, 0.5]) {
      CASES.push({
        name: `rmsprop decay=${weightDecay} centered=${centered} momentum=${momentum}`,
        slots: ["positive", centered ? "signed" : null, momentum > 0 ? "signed" : null],
        run: (k, p, g, s) =>
          k.rmsprop(p, g, s[0]!, s[1]!, s[2]!, {
            lr: 0.01,
            rho: 0.9,
            momentum,
            epsilon: 1e-7,
            weightDecay,
          }),
      });
    }
  }
  CASES.push({
    name: `adamax decay=${weightDecay}`,
    slots: ["signed", "positive"],
    run: (k, p, g, s, step) =>
      k.adamax(p, g, s[0]!, s[1]!, {
        lr: 0.01,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-7,
        step,
        weightDecay,
      }),
  });
  CASES.push({
    name: `nadam decay=${weightDecay}`,
    slots: ["signed", "positive"],
    run: (k, p, g, s, step) => k.nadam(p, g, s[0]!, s[1]!, nadamParamsAt(step, weightDecay)),
  });
  CASES.push({
    name: `adadelta decay=${weightDecay}`,
    slots: ["positive", "positive"],
    run: (k, p, g, s) => k.adadelta(p, g, s[0]!, s[1]!, { lr: 1, rho: 0.95, epsilon: 1e-7, weightDecay }),
  });
  CASES.push({
    name: `lion decay=${weightDecay}`,
    slots: ["signed"],
    run: (k, p, g, s) => k.lion(p, g, s[0]!, { lr: 0.01, beta1: 0.9, beta2: 0.99, weightDecay }),
  });
  CASES.push({
    name: `adagrad decay=${weightDecay}`,
    slots: ["positive"],
    run: (k, p, g, s) => k.adagrad(p, g, s[0]!, { lr: 0.1, epsilon: 1e-7, weightDecay }),
  });
}

function floats(dtype: Float, n: number, fill: (i: number) => number): FloatArray {
  const a = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = fill(i);
  return a;
}

/** Gradients with a few special values (0, -0, tiny, huge, infinities, NaN) among normal draws. */
const SPECIAL = [0, -0, 1e-30, -1e-30, 1e20, -3e8, Number.POSITIVE_INFINITY, Number.NaN];
function gradient(dtype: Float, n: number, withSpecials: boolean): FloatArray {
  return floats(dtype, n, (i) =>
    withSpecials && i % 37 === 5 ? SPECIAL[((i / 37) % SPECIAL.length) | 0]! : rng.normal(),
  );
}

function slotValues(dtype: Float, n: number, init: SlotInit): FloatArray {
  return floats(dtype, n, () => (init === "positive" ? rng.uniform(0, 0.01) : rng.normal(0, 0.1)));
}

/** Index and values of the first element whose bits differ, or null when the arrays are identical. */
function firstMismatch(got: FloatArray, want: FloatArray): string | null {
  if (got.length !== want.length) return `lengths ${got.length} and ${want.length}`;
  for (let i = 0; i < got.length; i++) {
    if (!Object.is(got[i], want[i])) return `element ${i}: ${got[i]} vs ${want[i]}`;
  }
  return null;
}

/** Runs `steps` updates of a case on both tables from the same start; asserts equal bits throughout. */
function checkCase(native: Updates, c: Case, dtype: Float, n: number, steps: number, label: string): void {
  const param = floats(dtype, n, () => rng.normal());
  const slots = c.slots.map((init) => (init === null ? null : slotValues(dtype, n, init)));
  const mine = { param: param.slice(), slots: slots.map((s) => s?.slice() ?? null) };
  for (let step = 1; step <= steps; step++) {
    const grad = gradient(dtype, n, step === steps);
    c.run(native, mine.param, grad, mine.slots, step);
    c.run(reference, param, grad, slots, step);
    const where = `${c.name} ${dtype} n=${n} step ${step} ${label}`;
    assert.equal(firstMismatch(mine.param, param), null, `param: ${where}`);
    slots.forEach((s, i) => {
      if (s !== null) assert.equal(firstMismatch(mine.slots[i]!, s), null, `slot ${i}: ${where}`);
    });
  }
}

if (addon) {
  const native: Updates = {
    adam: nativeCopy(ADAM_UPDATE),
    sgd: nativeCopy(SGD_UPDATE),
    rmsprop: nativeCopy(RMSPROP_UPDATE),
    adagrad: nativeCopy(ADAGRAD_UPDATE),
    adamax: nativeCopy(ADAMAX_UPDATE),
    nadam: nativeCopy(NADAM_UPDATE),
    adadelta: nativeCopy(ADADELTA_UPDATE),
    lion: nativeCopy(LION_UPDATE),
  };
  restoreNativeSettingsAfter(addon);

  describe("native optimizer kernels", () => {
    test("the addon exports every optimizer's update kernel", () => {
      for (const rule of Object.values(RULES)) {
        const exported: unknown = (addon as unknown as Record<string, unknown>)[`${rule.name}Update`];
        assert.equal(typeof exported, "function", `${rule.name}Update`);
      }
    });

    for (const isa of addon.supportedIsas()) {
      test(`${isa}: every option combination matches the reference bit for bit (odd lengths, 3 steps)`, () => {
        addon.setIsa(isa);
        addon.setNumThreads(1);
        for (const c of CASES) {
          for (const dtype of ["float32", "float64"] as Float[]) {
            for (const n of [0, 1, 3, 7, 9, 17, 31, 64, 101]) checkCase(native, c, dtype, n, 3, isa);
          }
        }
      });

      test(`${isa}: lengths split over 1 and 2 threads match the reference`, () => {
        addon.setIsa(isa);
        for (const threads of [1, 2]) {
          addon.setNumThreads(threads);
          for (const c of CASES) checkCase(native, c, "float32", 40_003, 2, `${isa} ${threads} threads`);
        }
        checkCase(native, CASES[1]!, "float64", 40_001, 2, `${isa} float64`);
      });
    }

    test("AMSGrad keeps a NaN already in vHat (Math.max semantics)", () => {
      for (const isa of addon.supportedIsas()) {
        addon.setIsa(isa);
        for (const k of [native, reference]) {
          const n = 11;
          const p = new Float32Array(n).fill(1);
          const vHat = new Float32Array(n).fill(Number.NaN);
          const g = new Float32Array(n).fill(0.5);
          const hp = { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 1, weightDecay: 0 };
          k.adam(p, g, new Float32Array(n), new Float32Array(n), vHat, hp);
          assert.ok(
            vHat.every((x) => Number.isNaN(x)) && p.every((x) => Number.isNaN(x)),
            `${isa}: NaN kept`,
          );
        }
      }
    });

    test("a float64 gradient for a float32 parameter runs the reference kernel", () => {
      const n = 13;
      const p1 = floats("float32", n, () => rng.normal());
      const p2 = p1.slice();
      const g = floats("float64", n, () => rng.normal());
      const acc1 = new Float32Array(n).fill(0.1);
      const acc2 = acc1.slice();
      native.adagrad(p1, g, acc1, { lr: 0.1, epsilon: 1e-7, weightDecay: 0.01 });
      reference.adagrad(p2, g, acc2, { lr: 0.1, epsilon: 1e-7, weightDecay: 0.01 });
      assert.equal(firstMismatch(p1, p2), null);
      assert.equal(firstMismatch(acc1, acc2), null);
    });

    test("wrong arguments throw RangeError or TypeError and change nothing", () => {
      const f = (n: number) => new Float32Array(n).fill(0.5);
      const k5 = new Float64Array([0.1, 0.1, 0.001, 1e-7, 0]);
      const p = f(8);
      const a = addon as unknown as Record<string, (...args: unknown[]) => void>;
      assert.throws(() => a.adamUpdate!(p, f(7), f(8), f(8), null, k5), RangeError);
      assert.throws(() => a.adamUpdate!(p, f(8), f(8), f(9), null, k5), RangeError);
      assert.throws(() => a.adamUpdate!(p, f(8), f(8), f(8), f(3), k5), RangeError);
      assert.throws(() => a.adamUpdate!(p, f(8), f(8), f(8), null, new Float64Array(4)), RangeError);
      assert.throws(() => a.adamUpdate!(p, f(8), f(8), f(8), null, new Float32Array(5)), TypeError);
      assert.throws(() => a.adamUpdate!(p, f(8), f(8), null, null, k5), TypeError);
      assert.throws(() => a.adamUpdate!(p, new Float64Array(8), f(8), f(8), null, k5), TypeError);
      assert.throws(
        () => a.adamUpdate!(new Int32Array(8), new Int32Array(8), f(8), f(8), null, k5),
        TypeError,
      );
      assert.throws(() => a.adamUpdate!(p, f(8), f(8)), TypeError);
      assert.throws(() => a.sgdUpdate!(p, f(8), f(2), k5), RangeError);
      assert.throws(() => a.sgdUpdate!(p, f(8), [1, 2], k5), TypeError);
      assert.throws(() => a.rmspropUpdate!(p, f(8), null, null, null, k5), TypeError);
      assert.throws(() => a.rmspropUpdate!(p, f(8), f(8), f(8), f(8), new Float64Array(5)), RangeError);
      assert.throws(() => a.adagradUpdate!(p, f(8), f(8), new Float64Array(2)), RangeError);
      assert.throws(() => a.adagradUpdate!(p, "g", f(8), k5), TypeError);
      assert.throws(() => a.adamaxUpdate!(p, f(8), f(8), f(8), new Float64Array(5)), RangeError);
      assert.throws(() => a.nadamUpdate!(p, f(8), f(8), f(8), new Float64Array(9)), RangeError);
      assert.throws(() => a.nadamUpdate!(p, f(8), f(8), f(7), new Float64Array(10)), RangeError);
      assert.throws(() => a.adadeltaUpdate!(p, f(8), null, f(8), k5), TypeError);
      assert.ok(p.every((x) => x === 0.5));
    });
  });
}
