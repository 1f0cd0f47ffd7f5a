// Parity of the native fused convolution kernels (conv2d, conv2dBackward, and the depthwise pair)
// with the reference, for both algorithms ("gemm", "direct"), "auto" (the fixed rule) and "measure"
// (timed per shape), every ISA path this CPU supports, float32 and float64, 1 and 2 threads:
// strides, "same"-style and asymmetric padding, dilation, one input channel, filter and channel
// counts off the vector width, depthwise multipliers 1 and 2, every activation, bias or none, and
// each gradient requested alone; then the rule itself, the per-shape cache of "measure" and the
// entry-point checks.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { restoreNativeSettingsAfter } from "../../../test/helpers/native-settings.js";
import { windowGeometry } from "../../../test/helpers/window-geometry.js";
import { allocate, type FloatArray } from "../../core/dtype.js";
import { Generator } from "../../core/random.js";
import type { ConvAlgorithm, ConvParams, EpilogueActivation, WindowGeometry } from "../kernels.js";
import { referenceKernels } from "../reference/index.js";
import { clearNativeConvChoices, convKernels, convRule, nativeConvChoices } from "./conv.js";
import { nativeAddon } from "./loader.js";

const addon = nativeAddon();
const rng = new Generator(29);

function values(dtype: "float32" | "float64", length: number): FloatArray {
  const out = allocate(dtype, length) as FloatArray;
  for (let i = 0; i < length; i++) out[i] = rng.uniform(-1, 1);
  return out;
}

const geometry = windowGeometry;

interface Case {
  g: WindowGeometry;
  filters: number;
  activation: EpilogueActivation;
  bias: boolean;
  /** Depthwise kernel (KH, KW, C, filters / C) through the depthwiseConv2d kernels. */
  depthwise?: boolean;
}

const CASES: Case[] = [
  // the benchmark's first layer (one input channel), smaller batch
  {
    g: geometry(3, [12, 11], 1, [3, 3], [1, 1], [1, 1], [0, 0], [0, 0]),
    filters: 32,
    activation: "relu",
    bias: true,
  },
  // 3x3 "same" (pads 1 each side), 19 channels and 37 filters: vector blocks plus tails
  {
    g: geometry(2, [7, 6], 19, [3, 3], [1, 1], [1, 1], [1, 1], [1, 1]),
    filters: 37,
    activation: "none",
    bias: false,
  },
  // strides (2, 1), dilation (1, 2), asymmetric pads
  {
    g: geometry(2, [9, 8], 5, [3, 2], [2, 1], [1, 2], [1, 0], [1, 2]),
    filters: 7,
    activation: "sigmoid",
    bias: true,
  },
  // 4x4 kernel with pads (1, 1) before and (2, 2) after, stride 3
  {
    g: geometry(1, [10, 9], 33, [4, 4], [3, 3], [1, 1], [1, 1], [2, 2]),
    filters: 64,
    activation: "tanh",
    bias: true,
  },
  // 1x1 with stride 2 (the op's non-pointwise 1x1 case), a single filter
  {
    g: geometry(3, [5, 5], 4, [1, 1], [2, 2], [1, 1], [0, 0], [0, 0]),
    filters: 1,
    activation: "relu",
    bias: false,
  },
  // one input channel, 3x3 "same" with stride 2 (taps in the padding), 48 filters: the one-channel
  // kernel-gradient path where the filters divide into its register blocks, the general one elsewhere
  {
    g: geometry(2, [9, 10], 1, [3, 3], [2, 2], [1, 1], [1, 1], [1, 1]),
    filters: 48,
    activation: "none",
    bias: false,
  },
];

// depthwise: multiplier 1 on 19 channels (vector blocks plus tails), multiplier 2 (the scalar
// loops), strides, dilation and asymmetric pads, every activation
const DEPTHWISE: Case[] = [
  {
    g: geometry(2, [8, 7], 19, [3, 3], [1, 1], [1, 1], [1, 1], [1, 1]),
    filters: 19,
    activation: "relu",
    bias: true,
    depthwise: true,
  },
  {
    g: geometry(2, [9, 8], 5, [3, 2], [2, 1], [1, 2], [1, 0], [1, 2]),
    filters: 10,
    activation: "sigmoid",
    bias: true,
    depthwise: true,
  },
  {
    g: geometry(1, [6, 6], 40, [2, 2], [2, 2], [1, 1], [0, 0], [1, 1]),
    filters: 40,
    activation: "tanh",
    bias: false,
    depthwise: true,
  },
  {
    g: geometry(3, [5, 4], 3, [3, 3], [1, 1], [2, 1], [2, 1], [2, 1]),
    filters: 9,
    activation: "none",
    bias: false,
    depthwise: true,
  },
];

