// Parity of the native window kernels (im2col, col2im, max/average pooling and their adjoints)
// with the reference kernels, float32 and float64, on 1 and 2 threads: strides, dilations,
// paddings (taps outside the input), one and many channels, NaN in max pooling; and the checks the
// entry points run before any kernel touches memory.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { restoreNativeSettingsAfter } from "../../../test/helpers/native-settings.js";
import { windowGeometry } from "../../../test/helpers/window-geometry.js";
import { allocate, type FloatArray } from "../../core/dtype.js";
import { Generator } from "../../core/random.js";
import type { Kernels, WindowGeometry } from "../kernels.js";
import { referenceKernels } from "../reference/index.js";
import { nativeAddon } from "./loader.js";
import { nativeKernels } from "./table.js";

const addon = nativeAddon();
const rng = new Generator(11);

function values(dtype: "float32" | "float64", length: number, nan = false): FloatArray {
  const out = allocate(dtype, length) as FloatArray;
  for (let i = 0; i < length; i++) out[i] = nan && rng.random() < 0.02 ? Number.NaN : rng.uniform(-2, 2);
  return out;
}

const geometry = windowGeometry;

const CONV: WindowGeometry[] = [
  geometry(3, [28, 28], 1, [3, 3], [1, 1], [1, 1], [0, 0], [0, 0]),
  geometry(2, [7, 6], 5, [3, 2], [2, 1], [1, 2], [1, 0], [1, 2]),
  geometry(1, [5, 5], 3, [4, 4], [1, 1], [1, 1], [1, 1], [2, 2]),
  geometry(4, [9, 4], 2, [1, 1], [3, 2], [1, 1], [0, 0], [0, 0]),
];
// pooling has no dilation; pads below the window size
const POOL: WindowGeometry[] = [
  geometry(3, [26, 26], 32, [2, 2], [2, 2], [1, 1], [0, 0], [0, 0]),
  geometry(2, [7, 5], 3, [3, 3], [2, 2], [1, 1], [1, 1], [1, 1]),
  geometry(2, [5, 7], 1, [2, 3], [1, 1], [1, 1], [0, 1], [1, 1]),
  // windows tiling the input (the 2x2 path and the gathered adjoint), rows and columns left over
  geometry(3, [11, 11], 64, [2, 2], [2, 2], [1, 1], [0, 0], [0, 0]),
  geometry(2, [10, 8], 5, [3, 2], [3, 2], [1, 1], [0, 0], [0, 0]),
];

const describeGeometry = (g: WindowGeometry) =>
  `N${g.batch} ${g.inH}x${g.inW}x${g.channels} k${g.kernelH}x${g.kernelW} s${g.strideH},${g.strideW} d${g.dilationH},${g.dilationW} p${g.padTop},${g.padLeft} -> ${g.outH}x${g.outW}`;

function assertSame(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, label: string): void {
  assert.equal(got.length, want.length, `${label}: length`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)) || (g === 0 && w === 0)) continue;
    assert.ok(
      tol > 0 && Math.abs(g - w) <= tol * (1 + Math.abs(w)),
      `${label}: element ${i} got ${g}, want ${w}`,
    );
  }
}

