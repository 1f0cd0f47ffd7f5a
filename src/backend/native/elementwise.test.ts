// Parity of the native unary, binary and where kernels with the reference kernels, on every
// ISA path and with 1 and 2 threads: special values (NaN, +-0, +-inf, denormals, values where
// exp overflows), int32 wrap-around, broadcasting, arbitrary strides, zero-size shapes and
// sizes past the threading threshold. Ops that are exact in float must match bit for bit;
// transcendental float32 ops within a few ulp; float64 libm results within 1e-14.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { restoreNativeSettingsAfter } from "../../../test/helpers/native-settings.js";
import { allocate, type DType, type TypedArray } from "../../core/dtype.js";
import { Generator } from "../../core/random.js";
import { BINARY_OPS, type BinaryOp, type Kernels, UNARY_OPS, type UnaryOp } from "../kernels.js";
import { referenceKernels } from "../reference/index.js";
import { nativeAddon } from "./loader.js";
import { nativeKernels } from "./table.js";

const addon = nativeAddon();
const rng = new Generator(11);

const SPECIAL = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1.5,
  2.5,
  -2.5,
  3,
  -3,
  1e-40,
  -1e-40,
  1e-8,
  0.6,
  0.65,
  -0.625,
  9,
  20,
  44,
  88.5,
  89,
  -87,
  -100,
  -104,
  1e10,
  -1e10,
  3.4e38,
];
const INT_SPECIAL = [0, 1, -1, 2, 3, -7, 46341, 65536, 2147483647, -2147483648, 123456789, -987654321];

/** Ops whose float result the native path computes exactly as the reference does. */
const EXACT_UNARY = new Set<UnaryOp>([
  "neg",
  "abs",
  "sqrt",
  "rsqrt",
  "square",
  "reciprocal",
  "relu",
  "sign",
  "floor",
  "ceil",
  "round",
  "isNaN",
  "isFinite",
  "logicalNot",
]);
const EXACT_BINARY = new Set<BinaryOp>(BINARY_OPS.filter((op) => op !== "pow" && op !== "atan2"));
const BOOL_UNARY = new Set<UnaryOp>(["isNaN", "isFinite", "logicalNot"]);
/** Unary ops the ops layer applies to int32 tensors (the rest are float-only or any-dtype). */
const INT_UNARY = new Set<UnaryOp>(["neg", "abs", "square", "sign", "relu", "floor", "ceil", "round"]);
const BOOL_BINARY = new Set<BinaryOp>([
  "equal",
  "notEqual",
  "less",
  "lessEqual",
  "greater",
  "greaterEqual",
  "logicalAnd",
  "logicalOr",
  "logicalXor",
]);

function values(dtype: DType, length: number): TypedArray {
  const out = allocate(dtype, length);
  const special = dtype === "int32" || dtype === "bool" ? INT_SPECIAL : SPECIAL;
  for (let i = 0; i < length; i++) {
    if (dtype === "bool") out[i] = rng.random() < 0.5 ? 1 : 0;
    else if (i < special.length && rng.random() < 0.7) out[i] = special[i]!;
    else if (dtype === "int32") out[i] = rng.int(-50, 50);
    else out[i] = rng.random() < 0.5 ? rng.uniform(-5, 5) : rng.uniform(-100, 100);
  }
  return out;
}

function assertSame(got: TypedArray, want: TypedArray, exact: boolean, label: string): void {
  assert.equal(got.length, want.length, `${label}: length`);
  const f32 = want instanceof Float32Array;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w))) continue;
    const ok =
      !exact &&
      Number.isFinite(w) &&
      Math.abs(g - w) <= (f32 ? 1e-30 : 1e-300) + (f32 ? 5e-7 : 1e-14) * Math.abs(w);
    assert.ok(ok, `${label}: element ${i} got ${g}, want ${w}`);
  }
}

function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1, s = 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
}

/** Broadcast strides of `shape` (right-aligned) against `outShape`. */
function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const own = contiguousStrides(shape);
  return outShape.map((_, d) => {
    const s = d - (outShape.length - shape.length);
    return s < 0 || shape[s] === 1 ? 0 : own[s]!;
  });
}

