// The backward walk's buffer recycling (core/buffer-pool + autograd/gradient-recycler): training
// with it gives the same weights bit for bit as without it; a recycled array is never one a caller
// can still reach (forward tensors, the seed, .grad, gradientsOf results, gradients a rule passes
// through to several inputs); and it does recycle, so a step's gradient arrays come back.
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { forEachBackend } from "../../test/helpers/backends.js";
import {
  bufferPoolStats,
  clearBufferPool,
  isBufferPoolingEnabled,
  setBufferPooling,
} from "../core/buffer-pool.js";
import { allocate, allocateUninit, getUninitAllocator, setUninitAllocator } from "../core/dtype.js";
import * as ts from "../index.js";
import { Tensor } from "../tensor/tensor.js";
import { backward, gradientsOf, record } from "./backward.js";
import { retainGradient } from "./gradient-recycler.js";

const initial = isBufferPoolingEnabled();
afterEach(() => setBufferPooling(initial));

/** Big enough to be pooled (>= 4 KB of float32). */
const N = 4096;

function leaf(seed: number, n = N): Tensor {
  const t = ts.tensor(
    Array.from({ length: n }, (_, i) => Math.sin(seed + i * 0.37)),
    { dtype: "float32" },
  );
  t.requiresGrad = true;
  return t;
}

/** Fills every pooled array by allocating it again and scribbling over it. */
function scribbleOverPool(): void {
  const taken: Float32Array[] = [];
  for (let i = 0; i < 64; i++) {
    const a = allocateUninit("float32", N) as Float32Array;
    a.fill(Number.NaN);
    taken.push(a);
  }
  assert.ok(taken.length > 0);
}

function snapshot(t: Tensor | null): number[] {
  assert.ok(t !== null);
  return Array.from(t.data);
}

/** A small pre-norm transformer on token ids: residual adds, reshapes, attention, layer norm. */
function tinyGpt(): ts.Sequential {
  const model = ts.sequential([
    ts.input({ shape: [16], dtype: "int32" }),
    ts.layers.tokenAndPositionEmbedding({ vocabularySize: 23, sequenceLength: 16, embeddingDim: 32 }),
    ts.layers.transformerDecoder({
      intermediateDim: 64,
      numHeads: 2,
      normalizeFirst: true,
      activation: "gelu",
    }),
    ts.layers.layerNormalization({ epsilon: 1e-5 }),
    ts.layers.dense({ units: 23 }),
  ]);
  model.compile({
    optimizer: ts.optimizers.adamw({ learningRate: 1e-2 }),
    loss: ts.losses.sparseCategoricalCrossentropy({ fromLogits: true }),
  });
  return model;
}

async function trainedWeights(pooling: boolean): Promise<Float32Array[]> {
  setBufferPooling(pooling);
  ts.seed(7);
  const model = tinyGpt();
  const x = ts.randint(0, 23, [64, 16], { dtype: "int32" });
  const y = ts.randint(0, 23, [64, 16], { dtype: "int32" });
  await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
  return model.getWeights().map((w) => Float32Array.from(w.data as Float32Array));
}

forEachBackend("gradient buffer recycling, whole training runs", () => {
  test("training gives the same weights bit for bit with and without recycling", async () => {
    const without = await trainedWeights(false);
    const withPool = await trainedWeights(true);
    assert.equal(withPool.length, without.length);
    for (const [i, w] of withPool.entries()) assert.deepEqual(w, without[i], `weight ${i} differs`);
  });
});

