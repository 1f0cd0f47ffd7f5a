// Parity of the native fused LSTM / GRU cell kernels (forward and backward) with the reference
// kernels: every pair of cell activations, float32 and float64, odd sizes (H not a multiple of the
// vector width, B = 1), a step large enough to split over threads, on every ISA path this CPU
// supports; the argument checks the entry points run before touching memory; and the table's
// fallback to the reference for an activation the addon does not list.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { restoreNativeSettingsAfter } from "../../../test/helpers/native-settings.js";
import { allocate, type FloatArray } from "../../core/dtype.js";
import { Generator } from "../../core/random.js";
import { entriesOf } from "../fused/define.js";
import { lstmCell } from "../fused/lstm-cell.js";
import type { CellActivation, CellParams, Kernels } from "../kernels.js";
import { referenceKernels } from "../reference/index.js";
import { mergeWithReference } from "../registry.js";
import type { NativeAddon } from "./addon.js";
import { nativeAddon } from "./loader.js";
import { bindPositional, nativeKernels } from "./table.js";

const addon = nativeAddon();
const rng = new Generator(23);

const ACTIVATIONS: CellActivation[] = ["tanh", "sigmoid", "relu", "linear", "hard_sigmoid"];
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

/** |got - want| <= atol + rtol |want| everywhere (float32 runs in float; float64 through libm). */
function assertClose(got: FloatArray, want: FloatArray, dtype: DTypeName, what: string): void {
  const [atol, rtol] = dtype === "float32" ? [3e-6, 3e-5] : [1e-13, 1e-12];
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) assert.fail(`${what}[${i}]: got ${g}, want ${w}`);
  }
}

/** Activated gate values in the range the activation produces (the backward kernels read them). */
function gateValues(dtype: DTypeName, B: number, H: number, blocks: CellActivation[]): FloatArray {
  const out = allocate(dtype, B * blocks.length * H) as FloatArray;
  const width = blocks.length * H;
  for (let b = 0; b < B; b++) {
    blocks.forEach((kind, block) => {
      for (let u = 0; u < H; u++) {
        const x = rng.uniform(-4, 4);
        const y =
          kind === "tanh"
            ? Math.tanh(x)
            : kind === "sigmoid"
              ? 1 / (1 + Math.exp(-x))
              : kind === "relu"
                ? Math.max(x, 0)
                : kind === "linear"
                  ? x
                  : Math.min(Math.max(x / 6 + 0.5, 0), 1);
        out[b * width + block * H + u] = y;
      }
    });
  }
  return out;
}

function checkLstm(k: Kernels, dtype: DTypeName, p: CellParams): void {
  const { batch: B, units: H } = p;
  const tag = `lstm ${dtype} B${B} H${H} ${p.activation}/${p.recurrentActivation}`;
  const x = values(dtype, B * 4 * H);
  const rec = values(dtype, B * 4 * H);
  const cPrev = values(dtype, B * H);
  const outs = () => [garbage(dtype, B * 4 * H), garbage(dtype, B * H), garbage(dtype, B * H)] as const;
  const [g1, c1, h1] = outs();
  const [g2, c2, h2] = outs();
  k.lstmCell(x, rec, cPrev, g1, c1, h1, p);
  referenceKernels.lstmCell(x, rec, cPrev, g2, c2, h2, p);
  assertClose(g1, g2, dtype, `${tag} gates`);
  assertClose(c1, c2, dtype, `${tag} c`);
  assertClose(h1, h2, dtype, `${tag} h`);

  const ra = p.recurrentActivation;
  const gates = gateValues(dtype, B, H, [ra, ra, p.activation, ra]);
  const c = values(dtype, B * H);
  const dh = values(dtype, B * H, -1, 1);
  const dc = values(dtype, B * H, -1, 1);
  const [dz1, dz2] = [garbage(dtype, B * 4 * H), garbage(dtype, B * 4 * H)];
  const [dcp1, dcp2] = [garbage(dtype, B * H), garbage(dtype, B * H)];
  k.lstmCellBackward(gates, cPrev, c, dh, dc, dz1, dcp1, p);
  referenceKernels.lstmCellBackward(gates, cPrev, c, dh, dc, dz2, dcp2, p);
  assertClose(dz1, dz2, dtype, `${tag} dz`);
  assertClose(dcp1, dcp2, dtype, `${tag} dcPrev`);
}