describe("native window kernels match the reference", () => {
  if (!addon) return;
  restoreNativeSettingsAfter(addon);
  const k = { ...referenceKernels, ...nativeKernels(addon) } as Kernels;
  for (const threads of [1, 2]) {
    for (const dtype of ["float32", "float64"] as const) {
      test(`im2col and col2im, ${dtype}, ${threads} thread(s)`, () => {
        addon.setNumThreads(threads);
        for (const g of CONV) {
          const inSize = g.batch * g.inH * g.inW * g.channels;
          const patchSize = g.batch * g.outH * g.outW * g.kernelH * g.kernelW * g.channels;
          const x = values(dtype, inSize);
          const got = values(dtype, patchSize); // garbage in out: every element must be written
          const want = allocate(dtype, patchSize) as FloatArray;
          k.im2col(x, g, got);
          referenceKernels.im2col(x, g, want);
          assertSame(got, want, 0, `im2col ${describeGeometry(g)}`);
          const cols = values(dtype, patchSize);
          const back = values(dtype, inSize);
          const backWant = allocate(dtype, inSize) as FloatArray;
          k.col2im(cols, g, back);
          referenceKernels.col2im(cols, g, backWant);
          assertSame(back, backWant, 0, `col2im ${describeGeometry(g)}`);
        }
      });

      test(`max and average pooling and their adjoints, ${dtype}, ${threads} thread(s), every ISA`, () => {
        addon.setNumThreads(threads);
        // the tiled max-pooling loops are compiled per ISA (window-tiles.h)
        for (const isa of addon.supportedIsas())
          for (const g of POOL) {
            addon.setIsa(isa);
            const inSize = g.batch * g.inH * g.inW * g.channels;
            const cells = g.batch * g.outH * g.outW * g.channels;
            const x = values(dtype, inSize, true);
            const [out, outWant] = [values(dtype, cells), allocate(dtype, cells) as FloatArray];
            const [arg, argWant] = [new Int32Array(cells).fill(7), new Int32Array(cells)];
            k.maxPool(x, g, out, arg);
            referenceKernels.maxPool(x, g, outWant, argWant);
            assertSame(out, outWant, 0, `maxPool ${describeGeometry(g)}`);
            assertSame(arg, argWant, 0, `maxPool argmax ${describeGeometry(g)}`);
            const dy = values(dtype, cells);
            const [dx, dxWant] = [values(dtype, inSize), allocate(dtype, inSize) as FloatArray];
            k.maxPoolBackward(dy, argWant, g, dx);
            referenceKernels.maxPoolBackward(dy, argWant, g, dxWant);
            assertSame(dx, dxWant, 0, `maxPoolBackward ${describeGeometry(g)}`);
            const clean = values(dtype, inSize);
            k.avgPool(clean, g, out);
            referenceKernels.avgPool(clean, g, outWant);
            assertSame(out, outWant, 0, `avgPool ${describeGeometry(g)}`);
            k.avgPoolBackward(dy, g, dx);
            referenceKernels.avgPoolBackward(dy, g, dxWant);
            // float32: dy / taps is rounded to float before the add (the reference adds in double)
            assertSame(dx, dxWant, dtype === "float32" ? 1e-6 : 0, `avgPoolBackward ${describeGeometry(g)}`);
          }
      });
    }
  }

  test("tiled max pooling: ties go to the first tap; an argmax outside its own window still scatters", () => {
    for (const [isa, dtype] of addon
      .supportedIsas()
      .flatMap((i) => [[i, "float32"] as const, [i, "float64"] as const])) {
      addon.setIsa(isa);
      for (const g of POOL.slice(3)) {
        const inSize = g.batch * g.inH * g.inW * g.channels;
        const cells = g.batch * g.outH * g.outW * g.channels;
        // values from {-1, 0, 1}: most windows hold ties
        const x = values(dtype, inSize).map(Math.round) as FloatArray;
        const [out, outWant] = [values(dtype, cells), allocate(dtype, cells) as FloatArray];
        const [arg, argWant] = [new Int32Array(cells), new Int32Array(cells)];
        k.maxPool(x, g, out, arg);
        referenceKernels.maxPool(x, g, outWant, argWant);
        assertSame(arg, argWant, 0, `tied maxPool argmax ${describeGeometry(g)}`);
        // cell 1 of image 0 names an element of cell 0's window (two cells add into one element)
        const moved = argWant.slice();
        moved[g.channels] = argWant[0]!;
        const dy = values(dtype, cells);
        const [dx, dxWant] = [values(dtype, inSize), allocate(dtype, inSize) as FloatArray];
        k.maxPoolBackward(dy, moved, g, dx);
        referenceKernels.maxPoolBackward(dy, moved, g, dxWant);
        assertSame(dx, dxWant, 0, `maxPoolBackward, foreign argmax ${describeGeometry(g)}`);
      }
    }
  });

  test("entry points reject bad geometry, short arrays, mixed dtypes and foreign argmax", () => {
    const g = POOL[1]!;
    const inSize = g.batch * g.inH * g.inW * g.channels;
    const cells = g.batch * g.outH * g.outW * g.channels;
    const meta = (over: Partial<WindowGeometry> = {}) => {
      const v = { ...g, ...over };
      return Float64Array.from([
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
      ]);
    };
    const x = new Float32Array(inSize);
    const out = new Float32Array(cells);
    assert.throws(() => addon.avgPool!(x, out, meta({ strideH: 0 })), /must be >= 1/);
    assert.throws(() => addon.avgPool!(x, out, meta({ padTop: -1 })), RangeError);
    assert.throws(() => addon.avgPool!(x.subarray(1), out, meta()), /avgPool: x has/);
    assert.throws(
      () => addon.avgPool!(x, new Float64Array(cells), meta()),
      /must both be Float32Array or both Float64Array/,
    );
    assert.throws(() => addon.im2col!(x, out, meta()), /im2col: out has/);
    assert.throws(() => addon.maxPool!(x, out, new Int32Array(cells - 1), meta()), /argmax has/);
    const argmax = new Int32Array(cells);
    argmax[0] = inSize / g.batch; // the first element of image 1, named by a cell of image 0
    assert.throws(() => addon.maxPoolBackward!(out, argmax, x, meta()), /argmax \d+ lies outside image 0/);
  });
});
