import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { seeded } from "../../../test/helpers/data.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { getMask, input, layers, model, setMask, type Tensor, tensor } from "../../index.js";

/**
 * Keras MHA by definition in float64 loops: per head h, q = query Wq[:, h] + bq[h] (likewise k, v),
 * p = softmax(q k^T / sqrt(K)) over visible keys, o = sum_h p v Wo[h] + bo. Rows with no visible
 * key contribute zero (Tessera's rule).
 */
function naiveMha(
  query: Tensor,
  value: Tensor,
  w: Tensor[],
  N: number,
  K: number,
  V: number,
  visible: (b: number, i: number, j: number) => boolean,
): { out: number[]; probs: number[] } {
  const [wq, bq, wk, bk, wv, bv, wo, bo] = w as [
    Tensor,
    Tensor,
    Tensor,
    Tensor,
    Tensor,
    Tensor,
    Tensor,
    Tensor,
  ];
  const [B, Tq, Dq] = query.shape as [number, number, number];
  const [, Tk, Dv] = value.shape as [number, number, number];
  const Dout = bo.size;
  const proj = (
    x: Tensor,
    D: number,
    b: number,
    t: number,
    kernel: Tensor,
    bias: Tensor,
    h: number,
    depth: number,
  ) =>
    Array.from({ length: depth }, (_, d) => {
      let acc = bias.data[h * depth + d]!;
      for (let f = 0; f < D; f++)
        acc += x.data[(b * x.shape[1]! + t) * D + f]! * kernel.data[(f * N + h) * depth + d]!;
      return acc;
    });
  const out = new Array<number>(B * Tq * Dout).fill(0);
  const probs: number[] = [];
  for (let b = 0; b < B; b++)
    for (let h = 0; h < N; h++)
      for (let i = 0; i < Tq; i++) {
        const q = proj(query, Dq, b, i, wq, bq, h, K);
        const scores = Array.from({ length: Tk }, (_, j) => {
          if (!visible(b, i, j)) return Number.NEGATIVE_INFINITY;
          const k = proj(value, Dv, b, j, wk, bk, h, K);
          return q.reduce((s, qd, d) => s + qd * k[d]!, 0) / Math.sqrt(K);
        });
        const m = Math.max(...scores);
        const e = scores.map((s) => (m === Number.NEGATIVE_INFINITY ? 0 : Math.exp(s - m)));
        const total = e.reduce((a, x) => a + x, 0);
        const p = e.map((x) => (total === 0 ? 0 : x / total));
        probs.push(...p);
        const ctx = new Array<number>(V).fill(0);
        p.forEach((pj, j) => {
          proj(value, Dv, b, j, wv, bv, h, V).forEach((vd, d) => {
            ctx[d]! += pj * vd;
          });
        });
        for (let o = 0; o < Dout; o++) {
          let acc = 0;
          for (let d = 0; d < V; d++) acc += ctx[d]! * wo.data[(h * V + d) * Dout + o]!;
          out[(b * Tq + i) * Dout + o]! += acc;
        }
      }
  for (let r = 0; r < B * Tq; r++) for (let o = 0; o < Dout; o++) out[r * Dout + o]! += bo.data[o]!;
  return { out, probs };
}

const TOL = { atol: 5e-6, rtol: 5e-5 };

