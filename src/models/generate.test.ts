// generate(): the KV-cached decoder gives the same tokens as re-running the whole context, and a
// cached step's matmul work does not grow with the context (counted in the kernel table).
import assert from "node:assert/strict";
import { test } from "node:test";
import { noGrad } from "../autograd/mode.js";
import { kernels, setBackend } from "../backend/registry.js";
import { Generator, seed } from "../core/random.js";
import { KVCache, withKVCache } from "../nn/kv-cache.js";
import {
  dense,
  layerNormalization,
  tokenAndPositionEmbedding,
  transformerDecoder,
} from "../nn/layers/index.js";
import { input } from "../nn/layers/input.js";
import { tensor } from "../tensor/creation.js";
import { generate } from "./generate.js";
import { sequential } from "./sequential.js";

// the reference kernels: attention runs as one kernel, so matmul counts only projections and MLPs
setBackend("reference");
const VOCAB = 11;
const CONTEXT = 24;

function tinyGpt(maskZero = false) {
  seed(3);
  return sequential([
    input({ shape: [null], dtype: "int32" }),
    tokenAndPositionEmbedding({ vocabularySize: VOCAB, sequenceLength: CONTEXT, embeddingDim: 16, maskZero }),
    transformerDecoder({ intermediateDim: 32, numHeads: 2, normalizeFirst: true, activation: "gelu" }),
    transformerDecoder({ intermediateDim: 32, numHeads: 2 }),
    layerNormalization({ epsilon: 1e-5 }),
    dense({ units: VOCAB }),
  ]);
}

/** Runs fn counting matmul multiply-adds and attention score entries in the active kernel table. */
function counted<T>(fn: () => T): { result: T; matmulFlops: number; attentionScores: number } {
  const table = kernels();
  const { matmul, attention } = table;
  let matmulFlops = 0;
  let attentionScores = 0;
  table.matmul = (a, b, out, p) => {
    matmulFlops += 2 * p.batch * p.m * p.n * p.k;
    matmul(a, b, out, p);
  };
  table.attention = (q, k, v, out, lse, p) => {
    attentionScores += p.batch * p.heads * p.tq * p.tk;
    attention(q, k, v, out, lse, p);
  };
  try {
    return { result: fn(), matmulFlops, attentionScores };
  } finally {
    table.matmul = matmul;
    table.attention = attention;
  }
}

const prompt = [
  [3, 4, 5, 6, 2],
  [7, 7, 1, 9, 10],
];

test("generate: cached and uncached greedy decoding give the same tokens", () => {
  const model = tinyGpt();
  const options = { maxNewTokens: 12, greedy: true };
  const cached = generate(model, prompt, options);
  const full = generate(model, prompt, { ...options, useCache: false });
  assert.deepEqual(cached.generated, full.generated);
  assert.equal(cached.generated[0]!.length, 12);
  assert.deepEqual(cached.finishReasons, ["length", "length"]);
  // work in positions: 5 prompt + 11 single steps, against 5 + 6 + ... + 16
  assert.equal(cached.positionsRun, 5 + 11);
  assert.equal(full.positionsRun, (5 + 16) * 6);
  assert.deepEqual(cached.sequences[1]!.slice(0, 5), prompt[1]);
});

test("generate: seeded sampling with top-k, top-p and a penalty matches token for token", () => {
  const model = tinyGpt();
  const options = { maxNewTokens: 15, temperature: 1.5, topK: 6, topP: 0.9, repetitionPenalty: 1.2 };
  const cached = generate(model, prompt, { ...options, generator: new Generator(9) });
  const full = generate(model, prompt, { ...options, useCache: false, generator: new Generator(9) });
  assert.deepEqual(cached.generated, full.generated);
  // the draw is random: another seed takes another path somewhere in 30 tokens
  const other = generate(model, prompt, { ...options, generator: new Generator(10) });
  assert.notDeepEqual(other.generated, cached.generated);
});

test("generate: cached logits equal full-context logits, also past maxContext and with padding masks", () => {
  for (const maskZero of [false, true]) {
    const model = tinyGpt(maskZero);
    const ids = [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2]];
    const full = noGrad(() => model.apply(tensor([ids[0]!], { dtype: "int32" })));
    const cache = new KVCache();
    const steps: number[] = [];
    noGrad(() => {
      // a 4-token prefill, a 3-token chunk (shifted causal mask), then single tokens
      for (const [from, to] of [
        [0, 4],
        [4, 7],
        [7, 8],
        [8, 12],
      ] as const) {
        const x = tensor([ids[0]!.slice(from, to)], { dtype: "int32" });
        const y = withKVCache(cache, () => model.apply(x));
        cache.advance(to - from);
        for (let t = 0; t < to - from; t++)
          for (let v = 0; v < VOCAB; v++) {
            const a = y.data[t * VOCAB + v]!;
            const b = full.data[(from + t) * VOCAB + v]!;
            assert.ok(Math.abs(a - b) < 1e-5, `maskZero ${maskZero} position ${from + t}: ${a} vs ${b}`);
          }
        steps.push(to - from);
      }
    });
    assert.equal(cache.position, 12);
    assert.equal(cache.size, 2);
    // a cache holds one batch size; a call with another is refused
    const two = tensor([[1], [2]], { dtype: "int32" });
    assert.throws(
      () => noGrad(() => withKVCache(cache, () => model.apply(two))),
      /the KV cache holds batch 1 but the call has batch 2/,
    );
    assert.throws(() => cache.advance(-1), /expected a non-negative integer/);
  }
});

