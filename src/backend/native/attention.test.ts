// Parity of the native fused attention kernels (forward and backward) with the reference kernels,
// on every ISA path and with 1 and 2 threads: causal and not, boolean masks broadcast along each
// axis, rows that see no key (lse -Infinity, zero output and gradients), Tq != Tk, Dk != Dv, odd
// depths and lengths that cross the 64-row blocks, heads-last (B, T, N, D) layouts, float32 and
// float64; and argument checking.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { restoreNativeSettingsAfter } from "../../../test/helpers/native-settings.js";
import { allocate, type FloatArray } from "../../core/dtype.js";
import { Generator } from "../../core/random.js";
import { broadcastStrides } from "../../core/shape.js";
import { attentionLayout, packAttention } from "../fused/attention.js";
import type { AttentionParams, Kernels, RowStrides } from "../kernels.js";
import { referenceKernels } from "../reference/index.js";
import { nativeAddon } from "./loader.js";
import { nativeKernels } from "./table.js";

const addon = nativeAddon();
const rng = new Generator(23);

type Float = "float32" | "float64";

interface Case {
  name: string;
  batch: number;
  heads: number;
  tq: number;
  tk: number;
  dk: number;
  dv: number;
  causal: boolean;
  /** Shape broadcast to (B, N, Tq, Tk); entries are true with probability `density`. */
  maskShape?: number[];
  density?: number;
  /** Mask entries forced false: (b, n, i, j) => hidden. */
  hide?: (b: number, n: number, i: number, j: number) => boolean;
  /** Operands laid out (B, T, N, D) (params.layout) instead of (B, N, T, D). */
  headsLast?: boolean;
}

function randomArray(dtype: Float, n: number, spread = 1): FloatArray {
  const a = allocate(dtype, n) as FloatArray;
  for (let i = 0; i < n; i++) a[i] = (rng.random() * 2 - 1) * spread;
  return a;
}

function paramsOf(c: Case): { params: AttentionParams; mask: Uint8Array | null } {
  const target = [c.batch, c.heads, c.tq, c.tk];
  let mask: Uint8Array | null = null;
  let maskStrides: [number, number, number, number] = [0, 0, 0, 0];
  if (c.maskShape) {
    const shape = c.maskShape;
    const size = shape.reduce((p, d) => p * d, 1);
    mask = new Uint8Array(size);
    for (let i = 0; i < size; i++) mask[i] = rng.random() < (c.density ?? 0.7) ? 1 : 0;
    maskStrides = broadcastStrides(shape, target) as [number, number, number, number];
    if (c.hide) {
      for (let b = 0; b < c.batch; b++)
        for (let n = 0; n < c.heads; n++)
          for (let i = 0; i < c.tq; i++)
            for (let j = 0; j < c.tk; j++)
              if (c.hide(b, n, i, j))
                mask[b * maskStrides[0] + n * maskStrides[1] + i * maskStrides[2] + j * maskStrides[3]] = 0;
    }
  }
  const { batch, heads, tq, tk, dk, dv, causal } = c;
  const params: AttentionParams = {
    batch,
    heads,
    tq,
    tk,
    dk,
    dv,
    scale: 1 / Math.sqrt(dk),
    causal,
    mask,
    maskStrides,
  };
  if (c.headsLast) {
    const rows = (t: number, d: number): RowStrides => [t * heads * d, d, heads * d];
    params.layout = { q: rows(tq, dk), k: rows(tk, dk), v: rows(tk, dv), out: rows(tq, dv) };
  }
  return { params, mask };
}

/** |got - want| <= tol (1 + |want|) element by element; -Infinity must match exactly. */
function assertClose(got: FloatArray, want: FloatArray, tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (!Number.isFinite(w)) {
      assert.equal(g, w, `${what}[${i}]: expected ${w} (got ${g})`);
      continue;
    }
    if (!(Math.abs(g - w) <= tol * (1 + Math.abs(w))))
      assert.fail(`${what}[${i}]: expected ${w} (got ${g}, off by ${Math.abs(g - w)})`);
  }
}