describe("MultiHeadAttention", () => {
  it("passes the layer harness (self-attention, causal cross-attention with its own sizes)", () => {
    runLayerTest((dtype) => layers.multiHeadAttention({ numHeads: 2, keyDim: 3, dtype }), {
      inputShape: [2, 5, 8],
      expectedOutputShape: [2, 5, 8],
      expectedParams: 218,
    });
    runLayerTest(
      (dtype) =>
        layers.multiHeadAttention({
          numHeads: 2,
          keyDim: 2,
          valueDim: 3,
          outputShape: 4,
          useCausalMask: true,
          dtype,
        }),
      {
        inputShape: [
          [2, 4, 6],
          [2, 5, 3],
        ],
        expectedOutputShape: [2, 4, 4],
        expectedParams: 96,
      },
    );
  });

  it("matches softmax(q k^T / sqrt(K)) v per head with causal, padding and explicit masks", () => {
    const [B, Tq, Tk, Dq, Dv, N, K, V] = [2, 4, 5, 3, 2, 2, 3, 2];
    const query = seeded([B, Tq, Dq], -1, 1, 1);
    const value = seeded([B, Tk, Dv], -1, 1, 2);
    const mha = layers.multiHeadAttention({ numHeads: N, keyDim: K, valueDim: V, useCausalMask: true });
    mha.apply([query, value]);
    const weights = mha.getWeights().map((w, i) => seeded(w.shape, -0.7, 0.7, 10 + i));
    mha.setWeights(weights);
    const causal = naiveMha(query, value, weights, N, K, V, (_b, i, j) => j <= i);
    assertClose(mha.apply([query, value]), tensor(causal.out).reshape([B, Tq, Dq]), { tol: TOL });

    // padding on the value (its mask), an explicit (B, Tq, Tk) mask, and padded queries
    const lengths = [5, 2];
    const valueMask = tensor(lengths.map((n) => Array.from({ length: Tk }, (_, j) => j < n)));
    const explicit = seeded([B, Tq, Tk], 0, 1, 3, "bool");
    const queryMask = tensor([
      [true, true, true, true],
      [true, true, false, false],
    ]);
    const paddedValue = value.mul(1);
    setMask(paddedValue, valueMask);
    const paddedQuery = query.mul(1);
    setMask(paddedQuery, queryMask);
    const y = mha.apply([paddedQuery, paddedValue, paddedValue, explicit]);
    const expected = naiveMha(
      query,
      value,
      weights,
      N,
      K,
      V,
      (b, i, j) => j <= i && j < lengths[b]! && explicit.data[(b * Tq + i) * Tk + j] === 1,
    );
    // padded query rows: zero attention, so only the output bias remains
    for (let i = 2; i < 4; i++)
      for (let o = 0; o < Dq; o++) expected.out[(Tq + i) * Dq + o] = weights[7]!.data[o]!;
    assertClose(y, tensor(expected.out).reshape([B, Tq, Dq]), { tol: TOL });
    assert.equal(getMask(y), queryMask);
  });

  it("returns the attention probabilities on request; the fused and composed paths agree", () => {
    const x = seeded([2, 6, 4], -1, 1, 4);
    const plain = layers.multiHeadAttention({ numHeads: 2, keyDim: 2, useCausalMask: true });
    const withScores = layers.multiHeadAttention({
      numHeads: 2,
      keyDim: 2,
      useCausalMask: true,
      returnAttentionScores: true,
    });
    plain.apply(x);
    withScores.applyMulti(x);
    withScores.setWeights(plain.getWeights());
    const [y, scores] = withScores.applyMulti(x) as [Tensor, Tensor];
    assertClose(y, plain.apply(x), { tol: TOL });
    assert.deepEqual([...scores.shape], [2, 2, 6, 6]);
    const expected = naiveMha(x, x, plain.getWeights(), 2, 2, 2, (_b, i, j) => j <= i);
    assertClose(scores, tensor(expected.probs).reshape([2, 2, 6, 6]), { tol: TOL });
  });

  it("drops attention probabilities in training only, and works in a functional model", () => {
    const x = seeded([1, 5, 4], -1, 1, 5);
    const mha = layers.multiHeadAttention({ numHeads: 1, keyDim: 4, dropout: 0.5, seed: 3 });
    const inference = mha.apply(x);
    assertClose(mha.apply(x, { training: false }), inference);
    const trained = mha.apply(x, { training: true });
    assert.ok(Array.from(trained.data).some((v, i) => Math.abs(v - inference.data[i]!) > 1e-4));

    const q = input({ shape: [3, 4] });
    const v = input({ shape: [7, 2] });
    const out = layers.multiHeadAttention({ numHeads: 2, keyDim: 4 }).apply([q, v]);
    const m = model({ inputs: [q, v], outputs: out });
    assert.deepEqual(m.outputShapes, [[null, 3, 4]]);
    assert.throws(
      () => layers.multiHeadAttention({ numHeads: 0, keyDim: 2 }),
      /numHeads must be a positive integer/,
    );
  });
});
