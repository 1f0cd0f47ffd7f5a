// The GEMM-tiled attention (run by backends with a fast matmul but no fused attention kernel)
// against the reference attention kernels, which specify it: same outputs, log-sum-exps and
// gradients for masks, causal order, several tiles per row and head groups of different sizes.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { AttentionParams } from "../../src/backend/kernels.js";
import { referenceKernels } from "../../src/backend/reference/index.js";
import { tiledAttention, tiledAttentionBackward } from "../../src/ops/attention-tiled.js";
import { seeded } from "../helpers/data.js";

function close(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    const ok = a[i] === b[i] || Math.abs(a[i]! - b[i]!) <= 1e-12 + 1e-10 * Math.abs(b[i]!);
    if (!ok) assert.fail(`${what}[${i}]: tiled ${a[i]}, reference ${b[i]}`);
  }
}

test("tiled attention equals the reference kernels (values, lse, gradients)", () => {
  const cases = [
    { batch: 2, heads: 3, tq: 11, tk: 13, dk: 4, dv: 3, causal: false, mask: false },
    { batch: 1, heads: 4, tq: 17, tk: 17, dk: 3, dv: 5, causal: true, mask: false },
    { batch: 2, heads: 2, tq: 9, tk: 12, dk: 2, dv: 2, causal: true, mask: true },
  ];
  for (const [n, c] of cases.entries()) {
    const N = c.batch * c.heads;
    const q = seeded([N * c.tq * c.dk], -1.5, 1.5, 10 * n + 1, "float64").data as Float64Array;
    const k = seeded([N * c.tk * c.dk], -1.5, 1.5, 10 * n + 2, "float64").data as Float64Array;
    const v = seeded([N * c.tk * c.dv], -1.5, 1.5, 10 * n + 3, "float64").data as Float64Array;
    const dOut = seeded([N * c.tq * c.dv], -1, 1, 10 * n + 4, "float64").data as Float64Array;
    // a (B, 1, Tq, Tk) mask with one fully hidden row
    let mask: Uint8Array | null = null;
    if (c.mask) {
      mask = seeded([c.batch * c.tq * c.tk], 0, 1, 10 * n + 5, "bool").data as Uint8Array;
      mask.fill(0, 2 * c.tk, 3 * c.tk);
    }
    const params: AttentionParams = {
      ...c,
      scale: 0.7,
      mask,
      maskStrides: [c.tq * c.tk, 0, c.tk, 1],
    };
    const refOut = new Float64Array(N * c.tq * c.dv);
    const refLse = new Float64Array(N * c.tq);
    referenceKernels.attention(q, k, v, refOut, refLse, params);
    const grads = () =>
      [new Float64Array(q.length), new Float64Array(k.length), new Float64Array(v.length)] as const;
    const [rdq, rdk, rdv] = grads();
    referenceKernels.attentionBackward(q, k, v, refOut, refLse, dOut, rdq, rdk, rdv, params);
    for (const tiles of [
      {},
      { queryBlock: 4, keyBlock: 5, budget: 40 },
      { queryBlock: 3, keyBlock: 16, budget: 1 },
    ]) {
      const out = new Float64Array(refOut.length);
      const lse = new Float64Array(refLse.length);
      tiledAttention(referenceKernels, q, k, v, out, lse, params, tiles);
      close(out, refOut, `case ${n} out`);
      close(lse, refLse, `case ${n} lse`);
      const [dq, dk, dv] = grads();
      tiledAttentionBackward(referenceKernels, q, k, v, out, lse, dOut, dq, dk, dv, params, tiles);
      close(dq, rdq, `case ${n} dq`);
      close(dk, rdk, `case ${n} dk`);
      close(dv, rdv, `case ${n} dv`);
    }
    if (mask !== null) assert.equal(refLse[2], Number.NEGATIVE_INFINITY);
  }
});