/** Runs forward and backward with both tables and compares every output. */
function checkCase(native: Kernels, c: Case, dtype: Float): { hiddenRows: number } {
  const { params } = paramsOf(c);
  const { batch, heads, tq, tk, dk, dv } = params;
  const bn = batch * heads;
  const q = randomArray(dtype, bn * tq * dk, 2);
  const k = randomArray(dtype, bn * tk * dk, 2);
  const v = randomArray(dtype, bn * tk * dv);
  const dOut = randomArray(dtype, bn * tq * dv);
  const run = (kernels: Kernels) => {
    const out = allocate(dtype, bn * tq * dv) as FloatArray;
    const lse = allocate(dtype, bn * tq) as FloatArray;
    // outputs start as garbage: the kernels must overwrite every element
    out.fill(7);
    lse.fill(7);
    kernels.attention(q, k, v, out, lse, params);
    const dq = allocate(dtype, q.length).fill(5) as FloatArray;
    const dkOut = allocate(dtype, k.length).fill(5) as FloatArray;
    const dvOut = allocate(dtype, v.length).fill(5) as FloatArray;
    kernels.attentionBackward(q, k, v, out, lse, dOut, dq, dkOut, dvOut, params);
    return { out, lse, dq, dk: dkOut, dv: dvOut };
  };
  const want = run(referenceKernels);
  const got = run(native);
  const tol = dtype === "float64" ? 1e-11 : 2e-5;
  const label = `${c.name} ${dtype}`;
  assertClose(got.out, want.out, tol, `${label} out`);
  assertClose(got.lse, want.lse, tol, `${label} lse`);
  assertClose(got.dq, want.dq, tol * 5, `${label} dq`);
  assertClose(got.dk, want.dk, tol * 5, `${label} dk`);
  assertClose(got.dv, want.dv, tol * 5, `${label} dv`);
  // rows that see no key: -Infinity lse, zero output row, zero dq row
  const layout = attentionLayout(params);
  let hiddenRows = 0;
  for (let r = 0; r < bn * tq; r++) {
    if (got.lse[r] !== Number.NEGATIVE_INFINITY) continue;
    hiddenRows++;
    const [b, n, i] = [Math.floor(r / (heads * tq)), Math.floor(r / tq) % heads, r % tq];
    const o = b * layout.out[0] + n * layout.out[1] + i * layout.out[2];
    const g = b * layout.q[0] + n * layout.q[1] + i * layout.q[2];
    for (let e = 0; e < dv; e++) assert.equal(got.out[o + e], 0, `${label}: hidden row ${r} output`);
    for (let e = 0; e < dk; e++) assert.equal(got.dq[g + e], 0, `${label}: hidden row ${r} dq`);
  }
  return { hiddenRows };
}

