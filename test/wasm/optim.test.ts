// test/wasm/optim: the wasm backend's optimizer update kernels (native/wasm/optim-simd128.cc:
// optim-isa.inc on 4 floats or 2 doubles a vector) against the update rules beside each optimizer
// (adamRule in optim/adam.ts, ...) bit for bit: every rule with and without weight decay (and
// Adam's AMSGrad, SGD's momentum and Nesterov, RMSprop's centered and momentum variants),
// float32 and float64, lengths that leave vector tails, gradients with zeros, tiny and huge
// values, infinities and NaN, three steps in a row.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type AnyKernel, asAnyKernel, type KernelFunction } from "../../src/backend/fused/define.js";
import { bindPositionalUpdate, type OptimizerUpdate } from "../../src/backend/optimizer-update.js";
import type { PositionalEntry } from "../../src/backend/registry.js";
import { loadWasmBackend, wasmLoadError } from "../../src/backend/wasm/loader.js";
import type { FloatArray } from "../../src/core/dtype.js";
import { Generator } from "../../src/core/random.js";
import { ADADELTA_UPDATE } from "../../src/optim/adadelta.js";
import { ADAGRAD_UPDATE } from "../../src/optim/adagrad.js";
import { ADAM_UPDATE } from "../../src/optim/adam.js";
import { ADAMAX_UPDATE } from "../../src/optim/adamax.js";
import { LION_UPDATE } from "../../src/optim/lion.js";
import { NADAM_UPDATE } from "../../src/optim/nadam.js";
import { RMSPROP_UPDATE } from "../../src/optim/rmsprop.js";
import { SGD_UPDATE } from "../../src/optim/sgd.js";
import { nadamParamsAt } from "../helpers/optimizer-steps.js";

const rng = new Generator(29);

/** A rule, its options and its slots (true: non-negative start values; null: absent slot). */
interface Case {
  name: string;
  rule: OptimizerUpdate<KernelFunction>;
  slots: (boolean | null)[];
  options: (step: number) => Record<string, number | boolean>;
}

const CASES: Case[] = [];
for (const weightDecay of [0, 0.004]) {
  for (const amsgrad of [false, true])
    CASES.push({
      name: `adam decay=${weightDecay} amsgrad=${amsgrad}`,
      rule: ADAM_UPDATE,
      slots: [false, true, amsgrad ? true : null],
      options: (step) => ({ lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step, weightDecay }),
    });
  for (const mode of ["plain", "momentum", "nesterov"] as const)
    CASES.push({
      name: `sgd decay=${weightDecay} ${mode}`,
      rule: SGD_UPDATE,
      slots: [mode === "plain" ? null : false],
      options: () => ({
        lr: 0.05,
        momentum: mode === "plain" ? 0 : 0.9,
        nesterov: mode === "nesterov",
        weightDecay,
      }),
    });
  for (const centered of [false, true])
    CASES.push({
      name: `rmsprop decay=${weightDecay} centered=${centered}`,
      rule: RMSPROP_UPDATE,
      slots: [true, centered ? false : null, false],
      options: () => ({ lr: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-7, weightDecay }),
    });
  CASES.push({
    name: `adamax decay=${weightDecay}`,
    rule: ADAMAX_UPDATE,
    slots: [false, true],
    options: (step) => ({ lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step, weightDecay }),
  });
  CASES.push({
    name: `nadam decay=${weightDecay}`,
    rule: NADAM_UPDATE,
    slots: [false, true],
    options: (step) => nadamParamsAt(step, weightDecay),
  });
  CASES.push({
    name: `adadelta decay=${weightDecay}`,
    rule: ADADELTA_UPDATE,
    slots: [true, true],
    options: () => ({ lr: 1, rho: 0.95, epsilon: 1e-7, weightDecay }),
  });
  CASES.push({
    name: `lion decay=${weightDecay}`,
    rule: LION_UPDATE,
    slots: [false],
    options: () => ({ lr: 0.01, beta1: 0.9, beta2: 0.99, weightDecay }),
  });
  CASES.push({
    name: `adagrad decay=${weightDecay}`,
    rule: ADAGRAD_UPDATE,
    slots: [true],
    options: () => ({ lr: 0.1, epsilon: 1e-7, weightDecay }),
  });
}

const SPECIAL = [0, -0, 1e-30, -1e-30, 1e20, -3e8, Number.POSITIVE_INFINITY, Number.NaN];

function floats(float64: boolean, n: number, fill: (i: number) => number): FloatArray {
  const a = float64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = fill(i);
  return a;
}

/** The wasm module's copy of a rule, bound as optimizers call it. */
function wasmCopy(rule: OptimizerUpdate<KernelFunction>): AnyKernel {
  const loaded = loadWasmBackend();
  assert.ok(
    loaded,
    `the wasm backend did not load (${wasmLoadError()}); build it with \`npm run build:wasm\``,
  );
  const fn = (loaded.addon as unknown as Record<string, PositionalEntry | undefined>)[`${rule.name}Update`];
  assert.ok(fn, `the wasm module exports ${rule.name}Update`);
  return asAnyKernel(bindPositionalUpdate(rule, fn.bind(loaded.addon)));
}

function sameBits(got: FloatArray, want: FloatArray, what: string): void {
  for (let i = 0; i < want.length; i++)
    if (!Object.is(got[i], want[i]))
      assert.fail(`${what}: element ${i}: wasm ${got[i]}, reference ${want[i]}`);
}

describe("wasm optimizer updates match the rules bit for bit", () => {
  for (const c of CASES) {
    test(c.name, () => {
      const update = wasmCopy(c.rule);
      for (const float64 of [false, true]) {
        for (const n of [1, 3, 4, 5, 17, 130]) {
          const param = floats(float64, n, () => rng.normal());
          const slots = c.slots.map((positive) =>
            positive === null
              ? null
              : floats(float64, n, () => (positive ? rng.uniform(0, 0.01) : rng.normal(0, 0.1))),
          );
          const wantParam = param.slice();
          const wantSlots = slots.map((s) => s?.slice() ?? null);
          for (let step = 1; step <= 3; step++) {
            const grad = floats(float64, n, (i) =>
              step === 2 && i % 7 === 3 ? SPECIAL[(i >> 3) % SPECIAL.length]! : rng.normal(),
            );
            const options = c.options(step);
            asAnyKernel(c.rule.reference)(wantParam, grad, ...wantSlots, options);
            update(param, grad, ...slots, options);
            const what = `${c.name} ${float64 ? "float64" : "float32"} n=${n} step ${step}`;
            sameBits(param, wantParam, `${what} param`);
            slots.forEach((s, i) => {
              if (s !== null) sameBits(s, wantSlots[i]!, `${what} slot ${i}`);
            });
          }
        }
      }
    });
  }
});