describe("gradient buffer recycling", () => {
  test("a backward pass recycles intermediate gradients, and allocate zero-fills a recycled array", () => {
    setBufferPooling(true);
    clearBufferPool();
    const x = leaf(1);
    const loss = ts.sum(ts.mul(ts.tanh(ts.mul(x, 2)), ts.exp(x)));
    loss.backward();
    const before = bufferPoolStats();
    assert.ok(before.arrays > 0, "some intermediate gradient came back to the pool");
    const zeroed = allocate("float32", N);
    assert.equal(bufferPoolStats().arrays, before.arrays - 1, "allocate took a pooled array");
    assert.ok(zeroed.every((v) => v === 0));
  });

  test("forward tensors, the seed and every .grad keep their values after the pool is reused", () => {
    setBufferPooling(true);
    clearBufferPool();
    const a = leaf(2);
    const b = leaf(3);
    const h = ts.mul(a, b); // a forward tensor the caller holds
    const z = ts.add(ts.tanh(h), ts.reshape(ts.sigmoid(h), [N]));
    const seed = ts.tensor(
      Array.from({ length: N }, (_, i) => Math.cos(i)),
      { dtype: "float32" },
    );
    const kept = { h: snapshot(h), z: snapshot(z), seed: snapshot(seed) };
    backward(z, seed);
    const grads = { a: snapshot(a.grad), b: snapshot(b.grad) };
    scribbleOverPool();
    assert.deepEqual(snapshot(h), kept.h);
    assert.deepEqual(snapshot(z), kept.z);
    assert.deepEqual(snapshot(seed), kept.seed);
    assert.deepEqual(snapshot(a.grad), grads.a);
    assert.deepEqual(snapshot(b.grad), grads.b);
  });

  test("a gradient passed through to several inputs is not recycled while one of them still needs it", () => {
    setBufferPooling(true);
    clearBufferPool();
    const x = leaf(4);
    const u = leaf(5);
    // fan out: one op whose rule hands the same dy to three inputs, two of them the same tensor
    const t = ts.mul(x, 3);
    const fan = record("fan", new Tensor(new Float32Array(N), [N]), [t, t, u], (dy) => [dy, dy, dy]);
    const out = ts.sum(ts.mul(ts.exp(fan), 0.5));
    out.backward();
    const expectedU = snapshot(u.grad);
    scribbleOverPool();
    // fan's output is zeros, so dout/dfan = 0.5 exp(0) = 0.5; x gets 2 * 3 * 0.5, u gets 0.5
    assert.ok(snapshot(x.grad).every((v) => v === 3));
    assert.deepEqual(snapshot(u.grad), expectedU);
    assert.ok(expectedU.every((v) => v === 0.5));
  });

  test("a gradient summed in place is never one the node's own dy or returned gradients share", () => {
    setBufferPooling(true);
    clearBufferPool();
    const input = leaf(11);
    const other = leaf(12);
    // pass hands one dy array to both t and input; t's rule then returns [2 dy, dy]: summing into
    // input's pending gradient (that same array) in place would corrupt the dy given to `other`
    const t = record("t", new Tensor(new Float32Array(N), [N]), [input, other], (dy) => [ts.mul(dy, 2), dy]);
    const pass = record("pass", new Tensor(new Float32Array(N), [N]), [t, input], (dy) => [dy, dy]);
    ts.sum(ts.mul(ts.exp(pass), 0.25)).backward(); // dy of pass = 0.25 everywhere
    assert.ok(
      snapshot(input.grad).every((v) => v === 0.75),
      "input: 0.25 + 2 * 0.25",
    );
    assert.ok(
      snapshot(other.grad).every((v) => v === 0.25),
      "other: the untouched dy",
    );
  });

  test("gradientsOf results stay intact after the pool is reused", () => {
    setBufferPooling(true);
    clearBufferPool();
    const x = leaf(6);
    const y = ts.sum(ts.mul(ts.sin(x), ts.cos(x)));
    const [g] = gradientsOf(y, [x]);
    const kept = snapshot(g ?? null);
    scribbleOverPool();
    assert.deepEqual(snapshot(g ?? null), kept);
    const expected = Array.from(x.data, (v) => Math.fround(Math.cos(2 * v)));
    for (const [i, v] of snapshot(g ?? null).entries())
      assert.ok(Math.abs(v - expected[i]!) < 1e-5, `element ${i}`);
  });

  test("a gradient a rule keeps (retainGradient, as the privacy taps do) stays intact after the pool is reused", () => {
    setBufferPooling(true);
    clearBufferPool();
    const x = leaf(12);
    const h = ts.tanh(ts.mul(x, 2));
    let kept: Tensor | null = null;
    // an identity node whose rule stores the gradient it passes on (layer-capture's tap)
    const tapped = record("tap", new Tensor(h.data, h.shape), [h], (dy) => {
      kept = retainGradient(dy);
      return [dy];
    });
    ts.sum(ts.mul(ts.exp(tapped), 3)).backward();
    const before = snapshot(kept);
    scribbleOverPool();
    assert.deepEqual(snapshot(kept), before);
    const expected = Array.from(h.data, (v) => Math.fround(3 * Math.fround(Math.exp(v))));
    for (const [i, v] of before.entries()) assert.ok(Math.abs(v - expected[i]!) < 1e-5, `element ${i}`);
  });

  test("summed gradients (addTensors, on uninitialised memory) are right when that memory is poisoned", () => {
    const installed = getUninitAllocator();
    // every uninitialised array starts as NaN bytes, and pooling is off so none is recycled
    setUninitAllocator((bytes) => new Uint8Array(bytes).fill(0xff).buffer);
    setBufferPooling(false);
    try {
      const x = leaf(10, 1 << 15); // 128 KB: above the uninitialised-allocation threshold
      const y = ts.sum(ts.add(ts.mul(x, x), ts.mul(x, 3))); // x reaches the loss along three paths
      y.backward();
      const expected = Array.from(x.data, (v) => Math.fround(Math.fround(v + v) + 3));
      assert.deepEqual(snapshot(x.grad), expected);
    } finally {
      setUninitAllocator(installed);
    }
  });

  test("turning recycling off empties the pool and nothing is pooled", () => {
    setBufferPooling(true);
    const x = leaf(8);
    ts.sum(ts.exp(ts.tanh(x))).backward();
    setBufferPooling(false);
    assert.deepEqual(bufferPoolStats(), { bytes: 0, arrays: 0 });
    ts.sum(ts.exp(ts.tanh(leaf(9)))).backward();
    assert.deepEqual(bufferPoolStats(), { bytes: 0, arrays: 0 });
  });
});