function checkGru(k: Kernels, dtype: DTypeName, p: CellParams): void {
  const { batch: B, units: H } = p;
  const tag = `gru ${dtype} B${B} H${H} ${p.activation}/${p.recurrentActivation}`;
  const x = values(dtype, B * 3 * H);
  const rec = values(dtype, B * 3 * H);
  const hPrev = values(dtype, B * H, -1, 1);
  const [g1, g2] = [garbage(dtype, B * 3 * H), garbage(dtype, B * 3 * H)];
  const [h1, h2] = [garbage(dtype, B * H), garbage(dtype, B * H)];
  k.gruCell(x, rec, hPrev, g1, h1, p);
  referenceKernels.gruCell(x, rec, hPrev, g2, h2, p);
  assertClose(g1, g2, dtype, `${tag} gates`);
  assertClose(h1, h2, dtype, `${tag} h`);

  const ra = p.recurrentActivation;
  const gates = gateValues(dtype, B, H, [ra, ra, p.activation]);
  const dh = values(dtype, B * H, -1, 1);
  const wide = () => [garbage(dtype, B * 3 * H), garbage(dtype, B * 3 * H)] as const;
  const [dx1, dx2] = wide();
  const [dr1, dr2] = wide();
  const [dp1, dp2] = [garbage(dtype, B * H), garbage(dtype, B * H)];
  k.gruCellBackward(gates, rec, hPrev, dh, dx1, dr1, dp1, p);
  referenceKernels.gruCellBackward(gates, rec, hPrev, dh, dx2, dr2, dp2, p);
  assertClose(dx1, dx2, dtype, `${tag} dx`);
  assertClose(dr1, dr2, dtype, `${tag} drec`);
  assertClose(dp1, dp2, dtype, `${tag} dhPrev`);
}

const params = (
  batch: number,
  units: number,
  activation: CellActivation,
  recurrentActivation: CellActivation,
) => ({
  batch,
  units,
  activation,
  recurrentActivation,
});

describe("native recurrent cell kernels match the reference", () => {
  if (!addon) return;
  restoreNativeSettingsAfter(addon);
  const k = mergeWithReference(nativeKernels(addon));
  test("every cell kernel is native", () => {
    for (const name of ["lstmCell", "lstmCellBackward", "gruCell", "gruCellBackward"] as const)
      assert.notEqual(k[name], referenceKernels[name], `${name} should be native`);
  });
  for (const isa of addon.supportedIsas()) {
    for (const dtype of ["float32", "float64"] as const) {
      test(`${isa}, ${dtype}: every activation pair, odd sizes`, () => {
        addon.setIsa(isa);
        addon.setNumThreads(1);
        for (const a of ACTIVATIONS) {
          for (const ra of ACTIVATIONS) {
            for (const [B, H] of [
              [1, 17],
              [3, 13],
            ] as const) {
              checkLstm(k, dtype, params(B, H, a, ra));
              checkGru(k, dtype, params(B, H, a, ra));
            }
          }
        }
        // one unit, vector-width multiples and their neighbours, one more chunk than fits
        for (const [B, H] of [
          [1, 1],
          [2, 7],
          [1, 8],
          [2, 16],
          [3, 31],
          [2, 64],
          [1, 129],
          [2, 200],
        ] as const) {
          checkLstm(k, dtype, params(B, H, "tanh", "sigmoid"));
          checkGru(k, dtype, params(B, H, "tanh", "sigmoid"));
        }
      });
      test(`${isa}, ${dtype}: a step large enough to split over 2 threads`, () => {
        addon.setIsa(isa);
        addon.setNumThreads(2);
        checkLstm(k, dtype, params(130, 190, "tanh", "sigmoid"));
        checkGru(k, dtype, params(173, 190, "relu", "hard_sigmoid"));
      });
    }
  }
});

