// The char-GPT example's pieces: windows, the network's size, and sampling (the training run itself
// takes minutes; its figures are in the README).
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "tessera-ml";
import { charGpt, sample, windows } from "./train.js";

test("windows pair each context with the next characters", () => {
  const ids = Int32Array.from([5, 6, 7, 8, 9, 10]);
  const { x, y } = windows(ids, [0, 2], 3);
  assert.deepEqual(Array.from(x.data), [5, 6, 7, 7, 8, 9]);
  assert.deepEqual(Array.from(y.data), [6, 7, 8, 8, 9, 10]);
  assert.deepEqual([...x.shape], [2, 3]);
});

test("charGpt has the expected parameter count and accepts any length up to its context", () => {
  const [V, T, D, L] = [11, 8, 16, 2];
  const model = charGpt({ vocabularySize: V, context: T, width: D, layers: L, heads: 2 });
  // embeddings V D + T D; per block: attention 4 (D D + D), two norms 4 D, MLP D 4D + 4D + 4D D + D;
  // final norm 2 D; head D V + V
  const block = 4 * (D * D + D) + 4 * D + (D * 4 * D + 4 * D) + (4 * D * D + D);
  assert.equal(model.countParams(), V * D + T * D + L * block + 2 * D + D * V + V);
  const y = model.apply(ts.tensor(new Int32Array([2, 3, 4]), { shape: [1, 3] }));
  assert.deepEqual([...y.shape], [1, 3, V]);
});

test("sample extends the prompt with characters from the vocabulary, reproducibly", () => {
  const tokenizer = new ts.CharTokenizer().fit(["abc abc"]);
  ts.seed(1);
  const model = charGpt({
    vocabularySize: tokenizer.vocabularySize,
    context: 4,
    width: 8,
    layers: 1,
    heads: 2,
  });
  const a = sample(model, tokenizer, "ab", 6, 4, 0.8, new ts.Generator(3));
  const b = sample(model, tokenizer, "ab", 6, 4, 0.8, new ts.Generator(3));
  assert.equal(a, b);
  assert.equal(a.length, 8);
  assert.ok(a.startsWith("ab"));
  assert.ok([...a].every((ch) => "abc ".includes(ch)));
});
