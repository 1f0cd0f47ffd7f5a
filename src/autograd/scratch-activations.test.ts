// Scratch activations (autograd/scratch-activations): a training-mode transformer block's private
// forward arrays come back to the pool after backward(), while its input, its output, the weights
// and everything outside its region keep their values; a second walk through the recycled graph
// raises a GradError, and retainGraph, gradientsOf, inference mode and pooling off recycle nothing.
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import {
  bufferPoolStats,
  clearBufferPool,
  isBufferPoolingEnabled,
  setBufferPooling,
} from "../core/buffer-pool.js";
import { allocateUninit } from "../core/dtype.js";
import { GradError } from "../core/errors.js";
import * as ts from "../index.js";
import { Tensor } from "../tensor/tensor.js";
import { gradientsOf, record } from "./backward.js";
import { isScratch, markScratchRegion, recordedNodes } from "./scratch-activations.js";

const initial = isBufferPoolingEnabled();
afterEach(() => setBufferPooling(initial));

const [B, T, D] = [2, 16, 32];

function block(): ts.layers.TransformerDecoder {
  ts.seed(3);
  const layer = ts.layers.transformerDecoder({
    intermediateDim: 64,
    numHeads: 2,
    normalizeFirst: true,
    activation: "gelu",
  });
  layer.maybeBuild([null, T, D]);
  return layer;
}

function input(): Tensor {
  const x = ts.randn([B, T, D]);
  x.requiresGrad = true;
  return x;
}

/** A loss that weighs every output element differently, so each gradient entry matters. */
function lossOf(y: Tensor): Tensor {
  const w = ts.reshape(ts.sin(ts.arange(0, y.size, 1, { dtype: "float32" })), y.shape);
  return ts.sum(ts.mul(y, w));
}

/** Takes every pooled float32 array the block's shapes use and fills it with NaN. */
function scribbleOverPool(): void {
  for (const n of [B * T * D, B * T * 64, B * T * 2 * 16]) {
    for (let i = 0; i < 32; i++) (allocateUninit("float32", n) as Float32Array).fill(Number.NaN);
  }
}

const values = (t: Tensor | null): number[] => Array.from(t?.data ?? []);