const describeCase = (c: Case) => {
  const g = c.g;
  return `N${g.batch} ${g.inH}x${g.inW}x${g.channels} k${g.kernelH}x${g.kernelW} s${g.strideH},${g.strideW} d${g.dilationH},${g.dilationW} p${g.padTop},${g.padLeft} F${c.filters} ${c.activation}${c.bias ? " bias" : ""}${c.depthwise ? " depthwise" : ""}`;
};

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, label: string): void {
  assert.equal(got.length, want.length, `${label}: length`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    assert.ok(Math.abs(g - w) <= tol * (1 + Math.abs(w)), `${label}: element ${i} got ${g}, want ${w}`);
  }
}

/** Runs forward and every subset of gradients of one case with `algorithm` and checks them. */
function checkCase(
  k: ReturnType<typeof convKernels>,
  c: Case,
  dtype: "float32" | "float64",
  algorithm: ConvAlgorithm,
): void {
  const g = c.g;
  const F = c.filters;
  const label = `${describeCase(c)} ${dtype} ${algorithm}`;
  const tol = dtype === "float32" ? 2e-5 : 1e-12;
  const params: ConvParams = { geometry: g, filters: F, activation: c.activation, algorithm };
  const xSize = g.batch * g.inH * g.inW * g.channels;
  const wSize = g.kernelH * g.kernelW * (c.depthwise ? 1 : g.channels) * F;
  const forward = c.depthwise ? "depthwiseConv2d" : "conv2d";
  const backward = c.depthwise ? "depthwiseConv2dBackward" : "conv2dBackward";
  const ySize = g.batch * g.outH * g.outW * F;
  const x = values(dtype, xSize);
  const w = values(dtype, wSize);
  const bias = c.bias ? values(dtype, F) : null;
  const y = values(dtype, ySize); // garbage first: every element must be written
  const want = allocate(dtype, ySize) as FloatArray;
  k[forward]!(x, w, bias, y, params);
  referenceKernels[forward](x, w, bias, want, params);
  assertClose(y, want, tol, `forward ${label}`);

  const dy = values(dtype, ySize);
  const wantDx = allocate(dtype, xSize) as FloatArray;
  const wantDw = allocate(dtype, wSize) as FloatArray;
  const wantDb = allocate(dtype, F) as FloatArray;
  referenceKernels[backward](x, w, want, dy, wantDx, wantDw, wantDb, params);
  for (const [needX, needW, needB] of [
    [true, true, true],
    [true, false, false],
    [false, true, false],
    [false, false, true],
  ] as const) {
    const dx = needX ? values(dtype, xSize) : null;
    const dw = needW ? values(dtype, wSize) : null;
    const db = needB ? values(dtype, F) : null;
    k[backward]!(x, w, want, dy, dx, dw, db, params);
    const which = `${needX ? "dx" : ""}${needW ? "dw" : ""}${needB ? "db" : ""} ${label}`;
    if (dx) assertClose(dx, wantDx, tol, `dx of ${which}`);
    if (dw) assertClose(dw, wantDw, tol, `dw of ${which}`);
    if (db) assertClose(db, wantDb, tol, `db of ${which}`);
  }
}

