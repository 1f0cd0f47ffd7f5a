// Parity of the native GEMM with the reference kernel on every ISA path this CPU supports and
// with 1 and 2 threads: odd and zero sizes, every transpose pair, batch strides of 0, fused
// epilogues, large values and NaN / infinity propagation. Float32 results may differ from the
// reference (float64 accumulation) by the rounding of k products: the bound scales with
// sum |a| |b|, so an element computed from wrong inputs would still fail. Then: results on 1 and
// 2 threads are equal bit for bit (each element's k order does not depend on the split).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { restoreNativeSettingsAfter } from "../../../test/helpers/native-settings.js";
import type { FloatArray } from "../../core/dtype.js";
import { Generator } from "../../core/random.js";
import type { EpilogueActivation, MatmulParams } from "../kernels.js";
import { referenceKernels } from "../reference/index.js";
import type { NativeIsa } from "./addon.js";
import { nativeAddon, nativeLoadError } from "./loader.js";
import { nativeKernels } from "./table.js";

const addon = nativeAddon();
const rng = new Generator(3);

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

function random(Type: Ctor, length: number, scale = 1): FloatArray {
  const out = new Type(length);
  for (let i = 0; i < length; i++) out[i] = rng.uniform(-scale, scale);
  return out;
}

function params(m: number, n: number, k: number, extra: Partial<MatmulParams> = {}): MatmulParams {
  return { batch: 1, m, n, k, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0, ...extra };
}

/**
 * Runs native and reference on the same inputs and checks every element against
 * unitError * (k + 2) * sum|a||b| (+|bias|) + 1e-6, the worst-case rounding of a k-term sum.
 */
function check(Type: Ctor, a: FloatArray, b: FloatArray, p: MatmulParams, label: string): void {
  const kernels = nativeKernels(addon!);
  const size = p.batch * p.m * p.n;
  const got = new Type(size).fill(Number.NaN); // must be fully overwritten
  const want = new Type(size);
  kernels.matmul!(a, b, got, p);
  referenceKernels.matmul(a, b, want, p);
  const abs = (x: FloatArray) => x.map(Math.abs) as FloatArray;
  const bound = new Type(size);
  referenceKernels.matmul(abs(a), abs(b), bound, {
    ...p,
    bias: p.bias ? abs(p.bias) : undefined,
    activation: "none",
  });
  const unit = Type === Float32Array ? 1.2e-7 : 2.3e-16;
  for (let i = 0; i < size; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      assert.ok(
        Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)),
        `${label}: element ${i} got ${g}, want ${w}`,
      );
      continue;
    }
    const tol = unit * (p.k + 2) * bound[i]! + 1e-6;
    assert.ok(Math.abs(g - w) <= tol, `${label}: element ${i} got ${g}, want ${w} (tol ${tol})`);
  }
}

function forEachPath(body: (isa: NativeIsa, threads: number) => void): void {
  if (!addon) return;
  restoreNativeSettingsAfter(addon);
  for (const isa of addon.supportedIsas()) {
    for (const threads of [1, 2]) {
      describe(`${isa}, ${threads} thread${threads > 1 ? "s" : ""}`, () => {
        test("runs on the forced path", () => {
          addon.setIsa(isa);
          addon.setNumThreads(threads);
          assert.equal(addon.getIsa(), isa);
          assert.equal(addon.getNumThreads(), threads);
        });
        body(isa, threads);
      });
    }
  }
}

test("the native addon is loaded when the build requires it", () => {
  if (process.env.TESSERA_REQUIRE_NATIVE === "1") assert.ok(addon, nativeLoadError());
  else assert.ok(addon !== undefined || typeof nativeLoadError() === "string");
});

