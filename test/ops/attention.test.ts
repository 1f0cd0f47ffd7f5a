// scaledDotProductAttention (fused, blockwise) and attentionProbabilities (composed): values
// against a naive float64 softmax(Q K^T / sqrt(d)) V with causal, padding and full masks, shapes
// that cross the kernel's tile sizes, fully masked rows, float64 gradient checks, and the heads-last
// (B, T, N, D) layout against the same computation through transposes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { kernelRoutes, kernels, registerBackend } from "../../src/backend/registry.js";
import * as ts from "../../src/index.js";
import { forEachBackend, withBackend } from "../helpers/backends.js";
import { assertClose } from "../helpers/close.js";
import { seeded } from "../helpers/data.js";
import { gradcheck, uniform64 } from "../helpers/gradcheck.js";

interface Naive {
  out: number[];
  probs: number[];
}

/**
 * softmax(q k^T * scale + mask) v by definition, in float64, for (B, N, T, D) data; rows with no
 * visible key give zeros. `visible(b, n, i, j)` is the mask.
 */
function naive(
  q: ts.Tensor,
  k: ts.Tensor,
  v: ts.Tensor,
  visible: (b: number, n: number, i: number, j: number) => boolean,
  scale?: number,
): Naive {
  const [B, N, Tq, D] = q.shape as [number, number, number, number];
  const Tk = k.shape[2]!;
  const Dv = v.shape[3]!;
  const s = scale ?? 1 / Math.sqrt(D);
  const out: number[] = [];
  const probs: number[] = [];
  for (let b = 0; b < B; b++)
    for (let n = 0; n < N; n++)
      for (let i = 0; i < Tq; i++) {
        const scores: number[] = [];
        for (let j = 0; j < Tk; j++) {
          let dot = 0;
          for (let d = 0; d < D; d++)
            dot += q.data[((b * N + n) * Tq + i) * D + d]! * k.data[((b * N + n) * Tk + j) * D + d]!;
          scores.push(visible(b, n, i, j) ? dot * s : Number.NEGATIVE_INFINITY);
        }
        const m = Math.max(...scores);
        const e = scores.map((x) => (m === Number.NEGATIVE_INFINITY ? 0 : Math.exp(x - m)));
        const total = e.reduce((p, x) => p + x, 0);
        const p = e.map((x) => (total === 0 ? 0 : x / total));
        probs.push(...p);
        for (let d = 0; d < Dv; d++) {
          let acc = 0;
          for (let j = 0; j < Tk; j++) acc += p[j]! * v.data[((b * N + n) * Tk + j) * Dv + d]!;
          out.push(acc);
        }
      }
  return { out, probs };
}

const TOL = { atol: 3e-6, rtol: 2e-5 };