describe("native recurrent cell entry points check their arguments", () => {
  if (!addon) return;
  const { lstmCell, lstmCellBackward, gruCell, gruCellBackward } = addon;
  if (!lstmCell || !lstmCellBackward || !gruCell || !gruCellBackward) return;
  const B = 2;
  const H = 5;
  const f = (n: number) => new Float32Array(n);
  test("short arrays throw a RangeError naming the array", () => {
    assert.throws(
      () => lstmCell(f(B * 4 * H - 1), f(B * 4 * H), f(B * H), f(B * 4 * H), f(B * H), f(B * H), B, H, 0, 1),
      {
        name: "RangeError",
        message: /lstmCell: x has 39 elements, needs 40/,
      },
    );
    assert.throws(() => lstmCell(f(40), f(40), f(10), f(40), f(10), f(9), B, H, 0, 1), /lstmCell: h has 9/);
    assert.throws(
      () => lstmCellBackward(f(40), f(10), f(10), f(10), f(10), f(39), f(10), B, H, 0, 1),
      /lstmCellBackward: dz has 39/,
    );
    assert.throws(
      () => lstmCellBackward(f(40), f(10), f(10), f(10), f(10), f(40), f(9), B, H, 0, 1),
      /lstmCellBackward: dcPrev has 9/,
    );
    assert.throws(() => gruCell(f(30), f(29), f(10), f(30), f(10), B, H, 0, 1), /gruCell: rec has 29/);
    assert.throws(
      () => gruCellBackward(f(30), f(30), f(10), f(10), f(30), f(30), f(9), B, H, 0, 1),
      /gruCellBackward: dhPrev has 9/,
    );
  });
  test("bad sizes and activation codes throw a RangeError", () => {
    const ok = [f(40), f(40), f(10), f(40), f(10), f(10)] as const;
    assert.throws(() => lstmCell(...ok, -1, H, 0, 1), RangeError);
    assert.throws(() => lstmCell(...ok, B, 2.5, 0, 1), RangeError);
    assert.throws(() => lstmCell(...ok, B, H, 5, 1), /activation must be an integer in \[0, 4\]/);
    assert.throws(() => lstmCell(...ok, B, H, 0, -1), /recurrentActivation/);
    assert.throws(() => gruCell(f(30), f(30), f(10), f(30), f(10), B, H, 0, Number.NaN), RangeError);
  });
  test("wrong types, mixed dtypes and missing arguments throw a TypeError", () => {
    const d = (n: number) => new Float64Array(n);
    assert.throws(() => lstmCell(f(40), d(40), f(10), f(40), f(10), f(10), B, H, 0, 1), {
      name: "TypeError",
      message: /share one dtype/,
    });
    const ints = new Int32Array(40) as unknown as Float32Array;
    assert.throws(
      () => lstmCell(ints, ints, ints, ints, ints, ints, B, H, 0, 1),
      /Float32Array or Float64Array/,
    );
    const notArray = [1, 2, 3] as unknown as Float32Array;
    assert.throws(() => gruCell(notArray, f(30), f(10), f(30), f(10), B, H, 0, 1), {
      name: "TypeError",
      message: /gruCell: x must be a typed array/,
    });
    const call = gruCellBackward as (...args: unknown[]) => void;
    assert.throws(() => call(f(30), f(30), f(10), f(10), f(30), f(30), f(10), B, H), TypeError);
  });
  test("a zero-size step writes nothing and does not throw", () => {
    const h = f(3).fill(7);
    lstmCell(f(0), f(0), f(0), f(0), f(0), h, 0, H, 0, 1);
    gruCell(f(0), f(0), f(0), f(0), h, B, 0, 0, 1);
    assert.deepEqual([...h], [7, 7, 7]);
  });
});

test("an activation the addon does not list runs the reference kernel", () => {
  const calls: string[] = [];
  const fake = { cellActivations: ["tanh", "sigmoid"] } as unknown as NativeAddon;
  const [forward] = entriesOf(lstmCell);
  const table = {
    lstmCell: bindPositional(fake, forward!, () => calls.push("lstmCell")) as Kernels["lstmCell"],
  };
  const B = 2;
  const H = 3;
  const x = values("float64", B * 4 * H);
  const rec = values("float64", B * 4 * H);
  const cPrev = values("float64", B * H);
  const got = [
    allocate("float64", B * 4 * H),
    allocate("float64", B * H),
    allocate("float64", B * H),
  ] as FloatArray[];
  const want = [
    allocate("float64", B * 4 * H),
    allocate("float64", B * H),
    allocate("float64", B * H),
  ] as FloatArray[];
  const p = params(B, H, "relu", "sigmoid");
  table.lstmCell(x, rec, cPrev, got[0]!, got[1]!, got[2]!, p);
  referenceKernels.lstmCell(x, rec, cPrev, want[0]!, want[1]!, want[2]!, p);
  assert.deepEqual(calls, [], "relu has no native code here");
  for (let i = 0; i < 3; i++) assert.deepEqual(got[i], want[i]);
  table.lstmCell(x, rec, cPrev, got[0]!, got[1]!, got[2]!, params(B, H, "tanh", "sigmoid"));
  assert.deepEqual(calls, ["lstmCell"], "listed activations go to the addon");
});