const CASES: Case[] = [
  { name: "plain 2x3 heads T17 D8", batch: 2, heads: 3, tq: 17, tk: 17, dk: 8, dv: 8, causal: false },
  { name: "causal T130 Dk16 Dv24", batch: 1, heads: 2, tq: 130, tk: 130, dk: 16, dv: 24, causal: true },
  { name: "no keys (Tk 0)", batch: 2, heads: 1, tq: 3, tk: 0, dk: 4, dv: 4, causal: false },
  { name: "no queries (Tq 0)", batch: 2, heads: 1, tq: 0, tk: 5, dk: 4, dv: 4, causal: true },
  { name: "empty values (Dv 0)", batch: 1, heads: 2, tq: 4, tk: 5, dk: 3, dv: 0, causal: false },
  { name: "T1", batch: 3, heads: 1, tq: 1, tk: 1, dk: 4, dv: 2, causal: true },
  { name: "Tq5 Tk130 causal", batch: 1, heads: 2, tq: 5, tk: 130, dk: 7, dv: 5, causal: true },
  { name: "Tq5 Tk130", batch: 1, heads: 2, tq: 5, tk: 130, dk: 7, dv: 5, causal: false },
  { name: "Tq130 Tk17 causal", batch: 2, heads: 1, tq: 130, tk: 17, dk: 3, dv: 9, causal: true },
  { name: "odd depths Dk3 Dv33", batch: 2, heads: 2, tq: 19, tk: 23, dk: 3, dv: 33, causal: false },
  {
    name: "padding mask (B,1,1,Tk), one batch all hidden",
    batch: 3,
    heads: 2,
    tq: 20,
    tk: 70,
    dk: 8,
    dv: 8,
    causal: false,
    maskShape: [3, 1, 1, 70],
    hide: (b) => b === 1,
  },
  {
    name: "mask (Tq,Tk) + causal, some rows hidden",
    batch: 2,
    heads: 2,
    tq: 66,
    tk: 66,
    dk: 12,
    dv: 6,
    causal: true,
    maskShape: [66, 66],
    density: 0.6,
    hide: (_b, _n, i) => i % 9 === 4,
  },
  {
    name: "full mask (B,N,Tq,Tk)",
    batch: 2,
    heads: 3,
    tq: 9,
    tk: 13,
    dk: 5,
    dv: 4,
    causal: false,
    maskShape: [2, 3, 9, 13],
    density: 0.3,
  },
  {
    name: "query mask (Tq,1)",
    batch: 1,
    heads: 2,
    tq: 17,
    tk: 17,
    dk: 8,
    dv: 8,
    causal: false,
    maskShape: [17, 1],
    density: 0.5,
  },
  {
    name: "head mask (1,N,1,1) with one head hidden",
    batch: 2,
    heads: 3,
    tq: 10,
    tk: 10,
    dk: 4,
    dv: 4,
    causal: true,
    maskShape: [1, 3, 1, 1],
    density: 1,
    hide: (_b, n) => n === 2,
  },
  {
    name: "one long unit (split backward)",
    batch: 1,
    heads: 1,
    tq: 130,
    tk: 130,
    dk: 32,
    dv: 32,
    causal: false,
  },
  {
    name: "one long causal unit (split)",
    batch: 1,
    heads: 1,
    tq: 150,
    tk: 140,
    dk: 32,
    dv: 16,
    causal: true,
  },
  { name: "GPT-like 8 units T64 D32", batch: 4, heads: 2, tq: 64, tk: 64, dk: 32, dv: 32, causal: true },
  {
    name: "heads-last GPT-like",
    batch: 4,
    heads: 2,
    tq: 64,
    tk: 64,
    dk: 32,
    dv: 32,
    causal: true,
    headsLast: true,
  },
  {
    name: "heads-last causal T130 Dk16 Dv24",
    batch: 2,
    heads: 3,
    tq: 130,
    tk: 130,
    dk: 16,
    dv: 24,
    causal: true,
    headsLast: true,
  },
  {
    name: "heads-last Tq9 Tk70 odd depths, padding mask",
    batch: 2,
    heads: 2,
    tq: 9,
    tk: 70,
    dk: 5,
    dv: 3,
    causal: false,
    maskShape: [2, 1, 1, 70],
    hide: (b) => b === 0,
    headsLast: true,
  },
  {
    name: "heads-last one long unit (split)",
    batch: 1,
    heads: 1,
    tq: 140,
    tk: 140,
    dk: 32,
    dv: 32,
    causal: true,
    headsLast: true,
  },
];

describe("native attention kernels match the reference", () => {
  if (!addon) return;
  restoreNativeSettingsAfter(addon);
  const native = { ...referenceKernels, ...nativeKernels(addon) } as Kernels;

  test("the native table provides both kernels", () => {
    assert.notEqual(native.attention, referenceKernels.attention);
    assert.notEqual(native.attentionBackward, referenceKernels.attentionBackward);
  });

  for (const isa of addon.supportedIsas()) {
    for (const threads of [1, 2]) {
      test(`${isa}, ${threads} thread(s): every case in float32 and float64`, () => {
        addon.setIsa(isa);
        addon.setNumThreads(threads);
        let hidden = 0;
        for (const c of CASES) {
          for (const dtype of ["float64", "float32"] as Float[])
            hidden += checkCase(native, c, dtype).hiddenRows;
        }
        // the masked cases must really produce rows without a visible key
        assert.ok(hidden > 0, "no fully hidden row was exercised");
      });
    }
  }
});