/** Runs body once per ISA path (2 threads; small inputs stay on one thread anyway). */
function forEachPath(body: () => void): void {
  if (!addon) return;
  restoreNativeSettingsAfter(addon);
  for (const isa of addon.supportedIsas()) {
    describe(isa, () => {
      test("forces the path", () => {
        addon.setIsa(isa);
        addon.setNumThreads(2);
        assert.equal(addon.getIsa(), isa);
      });
      body();
    });
  }
}

describe("native element-wise kernels match the reference", () => {
  forEachPath(() => {
    const native = (): Kernels => ({ ...referenceKernels, ...nativeKernels(addon!) }) as Kernels;

    test("every unary op on the dtypes the ops accept, sizes 0 to 1023", () => {
      const k = native();
      for (const op of UNARY_OPS) {
        for (const dtype of ["float32", "float64", "int32", "bool"] as DType[]) {
          if (dtype === "int32" && !INT_UNARY.has(op) && !BOOL_UNARY.has(op)) continue;
          if (dtype === "bool" && !BOOL_UNARY.has(op)) continue;
          for (const length of [0, 1, 7, 33, 1023]) {
            const x = values(dtype, length);
            const outType: DType = BOOL_UNARY.has(op) ? "bool" : dtype;
            const got = allocate(outType, length);
            const want = allocate(outType, length);
            k.unary[op](x, got);
            referenceKernels.unary[op](x, want);
            const exact = EXACT_UNARY.has(op) || dtype === "int32" || dtype === "bool";
            assertSame(got, want, exact, `${op} ${dtype} [${length}]`);
          }
        }
      }
    });

    test("every binary op with broadcasting, scalars and zero-size shapes", () => {
      const k = native();
      const cases: [number[], number[]][] = [
        [[33], [33]],
        [[7, 33], [33]],
        [
          [7, 1, 5],
          [1, 4, 5],
        ],
        [[1023], []],
        [[], [1023]],
        [
          [4, 1],
          [1, 3],
        ],
        [
          [2, 3, 4],
          [2, 1, 4],
        ],
        [[0, 5], [5]],
        [
          [30, 25],
          [30, 1],
        ],
      ];
      for (const op of BINARY_OPS) {
        for (const dtype of ["float32", "float64", "int32", "bool"] as DType[]) {
          if (dtype === "bool" && !BOOL_BINARY.has(op)) continue;
          for (const [sa, sb] of cases) {
            const outShape = sa.length >= sb.length ? [...sa] : [...sb];
            for (let d = 1; d <= Math.min(sa.length, sb.length); d++)
              outShape[outShape.length - d] = Math.max(sa[sa.length - d]!, sb[sb.length - d]!);
            const size = outShape.reduce((p, x) => p * x, 1);
            const a = values(
              dtype,
              sa.reduce((p, x) => p * x, 1),
            );
            const b = values(
              dtype,
              sb.reduce((p, x) => p * x, 1),
            );
            const outType: DType = BOOL_BINARY.has(op) ? "bool" : dtype;
            const got = allocate(outType, size);
            const want = allocate(outType, size);
            const aStrides = broadcastStrides(sa, outShape);
            const bStrides = broadcastStrides(sb, outShape);
            k.binary[op](a, aStrides, b, bStrides, got, outShape);
            referenceKernels.binary[op](a, aStrides, b, bStrides, want, outShape);
            const exact = EXACT_BINARY.has(op) || dtype === "int32" || dtype === "bool";
            assertSame(got, want, exact, `${op} ${dtype} [${sa}] with [${sb}]`);
          }
        }
      }
    });

    test("inputs large enough to be split over threads (1 and 2 threads agree with the reference)", () => {
      const k = native();
      for (const threads of [1, 2]) {
        addon!.setNumThreads(threads);
        for (const dtype of ["float32", "float64"] as DType[]) {
          const x = values(dtype, 70001);
          for (const op of ["exp", "tanh", "relu", "sin", "isNaN"] as UnaryOp[]) {
            const outType: DType = BOOL_UNARY.has(op) ? "bool" : dtype;
            const got = allocate(outType, x.length);
            const want = allocate(outType, x.length);
            k.unary[op](x, got);
            referenceKernels.unary[op](x, want);
            assertSame(got, want, EXACT_UNARY.has(op), `${op} ${dtype} [70001], ${threads} threads`);
          }
          const shape = [301, 233];
          const a = values(dtype, 301 * 233);
          const b = values(dtype, 233);
          for (const op of ["add", "pow", "greater"] as BinaryOp[]) {
            const outType: DType = BOOL_BINARY.has(op) ? "bool" : dtype;
            const got = allocate(outType, a.length);
            const want = allocate(outType, a.length);
            k.binary[op](a, [233, 1], b, [0, 1], got, shape);
            referenceKernels.binary[op](a, [233, 1], b, [0, 1], want, shape);
            assertSame(got, want, EXACT_BINARY.has(op), `${op} ${dtype} [301, 233], ${threads} threads`);
          }
        }
      }
      addon!.setNumThreads(2);
    });

    test("int32 add, mul and pow wrap like two's complement", () => {
      const k = native();
      const a = Int32Array.from([2147483647, -2147483648, 123456789, 46341, -7, 3]);
      const b = Int32Array.from([1, -1, 987654321, 46341, 11, 31]);
      const wrap = (v: bigint) => Number(BigInt.asIntN(32, v));
      const out = new Int32Array(6);
      k.binary.add(a, [1], b, [1], out, [6]);
      assert.deepEqual(
        [...out],
        [...a].map((x, i) => wrap(BigInt(x) + BigInt(b[i]!))),
      );
      k.binary.mul(a, [1], b, [1], out, [6]);
      assert.deepEqual(
        [...out],
        [...a].map((x, i) => wrap(BigInt(x) * BigInt(b[i]!))),
      );
      k.binary.pow(a, [1], b, [1], out, [6]);
      const want = new Int32Array(6);
      referenceKernels.binary.pow(a, [1], b, [1], want, [6]);
      assert.deepEqual([...out], [...want]);
    });

    test("operands read through arbitrary strides (a transposed and a flipped view)", () => {
      const k = native();
      for (const dtype of ["float32", "float64", "int32"] as DType[]) {
        // a: a 5 x 7 array read as its 7 x 5 transpose; b: 35 values read backwards from the end
        const a = values(dtype, 35);
        const b = values(dtype, 35);
        const shape = [7, 5];
        for (const op of ["add", "mul", "maximum", "less", "atan2"] as BinaryOp[]) {
          const outType: DType = BOOL_BINARY.has(op) ? "bool" : dtype;
          const got = allocate(outType, 35);
          const want = allocate(outType, 35);
          // negative strides need an offset; emulate with a reversed copy instead
          const br = b.slice().reverse() as TypedArray;
          k.binary[op](a, [1, 7], br, [5, 1], got, shape);
          referenceKernels.binary[op](a, [1, 7], br, [5, 1], want, shape);
          assertSame(got, want, op !== "atan2", `${op} ${dtype} strided`);
        }
      }
    });

    test("where broadcasts its condition and both branches", () => {
      const k = native();
      for (const dtype of ["float32", "float64", "int32", "bool"] as DType[]) {
        const outShape = [6, 5, 40];
        const cond = values("bool", 5 * 40) as Uint8Array;
        const a = values(dtype, 6 * 5 * 40);
        const b = values(dtype, 6);
        const cs = broadcastStrides([5, 40], outShape);
        const as = broadcastStrides([6, 5, 40], outShape);
        const bs = broadcastStrides([6, 1, 1], outShape);
        const got = allocate(dtype, 1200);
        const want = allocate(dtype, 1200);
        k.where(cond, cs, a, as, b, bs, got, outShape);
        referenceKernels.where(cond, cs, a, as, b, bs, want, outShape);
        assertSame(got, want, true, `where ${dtype}`);
      }
    });
  });
});
