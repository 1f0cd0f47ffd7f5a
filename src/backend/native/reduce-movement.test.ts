// Parity of the native reductions, cumsum, softmax / log-softmax, strided copies, gather,
// scatter-add and casts with the reference kernels, on every ISA path: odd [outer, size, inner]
// views (inner 1 and past the 256-column blocks), rows long enough to be split into chunks,
// NaN and infinities, int32 wrap-around, negative and zero strides, repeated indices.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { restoreNativeSettingsAfter } from "../../../test/helpers/native-settings.js";
import { allocate, type DType, type TypedArray } from "../../core/dtype.js";
import { Generator } from "../../core/random.js";
import { type Kernels, REDUCE_OPS, type ReduceOp } from "../kernels.js";
import { referenceKernels } from "../reference/index.js";
import { nativeAddon } from "./loader.js";
import { nativeKernels } from "./table.js";

const addon = nativeAddon();
const rng = new Generator(5);
const DTYPES: DType[] = ["float32", "float64", "int32", "bool"];

function values(dtype: DType, length: number, specials = true): TypedArray {
  const out = allocate(dtype, length);
  for (let i = 0; i < length; i++) {
    if (dtype === "bool") out[i] = rng.random() < 0.7 ? 1 : 0;
    else if (dtype === "int32") out[i] = rng.random() < 0.02 ? 2147483647 - rng.int(0, 3) : rng.int(-9, 10);
    else if (specials && rng.random() < 0.01)
      out[i] = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0][rng.int(0, 4)]!;
    else out[i] = rng.uniform(-3, 3);
  }
  return out;
}