describe("scratch activations", () => {
  test("backward() recycles a training block's private arrays; its input, output and weights keep their values", () => {
    setBufferPooling(true);
    clearBufferPool();
    const layer = block();
    const x = input();
    const y = layer.apply(x, { training: true });
    const kept = { x: values(x), y: values(y), weights: layer.weights.map((w) => values(w)) };
    lossOf(y).backward();
    // the block's norms, projections, attention output and feedforward activations, 4 KB and up
    assert.ok(bufferPoolStats().bytes >= 6 * B * T * D * 4, `pooled ${bufferPoolStats().bytes} bytes`);
    const grads = { x: values(x.grad), weights: layer.weights.map((w) => values(w.grad)) };
    scribbleOverPool();
    assert.deepEqual(values(x), kept.x);
    assert.deepEqual(values(y), kept.y);
    for (const [i, w] of layer.weights.entries()) assert.deepEqual(values(w), kept.weights[i]);
    assert.deepEqual(values(x.grad), grads.x);
    for (const [i, w] of layer.weights.entries()) assert.deepEqual(values(w.grad), grads.weights[i]);
  });

  test("gradients equal those of the same walk with pooling off", () => {
    const run = (pooling: boolean) => {
      setBufferPooling(pooling);
      const layer = block();
      ts.seed(5);
      const x = input();
      lossOf(layer.apply(x, { training: true })).backward();
      return [values(x.grad), ...layer.weights.map((w) => values(w.grad))];
    };
    const off = run(false);
    const on = run(true);
    for (const [i, g] of on.entries()) assert.deepEqual(g, off[i], `gradient ${i} differs`);
  });

  test("standalone MultiHeadAttention and TokenAndPositionEmbedding mark their internals; gradients unchanged", () => {
    const cases: { name: string; layer: () => ts.Layer; x: () => Tensor }[] = [
      {
        name: "mha", // y = linear(merged heads, output kernel, bias): merged is internal
        layer: () => ts.layers.multiHeadAttention({ numHeads: 2, keyDim: 16, useCausalMask: true }),
        x: input,
      },
      {
        name: "embedding", // y = add(token rows, positions): the token rows are internal
        layer: () =>
          ts.layers.tokenAndPositionEmbedding({ vocabularySize: 40, sequenceLength: T, embeddingDim: 64 }),
        x: () => ts.randint(0, 40, [B, T], { dtype: "int32" }),
      },
    ];
    for (const c of cases) {
      const run = (pooling: boolean) => {
        setBufferPooling(pooling);
        ts.seed(9);
        const layer = c.layer();
        const y = layer.apply(c.x(), { training: true });
        const internal = y.gradNode!.inputs[0]!;
        assert.equal(isScratch(internal), true, `${c.name}: the internal tensor is marked`);
        assert.equal(isScratch(y), false, `${c.name}: the output is not`);
        lossOf(y).backward();
        assert.equal(isScratch(internal), !pooling, `${c.name}: recycled only with pooling on`);
        return layer.weights.map((w) => values(w.grad));
      };
      const off = run(false);
      const on = run(true);
      for (const [i, g] of on.entries()) assert.deepEqual(g, off[i], `${c.name} gradient ${i}`);
    }
  });

  test("a second backward() through a recycled graph raises a GradError; retainGraph keeps it walkable", () => {
    setBufferPooling(true);
    const layer = block();
    const x = input();
    const loss = lossOf(layer.apply(x, { training: true }));
    loss.backward({ retainGraph: true });
    const first = values(x.grad);
    x.grad = null;
    loss.backward();
    assert.deepEqual(values(x.grad), first, "the retained graph gives the same gradient again");
    assert.throws(
      () => loss.backward(),
      (e: unknown) => e instanceof GradError && /retainGraph/.test(e.message),
    );
  });

  test("a recycled graph reached again without a gradient releases nothing of newer graphs", () => {
    setBufferPooling(true);
    clearBufferPool();
    const layer = block();
    const y1 = layer.apply(input(), { training: true });
    lossOf(y1).backward(); // y1's graph is recycled: its arrays go to the pool
    const xA = input();
    const yA = layer.apply(xA, { training: true }); // takes y1's old arrays from the pool
    const yB = layer.apply(input(), { training: true });
    // an op that gives its first input no gradient: y1's recycled nodes are in this walk's order
    // only; their stale tensors now share arrays with yA's unwalked graph, which must stay intact
    lossOf(record("second only", new Tensor(yB.data, yB.shape), [y1, yB], (dy) => [null, dy])).backward();
    scribbleOverPool();
    lossOf(yA).backward();
    const reference = (() => {
      setBufferPooling(false);
      const x = new Tensor(xA.data.slice(), xA.shape);
      x.requiresGrad = true;
      lossOf(layer.apply(x, { training: true })).backward();
      return values(x.grad);
    })();
    assert.deepEqual(values(xA.grad), reference);
  });

  test("gradientsOf, inference mode and pooling off recycle nothing: the graph can be walked again", () => {
    const layer = block();
    setBufferPooling(true);
    const x = input();
    const loss = lossOf(layer.apply(x, { training: true }));
    const once = values(gradientsOf(loss, [x])[0]!);
    assert.deepEqual(values(gradientsOf(loss, [x])[0]!), once);
    const inference = lossOf(layer.apply(x, { training: false }));
    inference.backward();
    assert.doesNotThrow(() => inference.backward());
    setBufferPooling(false);
    const unpooled = lossOf(layer.apply(x, { training: true }));
    unpooled.backward();
    assert.doesNotThrow(() => unpooled.backward());
  });
});

describe("markScratchRegion", () => {
  test("marks the region's own arrays, never an earlier tensor, a leaf, a view of either or the output", () => {
    const w = ts.randn([8, 8]);
    w.requiresGrad = true;
    const before = ts.mul(w, 2); // recorded before the region
    const since = recordedNodes();
    const wView = ts.reshape(w, [64]); // a recorded view of a leaf: shares the weight's array
    const beforeView = ts.reshape(before, [64]);
    const inner = ts.tanh(ts.add(wView, beforeView));
    const innerView = ts.reshape(inner, [8, 8]);
    const out = ts.exp(innerView);
    assert.equal(markScratchRegion(since, out), out);
    assert.equal(isScratch(inner), true);
    assert.equal(isScratch(innerView), true);
    for (const t of [w, before, wView, beforeView, out]) assert.equal(isScratch(t), false);
  });

  test("an output recorded before `since` (or not at all) marks nothing", () => {
    const a = ts.randn([32, 32]);
    a.requiresGrad = true;
    const h = ts.tanh(a);
    const y = ts.exp(h);
    markScratchRegion(recordedNodes(), y);
    assert.equal(isScratch(h), false);
    const plain = ts.tanh(ts.randn([32, 32]));
    assert.equal(markScratchRegion(0, plain), plain);
  });
});
