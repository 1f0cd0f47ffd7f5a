// Parity of the native whole-sequence LSTM and GRU kernels (the time loop in one call, batch rows
// split over threads) with the reference kernels: forwards and backwards in time, B = 1, odd H,
// batches that split into row blocks, with and without the GRU's recurrent bias, float32 and
// float64, every ISA path this CPU supports, 1 and 2 threads; and the entry points' checks.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { restoreNativeSettingsAfter } from "../../../test/helpers/native-settings.js";
import { allocate, type FloatArray } from "../../core/dtype.js";
import { Generator } from "../../core/random.js";
import type { CellActivation, Kernels, SequenceParams } from "../kernels.js";
import { referenceKernels } from "../reference/index.js";
import { mergeWithReference } from "../registry.js";
import { nativeAddon } from "./loader.js";
import { nativeKernels } from "./table.js";

const addon = nativeAddon();
const rng = new Generator(29);
type DTypeName = "float32" | "float64";

function values(dtype: DTypeName, length: number, low = -3, high = 3): FloatArray {
  const out = allocate(dtype, length) as FloatArray;
  for (let i = 0; i < length; i++) out[i] = rng.uniform(low, high);
  return out;
}

/** Arrays filled with garbage, so a kernel that skips an element is caught. */
function garbage(dtype: DTypeName, length: number): FloatArray {
  const out = allocate(dtype, length) as FloatArray;
  out.fill(12345);
  return out;
}

const params = (
  batch: number,
  units: number,
  activation: CellActivation,
  recurrentActivation: CellActivation,
) => ({ batch, units, activation, recurrentActivation });

/** The whole-sequence kernels against the reference ones (forward, then back through time). */
function checkSequence(k: Kernels, dtype: DTypeName, p: SequenceParams): void {
  const { batch: B, units: H, steps: T } = p;
  const tag = `lstmSequence ${dtype} T${T} B${B} H${H} ${p.goBackwards ? "backwards" : "forwards"}`;
  const xProj = values(dtype, T * B * 4 * H);
  const u = values(dtype, H * 4 * H, -0.5, 0.5);
  const h0 = values(dtype, B * H, -1, 1);
  const c0 = values(dtype, B * H, -1, 1);
  const run = (kernels: Kernels) => {
    const out = {
      h: garbage(dtype, T * B * H),
      c: garbage(dtype, T * B * H),
      gates: garbage(dtype, T * B * 4 * H),
    };
    kernels.lstmSequence(xProj, u, h0, c0, out.h, out.c, out.gates, p);
    return out;
  };
  const got = run(k);
  const want = run(referenceKernels);
  // float32 rounding compounds over the steps: a looser bound than one cell's
  const loose = (a: FloatArray, b: FloatArray, what: string) => {
    const atol = dtype === "float32" ? 2e-5 : 1e-12;
    for (let i = 0; i < b.length; i++)
      if (!(Math.abs(a[i]! - b[i]!) <= atol * (1 + Math.abs(b[i]!))))
        assert.fail(`${tag} ${what}[${i}]: got ${a[i]}, want ${b[i]}`);
  };
  loose(got.h, want.h, "h");
  loose(got.c, want.c, "c");
  loose(got.gates, want.gates, "gates");
  // backward from the reference forward's states, so both read the same inputs
  const dhOut = values(dtype, T * B * H, -1, 1);
  const dcOut = values(dtype, T * B * H, -1, 1);
  const back = (kernels: Kernels) => {
    const r = { dz: garbage(dtype, T * B * 4 * H), dh0: garbage(dtype, B * H), dc0: garbage(dtype, B * H) };
    kernels.lstmSequenceBackward(want.gates, want.c, c0, u, dhOut, dcOut, r.dz, r.dh0, r.dc0, p);
    return r;
  };
  const g = back(k);
  const w = back(referenceKernels);
  loose(g.dz, w.dz, "dz");
  loose(g.dh0, w.dh0, "dh0");
  loose(g.dc0, w.dc0, "dc0");
}

/** The GRU whole-sequence kernels against the reference ones, with and without the recurrent bias. */
function checkGruSequence(k: Kernels, dtype: DTypeName, p: SequenceParams, withBias: boolean): void {
  const { batch: B, units: H, steps: T } = p;
  const tag = `gruSequence ${dtype} T${T} B${B} H${H} ${p.goBackwards ? "backwards" : "forwards"}`;
  const W = T * B * 3 * H;
  const xProj = values(dtype, W);
  const u = values(dtype, H * 3 * H, -0.5, 0.5);
  const bias = withBias ? values(dtype, 3 * H, -0.5, 0.5) : null;
  const h0 = values(dtype, B * H, -1, 1);
  const run = (kernels: Kernels) => {
    const out = { h: garbage(dtype, T * B * H), gates: garbage(dtype, W), rec: garbage(dtype, W) };
    kernels.gruSequence(xProj, u, bias, h0, out.h, out.gates, out.rec, p);
    return out;
  };
  const got = run(k);
  const want = run(referenceKernels);
  const close = (a: FloatArray, b: FloatArray, what: string) => {
    const atol = dtype === "float32" ? 2e-5 : 1e-12;
    for (let i = 0; i < b.length; i++)
      if (!(Math.abs(a[i]! - b[i]!) <= atol * (1 + Math.abs(b[i]!))))
        assert.fail(`${tag} ${what}[${i}]: got ${a[i]}, want ${b[i]}`);
  };
  close(got.h, want.h, "h");
  close(got.gates, want.gates, "gates");
  close(got.rec, want.rec, "rec");
  const dhOut = values(dtype, T * B * H, -1, 1);
  const back = (kernels: Kernels) => {
    const r = { dx: garbage(dtype, W), drec: garbage(dtype, W), dh0: garbage(dtype, B * H) };
    kernels.gruSequenceBackward(want.gates, want.rec, want.h, h0, u, dhOut, r.dx, r.drec, r.dh0, p);
    return r;
  };
  const g = back(k);
  const w = back(referenceKernels);
  close(g.dx, w.dx, "dx");
  close(g.drec, w.drec, "drec");
  close(g.dh0, w.dh0, "dh0");
}