describe("native conv kernels match the reference", () => {
  if (!addon) return;
  const savedIsa = addon.getIsa();
  restoreNativeSettingsAfter(addon);
  const k = convKernels(addon);

  test("the addon exports the conv kernels", () => {
    assert.equal(typeof k.conv2d, "function");
    assert.equal(typeof k.conv2dBackward, "function");
    assert.equal(typeof k.depthwiseConv2d, "function");
    assert.equal(typeof k.depthwiseConv2dBackward, "function");
  });

  for (const isa of addon.supportedIsas()) {
    for (const threads of [1, 2]) {
      test(`gemm and direct, float32 and float64, ${isa}, ${threads} thread(s)`, () => {
        addon.setIsa(isa);
        addon.setNumThreads(threads);
        for (const c of CASES) {
          for (const dtype of ["float32", "float64"] as const) {
            for (const algorithm of ["gemm", "direct"] as const) checkCase(k, c, dtype, algorithm);
          }
        }
      });

      test(`depthwise, float32 and float64, ${isa}, ${threads} thread(s)`, () => {
        addon.setIsa(isa);
        addon.setNumThreads(threads);
        for (const c of DEPTHWISE) {
          for (const dtype of ["float32", "float64"] as const) checkCase(k, c, dtype, "auto");
        }
      });
    }
  }

  // The relu mask and the bias sum run in one vector pass where F fits the registers (reluBias,
  // biasOnly): db must still be the row-order sum of dy where y > 0, bit for bit (one thread: one
  // part), a NaN in dy under y > 0 reaching db and masked elsewhere, on every ISA and filter count.
  test("the relu and bias gradients are the row-order masked sums, bit for bit, on every ISA", () => {
    for (const isa of addon.supportedIsas()) {
      addon.setIsa(isa);
      addon.setNumThreads(1);
      for (const dtype of ["float32", "float64"] as const) {
        const round = dtype === "float32" ? Math.fround : (v: number) => v;
        for (const filters of [32, 40, 48, 160]) {
          for (const activation of ["relu", "none"] as const) {
            const g = geometry(2, [7, 6], 1, [3, 3], [1, 1], [1, 1], [0, 0], [0, 0]);
            const rows = g.batch * g.outH * g.outW;
            const x = values(dtype, g.batch * g.inH * g.inW);
            const w = values(dtype, 9 * filters);
            const y = values(dtype, rows * filters);
            const dy = values(dtype, rows * filters);
            [y[0], y[1], y[2], y[3]] = [1, 0, -0, Number.NaN];
            [dy[0], dy[1], dy[2], dy[3]] = [Number.NaN, Number.NaN, Number.NaN, Number.NaN];
            y[filters + 1] = 0.5;
            dy[filters + 1] = -0;
            const db = allocate(dtype, filters) as FloatArray;
            const params: ConvParams = { geometry: g, filters, activation, algorithm: "direct" };
            k.conv2dBackward!(x, w, y, dy, null, allocate(dtype, w.length) as FloatArray, db, params);
            const want = new Array<number>(filters).fill(0);
            for (let r = 0; r < rows; r++) {
              for (let f = 0; f < filters; f++) {
                const i = r * filters + f;
                const d = activation === "none" || y[i]! > 0 ? dy[i]! : 0;
                want[f] = round(want[f]! + d);
              }
            }
            assert.deepEqual([...db], want, `${isa} ${dtype} ${filters} filters ${activation}`);
            if (activation === "relu") assert.ok(Number.isNaN(db[0]!) && !Number.isNaN(db[1]!));
          }
        }
      }
    }
  });

  test('"auto" follows the fixed rule on KC = KH * KW * C and the filters, measures nothing, and matches the reference', () => {
    const params = (channels: number, kernel: number, filters: number): ConvParams => ({
      geometry: geometry(1, [9, 9], channels, [kernel, kernel], [1, 1], [1, 1], [0, 0], [0, 0]),
      filters,
      activation: "none",
      algorithm: "auto",
    });
    // KC 9 (the CNN bench's first layer), 127, 128, 255, 256, 288 (its second layer), 1152, 1153
    const rows: [number, number, number, string, string, string][] = [
      [1, 3, 128, "direct", "direct", "gemm"],
      [127, 1, 128, "direct", "direct", "gemm"],
      [128, 1, 128, "gemm", "direct", "gemm"],
      [255, 1, 128, "gemm", "direct", "gemm"],
      [256, 1, 128, "gemm", "gemm", "gemm"],
      [32, 3, 128, "gemm", "gemm", "gemm"],
      [32, 3, 64, "direct", "direct", "gemm"],
      [128, 3, 64, "direct", "direct", "gemm"],
      [128, 3, 65, "gemm", "gemm", "gemm"],
      [1153, 1, 8, "gemm", "gemm", "gemm"],
    ];
    for (const [channels, kernel, filters, forward, kernelGradient, input] of rows) {
      const p = params(channels, kernel, filters);
      assert.deepEqual(
        [convRule("forward", p), convRule("kernel", p), convRule("input", p)],
        [forward, kernelGradient, input],
        `KC ${kernel * kernel * channels}, ${filters} filters`,
      );
    }
    addon.setIsa(savedIsa);
    clearNativeConvChoices();
    for (const c of CASES) checkCase(k, c, "float32", "auto");
    assert.equal(nativeConvChoices().length, 0);
  });

  test('"measure" times each pass once per shape, keeps the faster, and matches the reference', () => {
    addon.setIsa(savedIsa);
    addon.setNumThreads(2);
    clearNativeConvChoices();
    const c = CASES[1]!;
    checkCase(k, c, "float32", "measure");
    const passes = nativeConvChoices().map((choice) => choice.pass);
    assert.deepEqual(passes.sort(), ["forward", "input", "kernel"]);
    for (const choice of nativeConvChoices()) {
      assert.ok(choice.gemmMs >= 0 && choice.directMs >= 0);
      const faster = choice.directMs < choice.gemmMs ? "direct" : "gemm";
      assert.equal(choice.algorithm, faster, `${choice.pass} keeps the faster algorithm`);
    }
    // the same shape again: cached, nothing new measured
    checkCase(k, c, "float32", "measure");
    assert.equal(nativeConvChoices().length, 3);
    // forcing an algorithm measures nothing
    clearNativeConvChoices();
    checkCase(k, CASES[2]!, "float64", "direct");
    assert.equal(nativeConvChoices().length, 0);
  });

  test("entry points reject bad metadata, short arrays and mixed dtypes", () => {
    const { convForward, convBackward } = addon as unknown as {
      convForward(...args: unknown[]): void;
      convBackward(...args: unknown[]): void;
    };
    const g = CASES[2]!.g;
    const F = 7;
    const meta = (over: Partial<WindowGeometry> = {}, tail: number[] = [F, 1, 0, 0]) => {
      const v = { ...g, ...over };
      return Float64Array.of(
        v.batch,
        v.inH,
        v.inW,
        v.channels,
        v.kernelH,
        v.kernelW,
        v.strideH,
        v.strideW,
        v.dilationH,
        v.dilationW,
        v.padTop,
        v.padLeft,
        v.outH,
        v.outW,
        ...tail,
      );
    };
    const x = new Float32Array(g.batch * g.inH * g.inW * g.channels);
    const w = new Float32Array(g.kernelH * g.kernelW * g.channels * F);
    const y = new Float32Array(g.batch * g.outH * g.outW * F);
    convForward(x, w, null, y, meta());
    assert.throws(() => convForward(x, w, null, y, meta({ strideW: 0 })), /must be >= 1/);
    assert.throws(() => convForward(x, w, null, y, meta({ padLeft: -1 })), RangeError);
    assert.throws(() => convForward(x, w, null, y, meta({}, [0, 1, 0, 0])), /filters must be >= 1/);
    assert.throws(() => convForward(x, w, null, y, meta({}, [F, 1, 4, 0])), /unknown activation code 4/);
    assert.throws(() => convForward(x, w, null, y, meta({}, [F, 1, 0, 2])), /unknown algorithm code 2/);
    assert.throws(() => convForward(x, w, null, y, meta({}, [F, 1, 0])), /meta too short/);
    // groups: 1 or the channel count (5), dividing the filters (7)
    assert.throws(
      () => convForward(x, w, null, y, meta({}, [F, 2, 0, 0])),
      /groups must be 1 or the channel count/,
    );
    assert.throws(
      () => convForward(x, w, null, y, meta({}, [F, 5, 0, 0])),
      /groups must be 1 or the channel count/,
    );
    const depthwiseMeta = meta({}, [10, 5, 0, 0]);
    const wd = new Float32Array(g.kernelH * g.kernelW * 10);
    const yd = new Float32Array(g.batch * g.outH * g.outW * 10);
    convForward(x, wd, null, yd, depthwiseMeta);
    assert.throws(() => convForward(x, wd.subarray(1), null, yd, depthwiseMeta), /convForward: w has/);
    assert.throws(() => convForward(x.subarray(1), w, null, y, meta()), /convForward: x has/);
    assert.throws(() => convForward(x, w, null, y.subarray(1), meta()), /convForward: out has/);
    assert.throws(() => convForward(x, w, new Float32Array(F - 1), y, meta()), /convForward: bias has/);
    assert.throws(
      () => convForward(x, new Float64Array(w.length), null, y, meta()),
      /must all be Float32Array or all Float64Array/,
    );
    assert.throws(() => convForward(new Int32Array(x.length), w, null, y, meta()), TypeError);
    const back = meta({}, [F, 1, 1, 0, 1]);
    convBackward(x, w, y, y, new Float32Array(x.length), new Float32Array(w.length), null, back);
    assert.throws(() => convBackward(x, w, y.subarray(1), y, null, null, null, back), /convBackward: y has/);
    assert.throws(
      () => convBackward(x, w, y, y, new Float32Array(x.length - 1), null, null, back),
      /convBackward: dx has/,
    );
    assert.throws(
      () => convBackward(x, w, y, y, null, new Float32Array(3), null, back),
      /convBackward: dw has/,
    );
    assert.throws(
      () => convBackward(x, w, y, y, null, null, new Float64Array(F), back),
      /must all be Float32Array or all Float64Array/,
    );
    assert.throws(
      () => convBackward(x, w, y, y, null, null, null, meta({}, [F, 1, 1, 0, 5])),
      /algorithm code 5/,
    );
  });
});