test("generate: past maxContext, cached and uncached agree when sliding and when halving", () => {
  const model = tinyGpt();
  for (const overflow of ["slide", "halve"] as const) {
    const options = { maxNewTokens: 12, greedy: true, maxContext: 8, overflow };
    const cached = generate(model, prompt, options);
    const full = generate(model, prompt, { ...options, useCache: false });
    assert.deepEqual(cached.generated, full.generated, overflow);
    // slide: 5 + 1 + 1 + 1, then 8 steps of the whole 8-token window;
    // halve: restarts from the last 4 tokens at lengths 9 and 14: 5+1+1+1, 4+1+1+1+1, 4+1+1
    assert.equal(cached.positionsRun, overflow === "slide" ? 8 + 8 * 8 : 22, overflow);
  }
  // the window really moves: halving sees different contexts from sliding at some step
  const slide = generate(model, prompt, {
    maxNewTokens: 12,
    temperature: 1,
    maxContext: 8,
    generator: new Generator(1),
  });
  const halve = generate(model, prompt, {
    maxNewTokens: 12,
    temperature: 1,
    maxContext: 8,
    overflow: "halve",
    generator: new Generator(1),
  });
  assert.deepEqual(halve.generated[0]!.slice(0, 4), slide.generated[0]!.slice(0, 4));
  assert.notDeepEqual(halve.generated, slide.generated);
  assert.throws(
    () => generate(model, prompt, { maxNewTokens: 1, overflow: "drop" as "slide" }),
    /overflow must be/,
  );
});

test("generate: a cached step's matmul work is constant in the context length; uncached grows", () => {
  const model = tinyGpt();
  const row = [3, 4, 5, 6, 2, 8, 9, 10, 3, 4, 5, 6, 2, 8, 9, 10, 3, 4, 5, 6];
  const stepCost = (contextLength: number, useCache: boolean) => {
    const cache = new KVCache();
    const ids = row.slice(0, contextLength);
    return noGrad(() => {
      if (useCache) {
        withKVCache(cache, () => model.apply(tensor([ids], { dtype: "int32" })));
        cache.advance(contextLength);
      }
      const x = useCache ? tensor([[7]], { dtype: "int32" }) : tensor([[...ids, 7]], { dtype: "int32" });
      return counted(() => withKVCache(cache, () => model.apply(x)));
    });
  };
  const short = stepCost(4, true);
  const long = stepCost(16, true);
  assert.ok(short.matmulFlops > 0);
  assert.equal(long.matmulFlops, short.matmulFlops);
  // attention reads every cached key once: 1 query x (T + 1) keys x 2 heads x 2 layers
  assert.equal(short.attentionScores, 1 * 5 * 2 * 2);
  assert.equal(long.attentionScores, 1 * 17 * 2 * 2);
  const shortFull = stepCost(4, false);
  const longFull = stepCost(16, false);
  assert.equal(shortFull.matmulFlops, 5 * short.matmulFlops);
  assert.equal(longFull.matmulFlops, 17 * short.matmulFlops);
});

test("generate: stop tokens, streaming and the callback's early stop", () => {
  const model = tinyGpt();
  const greedy = generate(model, prompt[0]!, { maxNewTokens: 10, greedy: true });
  const stopAt = greedy.generated[0]![3]!;
  const firstStop = greedy.generated[0]!.indexOf(stopAt);
  const streamed: [number, number][] = [];
  const stopped = generate(model, prompt[0]!, {
    maxNewTokens: 10,
    greedy: true,
    stopTokens: [stopAt],
    onToken: (token, row) => {
      streamed.push([token, row]);
    },
  });
  assert.deepEqual(stopped.generated[0], greedy.generated[0]!.slice(0, firstStop));
  assert.deepEqual(stopped.finishReasons, ["stop"]);
  assert.deepEqual(
    streamed.map(([t]) => t),
    stopped.generated[0],
  );
  const early = generate(model, prompt[0]!, {
    maxNewTokens: 10,
    greedy: true,
    onToken: (_t, _r, step) => step < 2,
  });
  assert.equal(early.generated[0]!.length, 3);
  assert.deepEqual(early.finishReasons, ["callback"]);
  assert.throws(() => generate(model, [], { maxNewTokens: 2 }), /at least one token/);
  assert.throws(() => generate(model, [[1, 2], [3]], { maxNewTokens: 2 }), /equal lengths/);
  assert.throws(() => generate(model, [1], { maxNewTokens: 2, topP: 0 }), /topP must be in \(0, 1\]/);
});