describe("native attention argument checks", () => {
  const a = addon;
  if (!a) return;
  const attention = a.attention.bind(a);
  const backward = a.attentionBackward.bind(a);
  const params: AttentionParams = {
    batch: 2,
    heads: 2,
    tq: 3,
    tk: 4,
    dk: 5,
    dv: 6,
    scale: 0.5,
    causal: false,
    mask: null,
    maskStrides: [0, 0, 0, 0],
  };
  const f32 = (n: number) => new Float32Array(n);
  const q = f32(60);
  const k = f32(80);
  const v = f32(96);
  const out = f32(72);
  const lse = f32(12);

  test("well-formed calls run", () => {
    attention(q, k, v, out, lse, null, packAttention(params));
    backward(q, k, v, out, lse, out, f32(60), f32(80), f32(96), null, packAttention(params));
    const mask = new Uint8Array(4).fill(1);
    attention(q, k, v, out, lse, mask, packAttention({ ...params, mask, maskStrides: [0, 0, 0, 1] }));
    // all keys visible and v = 0: zero output, lse = log(Tk) (scores are all 0)
    for (const x of out) assert.equal(x, 0);
    for (const x of lse) assert.ok(Math.abs(x - Math.log(4)) < 1e-6);
  });

  test("short arrays are RangeErrors", () => {
    assert.throws(() => attention(f32(59), k, v, out, lse, null, packAttention(params)), RangeError);
    assert.throws(() => attention(q, f32(79), v, out, lse, null, packAttention(params)), RangeError);
    assert.throws(() => attention(q, k, f32(95), out, lse, null, packAttention(params)), RangeError);
    assert.throws(() => attention(q, k, v, f32(71), lse, null, packAttention(params)), RangeError);
    assert.throws(() => attention(q, k, v, out, f32(11), null, packAttention(params)), RangeError);
    assert.throws(
      () => backward(q, k, v, out, lse, out, f32(60), f32(79), f32(96), null, packAttention(params)),
      RangeError,
    );
    assert.throws(
      () => backward(q, k, v, out, lse, f32(71), f32(60), f32(80), f32(96), null, packAttention(params)),
      RangeError,
    );
    const mask = new Uint8Array(3);
    assert.throws(
      () => attention(q, k, v, out, lse, mask, packAttention({ ...params, mask, maskStrides: [0, 0, 0, 1] })),
      RangeError,
    );
  });

  test("bad meta is a RangeError, wrong types are TypeErrors", () => {
    const meta = packAttention(params).slice();
    meta[2] = 2.5;
    assert.throws(() => attention(q, k, v, out, lse, null, meta), RangeError);
    meta[2] = 3;
    meta[14] = -1;
    assert.throws(() => attention(q, k, v, out, lse, null, meta), RangeError);
    meta[14] = 5;
    meta[6] = Number.NaN;
    assert.throws(() => attention(q, k, v, out, lse, null, meta), RangeError);
    assert.throws(() => attention(q, k, v, out, lse, null, meta.subarray(0, 20)), RangeError);
    const m = packAttention(params);
    assert.throws(() => attention(q, new Float64Array(80), v, out, lse, null, m), TypeError);
    assert.throws(() => attention(new Int32Array(60) as never, k, v, out, lse, null, m), TypeError);
    assert.throws(() => attention(q, k, v, out, lse, new Int32Array(4) as never, m), TypeError);
    assert.throws(() => attention(q, k, v, out, lse, null, new Float32Array(24) as never), TypeError);
    assert.throws(() => (attention as (...args: unknown[]) => void)(q, k, v), TypeError);
  });
});