/** Equal, or (when tol > 0) within tol relative; NaN matches NaN. */
function assertSame(got: TypedArray, want: TypedArray, tol: number, label: string): void {
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

/** The reference's output dtype conventions for each reduction. */
function reduceOut(op: ReduceOp, dtype: DType): DType {
  if (op === "argmax" || op === "argmin") return "int32";
  if (op === "any" || op === "all") return "bool";
  if (dtype === "bool") return "int32";
  return dtype;
}

function forEachPath(body: (k: () => Kernels) => void): void {
  if (!addon) return;
  restoreNativeSettingsAfter(addon);
  for (const isa of addon.supportedIsas()) {
    describe(isa, () => {
      test("forces the path", () => {
        addon.setIsa(isa);
        addon.setNumThreads(2);
        assert.equal(addon.getIsa(), isa);
      });
      body(() => ({ ...referenceKernels, ...nativeKernels(addon) }) as Kernels);
    });
  }
}

const VIEWS: [number, number, number][] = [
  [1, 1, 1],
  [7, 33, 1],
  [1, 1023, 1],
  [33, 7, 5],
  [3, 17, 300],
  [0, 5, 3],
  [4, 0, 3],
  [2, 40000, 1],
];

describe("native reductions and data movement match the reference", () => {
  forEachPath((native) => {
    test("every reduction, every dtype, odd views", () => {
      const k = native();
      for (const op of REDUCE_OPS) {
        for (const dtype of DTYPES) {
          for (const [outer, size, inner] of VIEWS) {
            const x = values(dtype, outer * size * inner);
            const outType = reduceOut(op, dtype);
            const got = allocate(outType, outer * inner);
            const want = allocate(outType, outer * inner);
            k.reduce[op](x, outer, size, inner, got);
            referenceKernels.reduce[op](x, outer, size, inner, want);
            // sums are reassociated (8 lanes, chunks): float32 results differ by a rounding
            const tol =
              op === "sum" && dtype === "float64" ? 1e-12 : op === "sum" && dtype === "float32" ? 1e-6 : 0;
            assertSame(got, want, tol, `${op} ${dtype} [${outer}, ${size}, ${inner}]`);
          }
        }
      }
    });

    test("one long row is reduced in chunks, on 1 or 2 threads alike", () => {
      const k = native();
      const x = values("float32", 300001, false);
      x[123456] = 7; // a unique maximum far from the start
      for (const threads of [1, 2]) {
        addon!.setNumThreads(threads);
        for (const op of REDUCE_OPS) {
          const outType = reduceOut(op, "float32");
          const got = allocate(outType, 1);
          const want = allocate(outType, 1);
          k.reduce[op](x, 1, x.length, 1, got);
          referenceKernels.reduce[op](x, 1, x.length, 1, want);
          assertSame(got, want, op === "sum" ? 1e-6 : 0, `${op} over 300001, ${threads} threads`);
        }
        x[250000] = Number.NaN; // NaN wins max / argmax wherever it is
        for (const op of ["max", "argmax", "argmin"] as ReduceOp[]) {
          const got = allocate(reduceOut(op, "float32"), 1);
          const want = allocate(reduceOut(op, "float32"), 1);
          k.reduce[op](x, 1, x.length, 1, got);
          referenceKernels.reduce[op](x, 1, x.length, 1, want);
          assertSame(got, want, 0, `${op} with a NaN, ${threads} threads`);
        }
        x[250000] = 0;
      }
      addon!.setNumThreads(2);
    });

    test("int32 products wrap like Math.imul, in rows and columns", () => {
      const k = native();
      const x = Int32Array.from([123456789, 987654321, 3, -5, 46341, 46341, 2147483647, 2]);
      for (const [outer, size, inner] of [
        [1, 8, 1],
        [2, 4, 1],
        [1, 4, 2],
      ] as const) {
        const got = new Int32Array(outer * inner);
        const want = new Int32Array(outer * inner);
        k.reduce.prod(x, outer, size, inner, got);
        referenceKernels.reduce.prod(x, outer, size, inner, want);
        assert.deepEqual([...got], [...want], `prod [${outer}, ${size}, ${inner}]`);
      }
    });

    test("cumsum forward and reverse", () => {
      const k = native();
      for (const dtype of DTYPES) {
        for (const [outer, size, inner] of VIEWS.slice(0, 7)) {
          const x = values(dtype, outer * size * inner);
          const outType = dtype === "bool" ? "int32" : dtype;
          for (const reverse of [false, true]) {
            const got = allocate(outType, x.length);
            const want = allocate(outType, x.length);
            k.cumsum(x, outer, size, inner, reverse, got);
            referenceKernels.cumsum(x, outer, size, inner, reverse, want);
            assertSame(got, want, 0, `cumsum ${dtype} [${outer}, ${size}, ${inner}] reverse=${reverse}`);
          }
        }
      }
    });

    test("softmax and logSoftmax: rows and strided columns, -inf rows, NaN, large values", () => {
      const k = native();
      for (const dtype of ["float32", "float64"] as const) {
        for (const [outer, size, inner] of [...VIEWS.slice(0, 7), [5, 3000, 1] as [number, number, number]]) {
          const x = values(dtype, outer * size * inner) as Float32Array | Float64Array;
          if (outer > 1 && inner === 1 && size > 2) {
            x.fill(Number.NEGATIVE_INFINITY, 0, size); // an all -inf row
            x[size + 1] = 1e30; // a huge value in the next row
          }
          for (const log of [false, true]) {
            const got = allocate(dtype, x.length);
            const want = allocate(dtype, x.length);
            (log ? k.logSoftmax : k.softmax)(x, outer, size, inner, got);
            (log ? referenceKernels.logSoftmax : referenceKernels.softmax)(x, outer, size, inner, want);
            const tol = dtype === "float32" ? 2e-6 : 1e-13;
            assertSame(
              got,
              want,
              tol,
              `${log ? "logSoftmax" : "softmax"} ${dtype} [${outer}, ${size}, ${inner}]`,
            );
          }
        }
      }
    });

    test("strided copies: transpose, flip (negative strides), broadcast (stride 0), offsets", () => {
      const k = native();
      for (const dtype of DTYPES) {
        const src = values(dtype, 6 * 35);
        const cases = [
          { shape: [7, 5], src: { offset: 0, strides: [1, 7] }, dst: { offset: 0, strides: [5, 1] } },
          { shape: [7, 5], src: { offset: 34, strides: [-5, -1] }, dst: { offset: 0, strides: [5, 1] } },
          {
            shape: [4, 7, 5],
            src: { offset: 3, strides: [0, 5, 1] },
            dst: { offset: 0, strides: [35, 5, 1] },
          },
          { shape: [3, 5], src: { offset: 40, strides: [5, 1] }, dst: { offset: 2, strides: [7, 1] } },
          { shape: [0, 5], src: { offset: 0, strides: [5, 1] }, dst: { offset: 0, strides: [5, 1] } },
          { shape: [], src: { offset: 9, strides: [] }, dst: { offset: 4, strides: [] } },
          { shape: [200, 201], src: { offset: 0, strides: [0, 1] }, dst: { offset: 0, strides: [1, 200] } },
        ];
        for (const c of cases) {
          const n = 200 * 201 + 64;
          const source = c.shape[0] === 200 ? values(dtype, 201) : src;
          const got = allocate(dtype, n);
          const want = allocate(dtype, n);
          k.stridedCopy(source, c.src, got, c.dst, c.shape);
          referenceKernels.stridedCopy(source, c.src, want, c.dst, c.shape);
          assertSame(got, want, 0, `stridedCopy ${dtype} ${JSON.stringify(c)}`);
        }
      }
    });

    test("gather and scatterAdd with repeated indices", () => {
      const k = native();
      for (const dtype of ["float32", "float64", "int32"] as DType[]) {
        for (const [outer, size, inner] of [
          [1, 10, 1],
          [3, 7, 5],
          [2, 5, 300],
          [1, 50000, 2],
        ] as const) {
          const indices = Int32Array.from({ length: 9 }, () => rng.int(0, size));
          indices[1] = indices[0]!; // a repeat: scatterAdd must add both
          const x = values(dtype, outer * size * inner, false);
          const gathered = allocate(dtype, outer * indices.length * inner);
          const wantGathered = allocate(dtype, gathered.length);
          k.gather(x, outer, size, inner, indices, gathered);
          referenceKernels.gather(x, outer, size, inner, indices, wantGathered);
          assertSame(gathered, wantGathered, 0, `gather ${dtype}`);
          const got = values(dtype, outer * size * inner, false);
          const want = got.slice() as TypedArray;
          k.scatterAdd(gathered, outer, size, inner, indices, got);
          referenceKernels.scatterAdd(gathered, outer, size, inner, indices, want);
          assertSame(got, want, 0, `scatterAdd ${dtype} [${outer}, ${size}, ${inner}]`);
        }
      }
    });

    test("casts between every pair of dtypes, special values included", () => {
      const k = native();
      for (const from of DTYPES) {
        const x = values(from, 1023);
        if (from === "float32" || from === "float64") x.set([Number.NaN, 3e9, -3e9, 2.5, -2.5, 1e20, -0], 0);
        for (const to of DTYPES) {
          const got = allocate(to, x.length);
          const want = allocate(to, x.length);
          k.cast(x, got);
          referenceKernels.cast(x, want);
          assertSame(got, want, 0, `cast ${from} -> ${to}`);
        }
      }
    });
  });
});