forEachBackend("scaledDotProductAttention values", () => {
  test("no mask, causal, and Tq != Tk across several tiles", () => {
    for (const [B, N, Tq, Tk, D, Dv] of [
      [1, 1, 1, 1, 1, 1],
      [2, 3, 5, 7, 4, 3],
      [1, 2, 70, 70, 8, 8],
      [1, 1, 33, 130, 3, 5],
    ] as const) {
      const q = seeded([B, N, Tq, D], -1, 1, 1);
      const k = seeded([B, N, Tk, D], -1, 1, 2);
      const v = seeded([B, N, Tk, Dv], -1, 1, 3);
      const plain = naive(q, k, v, () => true);
      assertClose(ts.scaledDotProductAttention(q, k, v), ts.tensor(plain.out).reshape([B, N, Tq, Dv]), {
        tol: TOL,
      });
      const causal = naive(q, k, v, (_b, _n, i, j) => j <= i);
      assertClose(
        ts.scaledDotProductAttention(q, k, v, { causal: true }),
        ts.tensor(causal.out).reshape([B, N, Tq, Dv]),
        { tol: TOL },
      );
      assertClose(
        ts.attentionProbabilities(q, k, { causal: true }),
        ts.tensor(causal.probs).reshape([B, N, Tq, Tk]),
        { tol: TOL },
      );
    }
  });

  test("padding masks, full masks combined with causal, custom scale, rank-3 inputs", () => {
    const [B, N, T, D] = [3, 2, 9, 4];
    const q = seeded([B, N, T, D], -2, 2, 4);
    const k = seeded([B, N, T, D], -2, 2, 5);
    const v = seeded([B, N, T, D], -2, 2, 6);
    const lengths = [9, 4, 1];
    const padding = ts.tensor(
      lengths.map((len) => Array.from({ length: T }, (_, j) => j < len)),
      { dtype: "bool" },
    );
    const pad4 = padding.reshape([B, 1, 1, T]);
    const expectPad = naive(q, k, v, (b, _n, _i, j) => j < lengths[b]!);
    assertClose(
      ts.scaledDotProductAttention(q, k, v, { mask: pad4 }),
      ts.tensor(expectPad.out).reshape([B, N, T, D]),
      {
        tol: TOL,
      },
    );
    assertClose(
      ts.attentionProbabilities(q, k, { mask: pad4 }),
      ts.tensor(expectPad.probs).reshape([B, N, T, T]),
      {
        tol: TOL,
      },
    );
    const full = seeded([B, N, T, T], 0, 1, 7, "bool");
    const expectFull = naive(
      q,
      k,
      v,
      (b, n, i, j) => full.data[((b * N + n) * T + i) * T + j] === 1 && j <= i,
      0.3,
    );
    assertClose(
      ts.scaledDotProductAttention(q, k, v, { mask: full, causal: true, scale: 0.3 }),
      ts.tensor(expectFull.out).reshape([B, N, T, D]),
      { tol: TOL },
    );
    // a numeric 0/1 mask means the same as a bool one
    assertClose(
      ts.scaledDotProductAttention(q, k, v, { mask: ts.cast(pad4, "float32") }),
      ts.tensor(expectPad.out).reshape([B, N, T, D]),
      { tol: TOL },
    );
    const q3 = seeded([2, 6, 4], -1, 1, 8);
    const k3 = seeded([2, 5, 4], -1, 1, 9);
    const v3 = seeded([2, 5, 3], -1, 1, 10);
    const expect3 = naive(
      q3.reshape([2, 1, 6, 4]),
      k3.reshape([2, 1, 5, 4]),
      v3.reshape([2, 1, 5, 3]),
      () => true,
    );
    assertClose(ts.scaledDotProductAttention(q3, k3, v3), ts.tensor(expect3.out).reshape([2, 6, 3]), {
      tol: TOL,
    });
  });

  test("a query that sees no key gives zeros (fused and composed)", () => {
    const q = seeded([1, 1, 3, 2], -1, 1, 11);
    const k = seeded([1, 1, 3, 2], -1, 1, 12);
    const v = seeded([1, 1, 3, 2], -1, 1, 13);
    const mask = ts.tensor([
      [
        [
          [true, true, false],
          [false, false, false],
          [false, true, true],
        ],
      ],
    ]);
    const y = ts.scaledDotProductAttention(q, k, v, { mask });
    assert.deepEqual(Array.from(y.data.subarray(2, 4)), [0, 0]);
    const p = ts.attentionProbabilities(q, k, { mask });
    assert.deepEqual(Array.from(p.data.subarray(3, 6)), [0, 0, 0]);
    const expected = naive(q, k, v, (_b, _n, i, j) => mask.data[i * 3 + j] === 1);
    assertClose(y, ts.tensor(expected.out).reshape([1, 1, 3, 2]), { tol: TOL });
  });
});

test("attention gradients match central differences (float64), across tiles and with masks", () => {
  const [B, N, T, D] = [1, 2, 37, 3];
  const mask = seeded([B, 1, T, T], 0, 1, 14, "bool");
  gradcheck(
    (q, k, v) => ts.scaledDotProductAttention(q!, k!, v!, { causal: true, mask }),
    [uniform64([B, N, T, D], -1, 1, 1), uniform64([B, N, T, D], -1, 1, 2), uniform64([B, N, T, D], -1, 1, 3)],
  );
  gradcheck(
    (q, k, v) => ts.scaledDotProductAttention(q!, k!, v!),
    [
      uniform64([2, 1, 4, 3], -1, 1, 4),
      uniform64([2, 1, 70, 3], -1, 1, 5),
      uniform64([2, 1, 70, 2], -1, 1, 6),
    ],
  );
  gradcheck(
    (q, k) =>
      ts.attentionProbabilities(q!, k!, {
        causal: true,
        mask: mask.reshape([1, 1, T, T]).slice([null, null, [0, 5], [0, 6]]),
      }),
    [uniform64([1, 2, 5, 3], -1, 1, 7), uniform64([1, 2, 6, 3], -1, 1, 8)],
  );
});

test("attention rejects operands that do not fit", () => {
  const q = ts.zeros([1, 2, 3, 4]);
  assert.throws(
    () => ts.scaledDotProductAttention(q, ts.zeros([1, 2, 3, 5]), ts.zeros([1, 2, 3, 4])),
    /do not fit/,
  );
  assert.throws(() => ts.scaledDotProductAttention(q, q, ts.zeros([1, 2, 4, 4])), /do not fit/);
  assert.throws(
    () => ts.scaledDotProductAttention(q, q, q, { mask: ts.ones([2, 1, 3, 3], { dtype: "bool" }) }),
    /does not broadcast to \(B, N, Tq, Tk\)/,
  );
  assert.throws(() => ts.scaledDotProductAttention(ts.zeros([3, 4]), q, q), /expected q, k, v of rank 4/);
});