describe("native whole-sequence kernels match the reference", () => {
  if (!addon) return;
  restoreNativeSettingsAfter(addon);
  const k = mergeWithReference(nativeKernels(addon));
  test("every sequence kernel is native", () => {
    for (const name of [
      "lstmSequence",
      "lstmSequenceBackward",
      "gruSequence",
      "gruSequenceBackward",
    ] as const)
      assert.notEqual(k[name], referenceKernels[name], `${name} should be native`);
  });
  for (const isa of addon.supportedIsas()) {
    for (const dtype of ["float32", "float64"] as const) {
      test(`${isa}, ${dtype}: whole LSTM and GRU sequences, forwards and backwards, 1 and 2 threads`, () => {
        addon.setIsa(isa);
        for (const threads of [1, 2]) {
          addon.setNumThreads(threads);
          for (const goBackwards of [false, true]) {
            // B = 1; odd H; B = 37 splits into row blocks of 8-row groups over 2 threads
            checkSequence(k, dtype, { ...params(1, 5, "tanh", "sigmoid"), steps: 3, goBackwards });
            checkSequence(k, dtype, { ...params(37, 13, "tanh", "sigmoid"), steps: 4, goBackwards });
          }
          checkSequence(k, dtype, { ...params(40, 9, "relu", "hard_sigmoid"), steps: 1, goBackwards: false });
          // products deeper than one k block of the micro-kernel (4H > 256 backward; H > 256 forward)
          checkSequence(k, dtype, { ...params(33, 70, "tanh", "sigmoid"), steps: 2, goBackwards: false });
          checkSequence(k, dtype, { ...params(2, 260, "tanh", "sigmoid"), steps: 2, goBackwards: true });
          checkGruSequence(
            k,
            dtype,
            { ...params(33, 90, "tanh", "sigmoid"), steps: 2, goBackwards: false },
            true,
          );
          for (const goBackwards of [false, true]) {
            checkGruSequence(k, dtype, { ...params(1, 6, "tanh", "sigmoid"), steps: 3, goBackwards }, true);
            checkGruSequence(
              k,
              dtype,
              { ...params(35, 11, "tanh", "sigmoid"), steps: 4, goBackwards },
              goBackwards,
            );
          }
          checkGruSequence(
            k,
            dtype,
            { ...params(33, 7, "linear", "hard_sigmoid"), steps: 2, goBackwards: false },
            true,
          );
        }
      });
    }
  }
});

describe("native whole-sequence entry points check their arguments", () => {
  if (!addon) return;
  const { lstmSequence, gruSequence, gruSequenceBackward } = addon;
  if (!lstmSequence || !gruSequence || !gruSequenceBackward) return;
  const [T, B, H] = [3, 2, 4];
  const f = (n: number) => new Float32Array(n);
  test("short arrays throw a RangeError naming the array", () => {
    assert.throws(
      () =>
        lstmSequence(
          f(T * B * 16),
          f(64),
          f(8),
          f(8),
          f(T * 8),
          f(T * 8),
          f(T * B * 16 - 1),
          T,
          B,
          H,
          0,
          1,
          false,
        ),
      { name: "RangeError", message: /lstmSequence: gates has 95 elements, needs 96/ },
    );
    assert.throws(
      () => gruSequence(f(72), f(48), f(11), f(8), f(24), f(72), f(72), T, B, H, 0, 1, false),
      /gruSequence: bias has 11 elements, needs 12/,
    );
    assert.throws(
      () =>
        gruSequenceBackward(
          f(72),
          f(72),
          f(24),
          f(8),
          f(47),
          f(24),
          f(72),
          f(72),
          f(8),
          T,
          B,
          H,
          0,
          1,
          false,
        ),
      /gruSequenceBackward: u has 47/,
    );
  });
  test("a null GRU bias is accepted; mixed dtypes and bad codes are not", () => {
    const h = f(24);
    gruSequence(f(72), f(48), null, f(8), h, f(72), f(72), T, B, H, 0, 1, true);
    assert.deepEqual([...h], new Array(24).fill(0), "zero inputs and states give zero states");
    assert.throws(
      () => gruSequence(f(72), new Float64Array(48), null, f(8), h, f(72), f(72), T, B, H, 0, 1, false),
      { name: "TypeError", message: /share one dtype/ },
    );
    assert.throws(
      () => gruSequence(f(72), f(48), null, f(8), h, f(72), f(72), T, B, H, 7, 1, false),
      RangeError,
    );
    const call = lstmSequence as (...args: unknown[]) => void;
    assert.throws(() => call(f(96), f(64), f(8), f(8), f(24), f(24), f(96), T, B, H), TypeError);
  });
});