describe("native matmul matches the reference", () => {
  forEachPath((isa, threads) => {
    const sizes = [0, 1, 7, 33];
    for (const Type of [Float32Array, Float64Array]) {
      const name = Type === Float32Array ? "float32" : "float64";
      test(`${name}: every m, n, k in {0, 1, 7, 33} and every transpose pair`, () => {
        addon!.setIsa(isa);
        addon!.setNumThreads(threads);
        for (const m of sizes)
          for (const n of sizes)
            for (const k of sizes) {
              const a = random(Type, m * k);
              const b = random(Type, k * n);
              for (const transA of [false, true])
                for (const transB of [false, true])
                  check(
                    Type,
                    a,
                    b,
                    params(m, n, k, { transA, transB }),
                    `${m}x${n}x${k} tA=${transA} tB=${transB}`,
                  );
            }
      });

      test(`${name}: sizes past the register tiles and cache blocks; B packed or read in place; M or N split`, () => {
        addon!.setIsa(isa);
        addon!.setNumThreads(threads);
        for (const [m, n, k] of [
          [1023, 7, 33],
          [5, 1023, 17],
          [33, 33, 1023],
          [70, 130, 300],
          [3, 700, 300],
          [29, 65, 513],
          [20, 1024, 40],
          [800, 24, 520], // a transposed A packed in several blocks of panels
        ] as const) {
          const a = random(Type, m * k);
          const b = random(Type, k * n);
          for (const transA of [false, true])
            for (const transB of [false, true])
              check(
                Type,
                a,
                b,
                params(m, n, k, { transA, transB }),
                `${m}x${n}x${k} tA=${transA} tB=${transB}`,
              );
        }
      });

      test(`${name}: batches, with a batch stride of 0 on either side`, () => {
        addon!.setIsa(isa);
        addon!.setNumThreads(threads);
        const [m, n, k] = [60, 70, 80];
        for (const batch of [1, 3, 4]) {
          const a = random(Type, batch * m * k);
          const b = random(Type, batch * k * n);
          const oneA = random(Type, m * k);
          const oneB = random(Type, k * n);
          const full = { batch, aBatchStride: m * k, bBatchStride: k * n };
          check(Type, a, b, params(m, n, k, full), `batch ${batch}`);
          check(Type, oneA, b, params(m, n, k, { ...full, aBatchStride: 0 }), `batch ${batch}, A shared`);
          check(
            Type,
            a,
            oneB,
            params(m, n, k, { ...full, bBatchStride: 0, transB: true }),
            `batch ${batch}, B shared`,
          );
        }
      });

      test(`${name}: fused bias and activation epilogues`, () => {
        addon!.setIsa(isa);
        addon!.setNumThreads(threads);
        for (const [m, n, k] of [
          [33, 47, 29],
          [100, 70, 300],
          [1, 1, 0],
          [7, 33, 0],
        ] as const) {
          const a = random(Type, m * k);
          const b = random(Type, k * n);
          const bias = random(Type, n, 2);
          for (const activation of ["none", "relu", "sigmoid", "tanh"] as EpilogueActivation[]) {
            check(Type, a, b, params(m, n, k, { bias, activation }), `${m}x${n}x${k} bias ${activation}`);
            check(Type, a, b, params(m, n, k, { activation }), `${m}x${n}x${k} ${activation}`);
          }
        }
      });

      test(`${name}: large values, NaN and infinities propagate like the reference`, () => {
        addon!.setIsa(isa);
        addon!.setNumThreads(threads);
        const [m, n, k] = [20, 40, 33];
        check(
          Type,
          random(Type, m * k, 1e15),
          random(Type, k * n, 1e15),
          params(m, n, k),
          "values near 1e15",
        );
        const a = random(Type, m * k);
        const b = random(Type, k * n);
        a[3 * k + 5] = Number.NaN; // row 3 of C becomes NaN
        b[2 * n + 7] = Number.POSITIVE_INFINITY; // column 7 becomes +-inf (or NaN in row 3)
        check(Type, a, b, params(m, n, k), "NaN and inf");
        check(Type, a, b, params(m, n, k, { activation: "sigmoid" }), "NaN and inf through sigmoid");
      });
    }
  });
});

describe("native matmul does not depend on the thread count", () => {
  if (!addon) return;
  restoreNativeSettingsAfter(addon);
  for (const isa of addon.supportedIsas()) {
    test(`${isa}: 1 and 2 threads agree bit for bit (rows, columns or batch entries split)`, () => {
      addon.setIsa(isa);
      const kernels = nativeKernels(addon);
      for (const [batch, m, n, k, transA] of [
        [1, 300, 70, 900, false], // rows split
        [1, 40, 300, 700, true], // columns split, transposed A in blocks
        [1, 512, 96, 1100, true], // rows split, transposed A in blocks
        [3, 50, 60, 300, false], // whole matrices per thread
      ] as const) {
        const a = random(Float32Array, batch * m * k) as Float32Array;
        const b = random(Float32Array, batch * k * n) as Float32Array;
        const p = params(m, n, k, { batch, transA, aBatchStride: m * k, bBatchStride: k * n });
        const results = [1, 2].map((threads) => {
          addon.setNumThreads(threads);
          const out = new Float32Array(batch * m * n);
          kernels.matmul!(a, b, out, p);
          return out;
        });
        const [one, two] = results as [Float32Array, Float32Array];
        for (let i = 0; i < one.length; i++)
          if (!Object.is(one[i], two[i]))
            assert.fail(
              `${batch}x${m}x${n}x${k} transA=${transA}: element ${i} is ${one[i]} on 1 thread, ${two[i]} on 2`,
            );
      }
    });
  }
});

describe("native matmul of a narrow C (A read in place) equals the packed path", () => {
  if (!addon) return;
  restoreNativeSettingsAfter(addon);
  for (const isa of addon.supportedIsas()) {
    test(`${isa}: the first columns of a 200-column product, bit for bit, float32 and float64`, () => {
      addon.setIsa(isa);
      addon.setNumThreads(1);
      const kernels = nativeKernels(addon);
      for (const Type of [Float32Array, Float64Array]) {
        const [m, k, wide] = [45, 700, 200]; // k past one cache block; m not a multiple of the tile
        const a = random(Type, m * k);
        const bWide = random(Type, k * wide);
        const bias = random(Type, wide);
        for (const n of [1, 7, 16, 40, 70]) {
          const b = new Type(k * n);
          for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) b[p * n + j] = bWide[p * wide + j]!;
          const narrow = new Type(m * n);
          const full = new Type(m * wide);
          kernels.matmul!(a, b, narrow, params(m, n, k, { bias: bias.subarray(0, n), activation: "relu" }));
          kernels.matmul!(a, bWide, full, params(m, wide, k, { bias, activation: "relu" }));
          for (let i = 0; i < m; i++)
            for (let j = 0; j < n; j++)
              if (!Object.is(narrow[i * n + j], full[i * wide + j]))
                assert.fail(
                  `${Type.name} n ${n}: C[${i}, ${j}] is ${narrow[i * n + j]}, ${full[i * wide + j]} in the wide product`,
                );
        }
      }
    });
  }
});