forEachBackend("scaledDotProductAttention heads-last layout", () => {
  test("BTND operands give the BNTD result transposed, values and gradients", () => {
    const swap = [0, 2, 1, 3];
    for (const [B, N, Tq, Tk, D, Dv, causal] of [
      [2, 3, 5, 7, 4, 3, false],
      [1, 2, 70, 70, 8, 8, true],
      [2, 2, 9, 66, 3, 5, false],
    ] as const) {
      // heads-last operands and their (B, N, T, D) transposes
      const q = seeded([B, Tq, N, D], -1, 1, 21);
      const k = seeded([B, Tk, N, D], -1, 1, 22);
      const v = seeded([B, Tk, N, Dv], -1, 1, 23);
      const w = seeded([B, Tq, N, Dv], -1, 1, 24); // weights of the loss sum(y * w)
      const mask = seeded([B, 1, 1, Tk], 0, 1, 25, "bool");
      const [q4, k4, v4] = [q, k, v].map((x) => ts.transpose(x, swap)) as [ts.Tensor, ts.Tensor, ts.Tensor];
      const expect = naive(q4, k4, v4, (b, _n, i, j) => mask.data[b * Tk + j] === 1 && (!causal || j <= i));
      const y = ts.scaledDotProductAttention(q, k, v, { mask, causal, layout: "BTND" });
      assert.deepEqual(y.shape, [B, Tq, N, Dv]);
      assertClose(y, ts.transpose(ts.tensor(expect.out).reshape([B, N, Tq, Dv]), swap), { tol: TOL });
      const loss = (fused: (a: ts.Tensor, b: ts.Tensor, c: ts.Tensor) => ts.Tensor) =>
        ts.grad((a: ts.Tensor, b: ts.Tensor, c: ts.Tensor) => ts.sum(ts.mul(fused(a, b, c), w)));
      const got = loss((a, b, c) => ts.scaledDotProductAttention(a, b, c, { mask, causal, layout: "BTND" }))(
        q,
        k,
        v,
      );
      const want = loss((a, b, c) =>
        ts.transpose(
          ts.scaledDotProductAttention(ts.transpose(a, swap), ts.transpose(b, swap), ts.transpose(c, swap), {
            mask,
            causal,
          }),
          swap,
        ),
      )(q, k, v);
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(got[i]!.shape, [q, k, v][i]!.shape);
        assertClose(got[i]!, want[i]!, { tol: TOL });
      }
      // the probabilities take the same layout option
      assertClose(
        ts.attentionProbabilities(q, k, { mask, causal, layout: "BTND" }),
        ts.tensor(expect.probs).reshape([B, N, Tq, Tk]),
        { tol: TOL },
      );
    }
  });
});

test("heads-last gradients match central differences (float64)", () => {
  const [B, T, N, D] = [2, 37, 2, 3];
  const mask = seeded([B, 1, T, T], 0, 1, 26, "bool");
  gradcheck(
    (q, k, v) => ts.scaledDotProductAttention(q!, k!, v!, { causal: true, mask, layout: "BTND" }),
    [
      uniform64([B, T, N, D], -1, 1, 27),
      uniform64([B, T, N, D], -1, 1, 28),
      uniform64([B, T, N, 2], -1, 1, 29),
    ],
  );
});

test("a backend without a fused kernel runs heads-last attention through the tiled path", () => {
  // a stand-in backend whose only kernel of its own is a matmul (the active one, counted): the
  // registry routes its attention to the GEMM-tiled form, so the test fails if that is not taken
  let gemms = 0;
  const fast = kernels().matmul;
  registerBackend(
    "wasm",
    {
      matmul: (...args) => {
        gemms++;
        fast(...args);
      },
    },
    -1,
  );
  withBackend("wasm", () => {
    assert.equal(kernelRoutes().attention, "tiled");
    const q = seeded([2, 9, 3, 4], -1, 1, 30);
    const k = seeded([2, 11, 3, 4], -1, 1, 31);
    const v = seeded([2, 11, 3, 5], -1, 1, 32);
    const swap = [0, 2, 1, 3];
    const y = ts.scaledDotProductAttention(q, k, v, { causal: true, layout: "BTND" });
    const expect = naive(
      ts.transpose(q, swap),
      ts.transpose(k, swap),
      ts.transpose(v, swap),
      (_b, _n, i, j) => j <= i,
    );
    assertClose(y, ts.transpose(ts.tensor(expect.out).reshape([2, 3, 9, 5]), swap), { tol: TOL });
    assert.ok(gemms > 0, "the tiled path multiplies through the backend's matmul");
  });
  assert.equal(
    kernelRoutes().attention,
    "fused",
    "the backend active again has its own kernel (or is the reference)",
  );
});

test("heads-last layout checks", () => {
  const q = ts.zeros([1, 3, 2, 4]);
  assert.throws(
    () => ts.scaledDotProductAttention(q, ts.zeros([1, 3, 3, 4]), q, { layout: "BTND" }),
    /q \(B, Tq, N, Dk\), k \(B, Tk, N, Dk\) and v \(B, Tk, N, Dv\) do not fit/,
  );
  assert.throws(
    () =>
      ts.scaledDotProductAttention(ts.zeros([1, 3, 4]), ts.zeros([1, 3, 4]), ts.zeros([1, 3, 4]), {
        layout: "BTND",
      }),
    /rank 4 \(B, T, N, D\) for layout BTND/,
  );
  assert.throws(
    () => ts.scaledDotProductAttention(q, q, q, { layout: "BHTD" as "BTND" }),
    /layout must be "BNTD" or "BTND"/,
  );
});
